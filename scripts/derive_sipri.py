"""Derive indru-data's SIPRI-based tables from the SIPRI trade-register export in ../shared/data.

Writes data/arms_transfers.csv (one row per SIPRI deal with India as recipient: deliveries
aggregated over the years in the export) and the `sipri_tiv_derived` rows of
data/arms_supplier_shares.csv (each supplier's share of India's TIV imports over every
5-year window), keeping that table's hand-entered `sipri_tiv_published` rows as they are.

    python scripts/derive_sipri.py [path/to/trade-register.csv]

Then run `indru-data build`. The export itself is never copied into the package.
"""

from __future__ import annotations

import csv
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_EXPORT = (
    ROOT.parent
    / "shared"
    / "data"
    / "sipri"
    / "trade-register-deliveries-1995-2025-generated-2026-02-12.csv"
)
SOURCE_ID = "sipri-atdb-trade-register-20260212"
VINTAGE = "2026-02-12"
FIRST_YEAR, LAST_YEAR = 1995, 2024  # the export holds no 2025 deliveries yet

ISO3 = {
    "Australia": "AUS",
    "Brazil": "BRA",
    "Canada": "CAN",
    "Czechia": "CZE",
    "Denmark": "DNK",
    "France": "FRA",
    "Germany": "DEU",
    "Israel": "ISR",
    "Italy": "ITA",
    "Kazakhstan": "KAZ",
    "Kyrgyzstan": "KGZ",
    "Netherlands": "NLD",
    "Poland": "POL",
    "Russia": "RUS",
    "Slovakia": "SVK",
    "South Africa": "ZAF",
    "South Korea": "KOR",
    "Spain": "ESP",
    "Switzerland": "CHE",
    "Ukraine": "UKR",
    "United Kingdom": "GBR",
    "United States": "USA",
    "Uzbekistan": "UZB",
    "Soviet Union": "SUN",
    "unknown supplier(s)": "",
}
CATEGORY = {
    "Aircraft": "aircraft",
    "Air-defence systems": "air_defence_systems",
    "Armoured vehicles": "armoured_vehicles",
    "Artillery": "artillery",
    "Engines": "engines",
    "Missiles": "missiles",
    "Naval weapons": "naval_weapons",
    "Satellites": "satellites",
    "Sensors": "sensors",
    "Ships": "ships",
    "Other": "other",
}
CONDITION = {
    "New": "new",
    "Second hand": "second_hand",
    "Second hand but modernized": "second_hand_modernised",
}


SHARES_HEADER = [
    "share_id",
    "window_start_year",
    "window_end_year",
    "supplier",
    "supplier_name",
    "share_of_india_imports_pct",
    "tiv_mn",
    "measure",
    "sipri_release_year",
    "data_vintage",
    "source_id",
    "notes",
]


def read_export(path: Path) -> list[dict[str, str]]:
    lines = path.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("SIPRI AT Database ID"))
    body = [line.rstrip(";") for line in lines[start:]]
    # SIPRI's cells carry stray spaces (e.g. "9M119 "): strip them so values compare exactly.
    rows = [{k: (v or "").strip() for k, v in r.items()} for r in csv.DictReader(body)]
    return [r for r in rows if r.get("Recipient") == "India"]


def yes(value: str) -> str:
    return "true" if value == "Yes" else "false"


def fmt(x: float) -> str:
    return f"{x:.2f}".rstrip("0").rstrip(".") if x else "0"


def transfers(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    deals: dict[str, list[dict[str, str]]] = defaultdict(list)
    for r in rows:
        deals[r["SIPRI AT Database ID"]].append(r)
    out = []
    for deal_id, parts in sorted(deals.items(), key=lambda kv: int(kv[0])):
        first = parts[0]
        years = sorted(int(p["Delivery year"]) for p in parts)
        delivered = sum(int(p["Numbers delivered"] or 0) for p in parts)
        tiv = sum(float(p["TIV delivery values"] or 0) for p in parts)
        out.append(
            {
                "transfer_id": f"sipri-{deal_id}",
                "sipri_deal_id": deal_id,
                "supplier": ISO3[first["Supplier"]],
                "supplier_name": first["Supplier"],
                "designation": first["Designation"],
                "description": first["Description"],
                "weapon_category": CATEGORY[first["Armament category"]],
                "order_year": first["Order date"],
                "order_year_is_estimate": yes(first["Order date is estimate"])
                if first["Order date"]
                else "",
                "quantity_delivered": str(delivered),
                "quantity_delivered_is_estimate": "true"
                if any(p["Numbers delivered is estimate"] == "Yes" for p in parts)
                else "false",
                "delivery_first_year": str(years[0]),
                "delivery_last_year": str(years[-1]),
                "condition": CONDITION[first["Status"]],
                "local_production": yes(first["Local production"]),
                "tiv_per_unit_mn": first["TIV deal unit"],
                "tiv_delivered_mn": fmt(tiv),
                "source_id": SOURCE_ID,
            }
        )
    return out


def shares(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    out = []
    for start in range(FIRST_YEAR, LAST_YEAR - 3):
        end = start + 4
        tiv: dict[str, float] = defaultdict(float)
        for r in rows:
            if start <= int(r["Delivery year"]) <= end and r["TIV delivery values"]:
                tiv[r["Supplier"]] += float(r["TIV delivery values"])
        total = sum(tiv.values())
        for name, value in sorted(tiv.items(), key=lambda kv: (-kv[1], kv[0])):
            out.append(
                {
                    "share_id": f"derived-{start}-{end}-{(ISO3[name] or 'unknown').lower()}",
                    "sipri_release_year": "",
                    "window_start_year": str(start),
                    "window_end_year": str(end),
                    "supplier": ISO3[name],
                    "supplier_name": name,
                    "share_of_india_imports_pct": f"{100 * value / total:.1f}",
                    "tiv_mn": fmt(value),
                    "measure": "sipri_tiv_derived",
                    "data_vintage": VINTAGE,
                    "source_id": SOURCE_ID,
                    "notes": "",
                }
            )
    return out


def write(path: Path, rows: list[dict[str, str]], header: list[str]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def main(argv: list[str]) -> int:
    export = Path(argv[1]) if len(argv) > 1 else DEFAULT_EXPORT
    rows = read_export(export)
    deals = transfers(rows)
    write(ROOT / "data" / "arms_transfers.csv", deals, list(deals[0]))
    shares_path = ROOT / "data" / "arms_supplier_shares.csv"
    derived = shares(rows)
    kept: list[dict[str, str]] = []
    if shares_path.is_file():
        with shares_path.open(newline="", encoding="utf-8") as handle:
            kept = [r for r in csv.DictReader(handle) if r["measure"] != "sipri_tiv_derived"]
    write(shares_path, kept + derived, SHARES_HEADER)
    print(
        f"{len(deals)} transfers, {len(derived)} derived share rows, {len(kept)} published rows kept"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
