"""Write the IMF mirror-statistics rows of data/trade_annual.csv and data/context_indicators.csv
from the IMF extract in ../shared/data.

The extract (IMF International Trade in Goods, formerly DOTS; see its README) holds each
country's reported goods exports (FOB) and imports (CIF) for the pairs among India, Russia and
China. This script takes the India–Russia pairs for trade_annual and the Russia–China pairs for
context_indicators, leaves out the values flagged `value_suspect` (corrupted in the file: they
are gaps, never repaired), divides US dollars by exactly 1,000,000 and replaces the IMF rows of
each table (`imf_imts` rows of trade_annual, `compiler = imf` rows of context_indicators),
keeping every other row as it is.

    python scripts/import_imf_dots.py [path/to/extract.csv]

Then run `indru-data build`. The extract itself is never copied into the package.
"""

from __future__ import annotations

import csv
import json
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
CONTEXT = ROOT / "data" / "context_indicators.csv"
CONTEXT_SCHEMA = ROOT / "schemas" / "context_indicators.schema.json"
SOURCE_ID = "imf-imts-india-russia-china"
FIRST_YEAR = 1992  # Russia's statistics begin with the Russian Federation
COUNTRY = {"India": "IND", "Russia": "RUS", "China": "CHN"}

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


# indicator -> (context_indicators indicator, valuation, slug part); the reporter is the subject.
CHINA_RUSSIA = {
    "TXG_FOB_USD": ("goods_trade_exports", "fob", "exports"),
    "TMG_CIF_USD": ("goods_trade_imports", "cif", "imports"),
}
FLOW_WORDS = {"TXG_FOB_USD": "exports to", "TMG_CIF_USD": "imports from"}


def context_header() -> list[str]:
    """The columns of context_indicators, in the order its schema lists them."""
    return [f["name"] for f in json.loads(CONTEXT_SCHEMA.read_text(encoding="utf-8"))["fields"]]


def context_sort_key(row: dict[str, str]) -> tuple[str, ...]:
    """One order for context_indicators, whichever script wrote it last."""
    return (
        row["indicator"],
        row["subject_country"],
        row["partner_country"],
        row["window_start_year"],
        row["window_end_year"],
        row["measure"],
        row["reporter_country"],
        row["source_id"],
        row["indicator_id"],
    )


def russia_china_rows(extract: Path) -> tuple[list[dict[str, str]], list[str]]:
    """The context_indicators rows (Russia–China trade, both reporters), and the suspect gaps."""
    rows, gaps = [], []
    with extract.open(newline="", encoding="utf-8") as handle:
        for r in csv.DictReader(handle):
            code = r["indicator_code"]
            if {r["reporter"], r["partner"]} != {"China", "Russia"} or code not in CHINA_RUSSIA:
                continue
            year = int(r["year"])
            if year < FIRST_YEAR:
                continue
            what = f"{r['reporter']}-reported {FLOW_WORDS[code]} {r['partner']}"
            if r["value_suspect"] == "true":
                gaps.append(f"{what} {year}")
                continue
            indicator, valuation, slug = CHINA_RUSSIA[code]
            subject, partner = COUNTRY[r["reporter"]], COUNTRY[r["partner"]]
            rows.append(
                {
                    "indicator_id": f"{year}-{subject.lower()}-{partner.lower()}-{slug}-imf",
                    "indicator": indicator,
                    "subject_country": subject,
                    "partner_country": partner,
                    "window_start_year": str(year),
                    "window_end_year": str(year),
                    "value": usd_mn(r["value_usd"]),
                    "unit": "usd_mn",
                    "value_qualifier": "as_stated",
                    "measure": "published",
                    "reporter_country": subject,
                    "compiler": "imf",
                    "valuation": valuation,
                    "release_year": "",
                    "data_vintage": "",
                    "source_id": SOURCE_ID,
                    "notes": f"{what} ({valuation.upper()}), calendar year; US dollars / 1,000,000.",
                }
            )
    rows.sort(key=context_sort_key)
    return rows, sorted(gaps)


def write_context(new_rows: list[dict[str, str]]) -> int:
    """Replace the IMF rows of context_indicators.csv; returns the number of rows kept."""
    header = context_header()
    kept: list[dict[str, str]] = []
    if CONTEXT.is_file():
        with CONTEXT.open(newline="", encoding="utf-8") as handle:
            kept = [row for row in csv.DictReader(handle) if row["compiler"] != "imf"]
    with CONTEXT.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(sorted(kept + new_rows, key=context_sort_key))
    return len(kept)


def main(argv: list[str]) -> int:
    extract = Path(argv[1]) if len(argv) > 1 else DEFAULT_EXTRACT
    china_rows, china_gaps = russia_china_rows(extract)
    kept_context = write_context(china_rows)
    print(
        f"{len(china_rows)} Russia–China IMF rows written to context_indicators "
        f"({kept_context} other rows kept); {len(china_gaps)} suspect values left out"
        + "".join(f"\n  {gap}" for gap in china_gaps)
    )
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
