"""Write the Voeten rows of data/unga_roll_calls.csv and data/unga_country_votes.csv from the
UN General Assembly extract in ../shared/data/unga-votes.

The extract (its README gives provenance) holds every General Assembly roll call of Erik
Voeten's UN General Assembly Voting Data, sessions 1–74 (1946 to 14 January 2020), as copied
in the R package unvotes, with India's, Russia's, the United States' and China's votes. This
script maps each roll call and each of those votes to a row, unchanged in value: flags to
booleans (empty where Voeten did not code them), stray control characters dropped from the
texts, countries to ISO 3166-1 alpha-3, Russia's
votes before 1992 marked as the USSR's, and the three roll calls also held in un_votes linked
to their rows there. One exception to "unchanged": where Voeten's day cannot be trusted (see
`date_and_precision`), the date is kept to the month, its day set to 01. It replaces the rows
citing Voeten's dataset and keeps every other row (later roll calls added from cited pages)
as it is.

    python scripts/import_unga_votes.py [path/to/unga-votes]

Then run `indru-data build`. The extract itself is never copied into the package.
"""

from __future__ import annotations

import csv
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_EXTRACT = ROOT.parent / "shared" / "data" / "unga-votes"
SOURCE_ID = "voeten-unga-voting-data"
ROLL_CALLS = ROOT / "data" / "unga_roll_calls.csv"
VOTES = ROOT / "data" / "unga_country_votes.csv"
COUNTRY = {"IN": "IND", "RU": "RUS", "US": "USA", "CN": "CHN"}
FIRST_RUSSIAN_FEDERATION_YEAR = 1992  # before: the USSR, coded as Russia by the source
FLAG = {"1": "true", "0": "false", "": ""}
# Voeten's roll calls that are also rows of un_votes (India's Ukraine-related votes): the
# Crimea resolution of 2014 and the Crimea human-rights resolutions of 2017 and 2018.
UN_VOTES = {5309: "uv-001", 5558: "uv-002", 6155: "uv-003"}
# Stray control characters from the source's text extraction (8 backspaces in descriptions):
# not part of the text, and not allowed in a spreadsheet cell, so they are dropped.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


# Up to session 51 (1996) every day in Voeten's dates is 1 to 7, which cannot be the calendar
# (the Assembly votes through December), and sessions 52 to 57 (to 2002) mix such days with
# real ones; where checked against the UN's own records the month was right and the day not
# (docs/coverage.md). So a day of 1 to 7 in those sessions is not used.
LAST_SESSION_WITH_UNRELIABLE_DAYS = 57
HIGHEST_UNRELIABLE_DAY = 7


def date_and_precision(session: str, date: str) -> tuple[str, str]:
    """The roll call's date as the package holds it, and how much of it is known."""
    if (
        int(session) <= LAST_SESSION_WITH_UNRELIABLE_DAYS
        and int(date[8:10]) <= HIGHEST_UNRELIABLE_DAY
    ):
        return f"{date[:8]}01", "month"
    return date, "day"


def text(value: str) -> str:
    return CONTROL.sub("", value)


def header(table: str) -> list[str]:
    """The columns of a table, in the order its schema lists them."""
    schema = json.loads((ROOT / "schemas" / f"{table}.schema.json").read_text(encoding="utf-8"))
    return [f["name"] for f in schema["fields"]]


def read(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def roll_call_id(rcid: str) -> str:
    return f"rc-{int(rcid)}"


def roll_call_rows(extract: Path) -> list[dict[str, str]]:
    """One unga_roll_calls row per roll call of the extract, in rcid order."""
    rows = []
    for r in read(extract / "roll_calls.csv"):
        date, precision = date_and_precision(r["session"], r["date"])
        rows.append(
            {
                "roll_call_id": roll_call_id(r["rcid"]),
                "voeten_rcid": str(int(r["rcid"])),
                "session": str(int(r["session"])),
                "vote_date": date,
                "vote_date_precision": precision,
                "resolution_symbol": text(r["unres"]),
                "is_amendment": FLAG[r["amend"]],
                "is_paragraph": FLAG[r["para"]],
                "is_important": FLAG[r["importantvote"]],
                "issue_codes": r["issue_codes"],
                "votes_yes": r["yes_count"],
                "votes_no": r["no_count"],
                "votes_abstain": r["abstain_count"],
                "short_title": text(r["short"]),
                "description": text(r["descr"]),
                "un_vote_id": UN_VOTES.get(int(r["rcid"]), ""),
                "source_id": SOURCE_ID,
                "other_source_ids": "",
                "notes": "",
            }
        )
    return sorted(rows, key=lambda row: int(row["voeten_rcid"]))


def vote_rows(extract: Path) -> list[dict[str, str]]:
    """One unga_country_votes row per vote of the extract (absent votes have no row)."""
    dates = {
        r["rcid"]: date_and_precision(r["session"], r["date"])
        for r in read(extract / "roll_calls.csv")
    }
    rows = []
    for v in read(extract / "votes.csv"):
        country = COUNTRY[v["country_code"]]
        date, precision = dates[v["rcid"]]
        rc = roll_call_id(v["rcid"])
        ussr = country == "RUS" and int(date[:4]) < FIRST_RUSSIAN_FEDERATION_YEAR
        rows.append(
            {
                "vote_id": f"{rc}-{country.lower()}",
                "roll_call_id": rc,
                "vote_date": date,
                "vote_date_precision": precision,
                "country": country,
                "is_ussr": "true" if ussr else "false",
                "vote": v["vote"],
                "source_id": SOURCE_ID,
                "notes": "",
            }
        )
    order = list(COUNTRY.values())
    return sorted(rows, key=lambda row: (int(row["roll_call_id"][3:]), order.index(row["country"])))


def write(path: Path, rows: list[dict[str, str]], columns: list[str]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def replace(path: Path, table: str, rows: list[dict[str, str]]) -> int:
    """Write the Voeten rows first, then the table's other rows as they were; returns how many
    other rows were kept."""
    kept = [r for r in read(path) if r["source_id"] != SOURCE_ID] if path.is_file() else []
    write(path, rows + kept, header(table))
    return len(kept)


def main(argv: list[str]) -> int:
    extract = Path(argv[1]) if len(argv) > 1 else DEFAULT_EXTRACT
    calls, votes = roll_call_rows(extract), vote_rows(extract)
    kept_calls = replace(ROLL_CALLS, "unga_roll_calls", calls)
    kept_votes = replace(VOTES, "unga_country_votes", votes)
    print(
        f"{len(calls)} roll calls and {len(votes)} votes from Voeten's data; "
        f"{kept_calls} roll calls and {kept_votes} votes from other sources kept"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
