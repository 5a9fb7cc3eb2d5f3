"""Derive the SIPRI-based rows of data/context_indicators.csv from the SIPRI trade register in
../shared/data.

For every 5-year window the register covers (1995–1999 … 2020–2024; it holds no 2025
deliveries yet), from the TIV delivered in the window:

- Russia's arms exports to India and to China, in TIV million (`arms_exports_tiv_to_partner`);
- the shares of Russia's arms exports that went to India and to China (`arms_export_share_to_partner`);
- Russia's share of world arms exports (`arms_export_share_world`): Russia's TIV over the TIV of
  every supplier to every recipient in the register.

The rows are written with `measure = derived_from_register` and the register's date as
`data_vintage`, replacing earlier derived rows and keeping every other row (the shares SIPRI
published, the trade rows) as it is. TIV is SIPRI's trend-indicator value: not money.

    python scripts/derive_context_sipri.py [path/to/trade-register.csv]

Then run `indru-data build`. The register itself is never copied into the package.
"""

from __future__ import annotations

import csv
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

from derive_sipri import DEFAULT_EXPORT, FIRST_YEAR, LAST_YEAR, SOURCE_ID, VINTAGE, fmt  # noqa: E402
from import_imf_dots import CONTEXT, context_header, context_sort_key  # noqa: E402

SUPPLIER = ("Russia", "RUS")
PARTNERS = {"India": "IND", "China": "CHN"}
DERIVED = "derived_from_register"


def read_register(path: Path) -> list[dict[str, str]]:
    """Every row of the register export (all suppliers and recipients), cells stripped."""
    lines = path.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("SIPRI AT Database ID"))
    body = [line.rstrip(";") for line in lines[start:]]
    return [{k: (v or "").strip() for k, v in r.items()} for r in csv.DictReader(body)]


def windows() -> list[tuple[int, int]]:
    """The 5-year windows the register covers in full."""
    return [(start, start + 4) for start in range(FIRST_YEAR, LAST_YEAR - 3)]


def window_tiv(rows: list[dict[str, str]], start: int, end: int) -> tuple[dict[str, float], float]:
    """Russia's TIV delivered per recipient in the window, and the world total of TIV delivered."""
    to: dict[str, float] = defaultdict(float)
    world = 0.0
    for r in rows:
        if not r["TIV delivery values"] or not start <= int(r["Delivery year"]) <= end:
            continue
        value = float(r["TIV delivery values"])
        world += value
        if r["Supplier"] == SUPPLIER[0]:
            to[r["Recipient"]] += value
    return to, world


def _row(indicator: str, start: int, end: int, partner: str, value: str, unit: str, notes: str):
    slug = {
        "arms_exports_tiv_to_partner": "tiv",
        "arms_export_share_to_partner": "share",
        "arms_export_share_world": "world-share",
    }[indicator]
    who = f"-{partner.lower()}" if partner else ""
    return {
        "indicator_id": f"derived-{start}-{end}-rus{who}-{slug}",
        "indicator": indicator,
        "subject_country": SUPPLIER[1],
        "partner_country": partner,
        "window_start_year": str(start),
        "window_end_year": str(end),
        "value": value,
        "unit": unit,
        "value_qualifier": "as_stated",
        "measure": DERIVED,
        "reporter_country": "",
        "compiler": "sipri",
        "valuation": "",
        "release_year": "",
        "data_vintage": VINTAGE,
        "source_id": SOURCE_ID,
        "notes": notes,
    }


def derived_rows(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    out = []
    for start, end in windows():
        to, world = window_tiv(rows, start, end)
        russia = sum(to.values())
        for name, iso in PARTNERS.items():
            out.append(
                _row(
                    "arms_exports_tiv_to_partner",
                    start,
                    end,
                    iso,
                    fmt(to[name]),
                    "tiv_mn",
                    f"TIV delivered by Russia to {name}, {start}–{end}, summed over the register's "
                    "rows; TIV is not money.",
                )
            )
            out.append(
                _row(
                    "arms_export_share_to_partner",
                    start,
                    end,
                    iso,
                    f"{100 * to[name] / russia:.1f}",
                    "percent",
                    f"TIV delivered by Russia to {name} over all TIV Russia delivered, {start}–{end}.",
                )
            )
        out.append(
            _row(
                "arms_export_share_world",
                start,
                end,
                "",
                f"{100 * russia / world:.1f}",
                "percent",
                f"TIV Russia delivered over the TIV every supplier delivered, {start}–{end}.",
            )
        )
    return out


def main(argv: list[str]) -> int:
    register = Path(argv[1]) if len(argv) > 1 else DEFAULT_EXPORT
    new_rows = derived_rows(read_register(register))
    kept: list[dict[str, str]] = []
    if CONTEXT.is_file():
        with CONTEXT.open(newline="", encoding="utf-8") as handle:
            kept = [r for r in csv.DictReader(handle) if r["measure"] != DERIVED]
    with CONTEXT.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=context_header(), lineterminator="\n")
        writer.writeheader()
        writer.writerows(sorted(kept + new_rows, key=context_sort_key))
    print(f"{len(new_rows)} derived rows written; {len(kept)} other rows kept")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
