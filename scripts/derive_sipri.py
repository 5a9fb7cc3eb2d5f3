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


# --- Programmes in arms_deals that SIPRI documents -------------------------------------------
# Programmes already in arms_deals (sourced from other documents) linked to their SIPRI deals,
# and programmes only SIPRI documents, added with the SIPRI register as their source. For every
# linked SIPRI deal, arms_deal_facts gets one fact row "fact-sipri-<id>" (order year; items
# delivered, only where the order is from 1995 on, since earlier deliveries are not in the export).
LINKS = {
    "rus-s-400": [32127, 59475],
    "rus-su-30mki": [24396, 24619, 28335, 26695, 39233, 39472, 51356],
    "rus-t-90s": [26568, 39107, 31847, 60506],
    "rus-t-90s-464": [60505],
    "rus-vikramaditya": [26453],
    "rus-talwar-batch-2": [27345],
    "rus-project-11356-frigates": [50210],
    "rus-mig-29k-first": [26471],
    "rus-mig-29k-second": [34794],
    "rus-mi-17v-5": [36052, 52550],
    "rus-igla-s": [40151, 58410, 66195],
    "rus-chakra-ii": [31786],
    "rus-kilo-877ekm": [24785],
    "rus-ka-31-second": [33434],
}
SIPRI_ONLY = {  # deal_id: (programme, SIPRI deal ids)
    "rus-mig-29upg": ("MiG-29 upgrade to MiG-29UPG (licence work in India)", [37117]),
    "rus-mig-29-1994": ("MiG-29 fighters ordered in 1994", [21047]),
    "rus-talwar-batch-1": ("Talwar-class frigates, first batch", [25488]),
    "rus-t-72m1": ("T-72M1 tanks (licence production, Soviet-era order)", [4584]),
    "rus-bmp-2": (
        "BMP-2 infantry fighting vehicles (licence production)",
        [24225, 39341, 58054, 63622],
    ),
    "rus-brahmos-production": (
        "BrahMos missiles, land and naval versions (joint venture production)",
        [54751, 28425],
    ),
    "rus-brahmos-air": ("BrahMos air-launched missiles for the Su-30MKI", [54752]),
    "rus-konkurs": ("Konkurs anti-tank missiles", [31385, 54657, 62398, 65231]),
    "rus-9m119": ("9M119 gun-launched anti-tank missiles for T-90 and T-72", [54658]),
    "rus-kornet": ("Kornet anti-tank missiles", [37129]),
    "rus-r-73": ("R-73 short-range air-to-air missiles", [25340]),
    "rus-r-77": ("R-77 long-range air-to-air missiles", [28440, 55215, 63032]),
    "rus-kh-35": ("Kh-35 anti-ship missiles", [21528, 32439, 26474]),
    "rus-club": ("3M-54E Club anti-ship and land-attack missiles", [28689]),
    "rus-kh-31": ("Kh-31A1 anti-ship and anti-radar missiles", [28482]),
    "rus-kh-59me": ("Kh-59ME air-to-surface missiles", [29574]),
    "rus-kh-25m": ("Kh-25M anti-radar and air-to-surface missiles", [27445]),
    "rus-tunguska": ("Tunguska self-propelled air defence systems", [22962, 27323, 34111]),
    "rus-igla": ("Igla portable air defence missiles", [31394]),
    "rus-smerch": ("Smerch multiple rocket launchers", [27039, 39827]),
    "rus-krasnopol": ("Krasnopol guided artillery shells", [30832, 33547]),
    "rus-kopyo": ("Kopyo combat aircraft radars", [30412]),
    "rus-mi-17-2000s": ("Mi-17 transport helicopters ordered in 2000 and 2003", [30887, 34455]),
    "rus-ka-31-1999-2001": (
        "Ka-31 airborne early-warning helicopters ordered in 1999 and 2001",
        [24904, 30031],
    ),
}
DEALS_HEADER = [
    "deal_id",
    "supplier",
    "programme",
    "weapon_category",
    "sipri_transfer_ids",
    "source_id",
]


def programmes(deals: list[dict[str, str]]) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    """Link and add programmes in arms_deals; return (deal rows, SIPRI fact rows)."""
    by_id = {d["transfer_id"]: d for d in deals}
    links = {k: [f"sipri-{i}" for i in v] for k, v in LINKS.items()}
    links.update({k: [f"sipri-{i}" for i in v] for k, (_, v) in SIPRI_ONLY.items()})
    path = ROOT / "data" / "arms_deals.csv"
    with path.open(newline="", encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle) if r["source_id"] != SOURCE_ID]
    known = {r["deal_id"] for r in rows}
    for deal_id, (name, ids) in SIPRI_ONLY.items():
        first = by_id[f"sipri-{ids[0]}"]
        rows.append(
            {
                "deal_id": deal_id,
                "supplier": first["supplier"],
                "programme": name,
                "weapon_category": first["weapon_category"],
                "source_id": SOURCE_ID,
            }
        )
    assert not (set(SIPRI_ONLY) & known), set(SIPRI_ONLY) & known
    facts = []
    for r in rows:
        ids = links.get(r["deal_id"], [])
        r["sipri_transfer_ids"] = ";".join(ids)
        for tid in ids:
            d = by_id[tid]
            year = d["order_year"]
            est = " (estimated)" if d["order_year_is_estimate"] == "true" else ""
            counted = bool(year) and int(year) >= FIRST_YEAR
            made = "licence-produced in India" if d["local_production"] == "true" else "delivered"
            facts.append(
                {
                    "fact_id": f"fact-{tid}",
                    "deal_id": r["deal_id"],
                    "system": f"{d['designation']} ({d['description']})",
                    "description": f"SIPRI records an order in {year or 'an unknown year'}{est}; {d['quantity_delivered']} "
                    f"{made} {d['delivery_first_year']}–{d['delivery_last_year']}.",
                    "arrangement": "licensed_production"
                    if d["local_production"] == "true"
                    else "direct_purchase",
                    "local_partner": "",
                    "order_date": f"{year}-01-01" if year else "",
                    "order_date_precision": "year" if year else "",
                    "quantity_ordered": "",
                    "contract_value_mn": "",
                    "contract_currency": "",
                    "contract_value_usd_mn": "",
                    "quantity_delivered": d["quantity_delivered"] if counted else "",
                    "delivered_as_of": f"{d['delivery_last_year']}-12-31" if counted else "",
                    "status": "",
                    "status_date": "",
                    "source_id": SOURCE_ID,
                }
            )
    return rows, facts


def write_programmes(deals: list[dict[str, str]]) -> None:
    rows, facts = programmes(deals)
    write(ROOT / "data" / "arms_deals.csv", rows, DEALS_HEADER)
    path = ROOT / "data" / "arms_deal_facts.csv"
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        header = list(reader.fieldnames or [])
        kept = [r for r in reader if r["source_id"] != SOURCE_ID]
    write(path, kept + facts, header)
    print(f"{len(rows)} programmes, {len(facts)} SIPRI facts")


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
    write_programmes(deals)
    print(
        f"{len(deals)} transfers, {len(derived)} derived share rows, {len(kept)} published rows kept"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
