"""Write the IMF mirror-statistics rows of data/trade_annual.csv from the IMF extract in ../shared/data.

The extract (IMF International Trade in Goods, formerly DOTS; see its README) holds each
country's reported goods exports (FOB) and imports (CIF) for the pairs among India, Russia and
China. This script takes the India–Russia pairs, leaves out the values flagged `value_suspect`
(corrupted in the file: they are gaps, never repaired), divides US dollars by exactly 1,000,000
and replaces the `imf_imts` rows of trade_annual.csv, keeping every other row as it is.

    python scripts/import_imf_dots.py [path/to/extract.csv]

Then run `indru-data build`. The extract itself is never copied into the package.
"""

from __future__ import annotations

import csv
import sys
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_EXTRACT = (
    ROOT.parent
    / "shared"
    / "data"
    / "imf-dots"
    / "india-russia-china-goods-trade-imf-imts-1948-2020.csv"
)
TABLE = ROOT / "data" / "trade_annual.csv"
SOURCE_ID = "imf-imts-india-russia-china"
FIRST_YEAR = 1992  # Russia's statistics begin with the Russian Federation
COUNTRY = {"India": "IND", "Russia": "RUS"}

# (reporter, indicator) -> (flow from India's side, valuation, slug part)
MIRROR = {
    ("India", "TXG_FOB_USD"): ("india_exports_to_russia", "fob", "exports"),
    ("India", "TMG_CIF_USD"): ("india_imports_from_russia", "cif", "imports"),
    ("Russia", "TXG_FOB_USD"): ("india_imports_from_russia", "fob", "imports"),
    ("Russia", "TMG_CIF_USD"): ("india_exports_to_russia", "cif", "exports"),
}
WHAT = {
    ("India", "TXG_FOB_USD"): "India-reported exports to Russia",
    ("India", "TMG_CIF_USD"): "India-reported imports from Russia",
    ("Russia", "TXG_FOB_USD"): "Russia-reported exports to India",
    ("Russia", "TMG_CIF_USD"): "Russia-reported imports from India",
}


def usd_mn(value_usd: str) -> str:
    """US dollars to US$ million by exact division, written without trailing zeros."""
    exact = (Decimal(value_usd) / Decimal(1_000_000)).normalize()
    return format(exact, "f")


def india_russia_rows(extract: Path) -> tuple[list[dict[str, str]], list[str]]:
    """The trade_annual rows, and the (reporter, indicator, year) gaps left by suspect values."""
    rows, gaps = [], []
    with extract.open(newline="", encoding="utf-8") as handle:
        for r in csv.DictReader(handle):
            key = (r["reporter"], r["indicator_code"])
            if {r["reporter"], r["partner"]} != {"India", "Russia"} or key not in MIRROR:
                continue
            year = int(r["year"])
            if year < FIRST_YEAR:
                continue
            if r["value_suspect"] == "true":
                gaps.append(f"{WHAT[key]} {year}")
                continue
            flow, valuation, slug = MIRROR[key]
            reporter_country = COUNTRY[r["reporter"]]
            rows.append(
                {
                    "trade_id": f"{year}-{slug}-imf-{reporter_country.lower()}",
                    "period": str(year),
                    "period_type": "calendar_year",
                    "period_start": f"{year}-01-01",
                    "period_end": f"{year}-12-31",
                    "months_covered": "12",
                    "is_partial": "false",
                    "flow": flow,
                    "reporter": "imf_imts",
                    "reporter_country": reporter_country,
                    "compiler": "imf",
                    "valuation": valuation,
                    "data_status": "",
                    "value_usd_mn": usd_mn(r["value_usd"]),
                    "value_qualifier": "as_stated",
                    "source_id": SOURCE_ID,
                    "notes": f"{WHAT[key]} ({valuation.upper()}), calendar year; US dollars / 1,000,000.",
                }
            )
    rows.sort(key=lambda row: (row["period"], row["flow"], row["reporter_country"]))
    return rows, sorted(gaps)


def main(argv: list[str]) -> int:
    extract = Path(argv[1]) if len(argv) > 1 else DEFAULT_EXTRACT
    new_rows, gaps = india_russia_rows(extract)
    with TABLE.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        header = list(reader.fieldnames or [])
        kept = [row for row in reader if row["reporter"] != "imf_imts"]
    with TABLE.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(kept + new_rows)
    print(f"{len(new_rows)} IMF rows written; {len(gaps)} suspect values left out:")
    for gap in gaps:
        print(f"  {gap}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
