"""UN General Assembly votes: the yearly agreement series `unga_agreement`, derived by
`indru-data build` from `unga_roll_calls` and `unga_country_votes`, and the answers built on it.

For each year, pair of countries, set of roll calls (all, or those the US State Department
listed as important) and issue (all, or one of Voeten's six codes), over the roll calls both
countries voted on (yes, no or abstain; an absent vote is no vote):

- identical_share = S / N, S the roll calls where both cast the same vote;
- agreement_index = (S + 0.5 H) / N, H the roll calls where exactly one of them abstained:
  the agreement index of Voeten's data, which counts an abstention as half-disagreement with
  a yes or a no (1 same vote, 0.5 one abstains, 0 yes against no).

Only Voeten's roll calls (1946–2019) enter the series: the later roll calls held are the
Ukraine-related votes only, no sample of a year's votes. 2020 holds a single roll call of
Voeten's (14 January, session 74) and is left out as no year.
"""

from __future__ import annotations

import csv
import io

import pandas as pd

VOETEN = "voeten-unga-voting-data"
FORMULA_SOURCE = "unproject-unga-voting-codebook"
DATA_VINTAGE = "2021-02-21"  # the Dataverse file the unvotes copy was made from
MEASURE = "voeten_derived"
LAST_YEAR = 2019
PAIRS = (("IND", "RUS"), ("IND", "USA"), ("IND", "CHN"), ("RUS", "USA"))
ISSUES = ("co", "di", "ec", "hr", "me", "nu")
COLUMNS = [
    "agreement_id",
    "year",
    "pair",
    "country_a",
    "country_b",
    "roll_call_set",
    "issue",
    "roll_calls_both_voted",
    "identical_votes",
    "half_agreements",
    "identical_share",
    "agreement_index",
    "russia_is_ussr",
    "measure",
    "data_vintage",
    "source_id",
    "other_source_ids",
]


def _number(x: float) -> str:
    return repr(round(float(x), 4))


def vote_matrix(calls: pd.DataFrame, votes: pd.DataFrame) -> pd.DataFrame:
    """One row per Voeten roll call up to LAST_YEAR: year, important flag, issue codes and
    each country's vote (missing where it did not vote)."""
    v = votes[votes["source_id"].astype(str) == VOETEN]
    wide = v.pivot(index="roll_call_id", columns="country", values="vote").astype("object")
    wide.columns = [str(c) for c in wide.columns]
    c = calls[calls["source_id"].astype(str) == VOETEN].set_index("roll_call_id")
    out = pd.DataFrame(
        {
            "year": c["vote_date"].dt.year.astype(int),
            "important": c["is_important"].fillna(False).astype(bool),
            "issues": c["issue_codes"].fillna("").astype(str),
        }
    ).join(wide.astype("string"), how="left")
    return out[out["year"] <= LAST_YEAR]


def agreement_frame(calls: pd.DataFrame, votes: pd.DataFrame) -> pd.DataFrame:
    """The rows of unga_agreement as text, in a stable order."""
    m = vote_matrix(calls, votes)
    rows: list[dict[str, str]] = []
    for a, b in PAIRS:
        if a not in m or b not in m:
            continue
        both = m[m[a].notna() & m[b].notna()]
        same = both[a] == both[b]
        half = ~same & ((both[a] == "abstain") | (both[b] == "abstain"))
        base = pd.DataFrame(
            {
                "year": both["year"],
                "important": both["important"],
                "issues": both["issues"],
                "same": same.astype(int),
                "half": half.astype(int),
            }
        )
        subsets = [("all", "all", base), ("important", "all", base[base["important"]])]
        for code in ISSUES:
            has = base["issues"].str.split(";").map(lambda codes, c=code: c in codes)
            subsets += [
                ("all", code, base[has]),
                ("important", code, base[has & base["important"]]),
            ]
        pair = f"{a.lower()}_{b.lower()}"
        for roll_call_set, issue, part in subsets:
            g = part.groupby("year").agg(
                n=("same", "size"), same=("same", "sum"), half=("half", "sum")
            )
            for year, r in g.iterrows():
                n, s, h = int(r["n"]), int(r["same"]), int(r["half"])
                rows.append(
                    {
                        "agreement_id": f"{year}-{pair.replace('_', '-')}-{roll_call_set}-{issue}",
                        "year": str(year),
                        "pair": pair,
                        "country_a": a,
                        "country_b": b,
                        "roll_call_set": roll_call_set,
                        "issue": issue,
                        "roll_calls_both_voted": str(n),
                        "identical_votes": str(s),
                        "half_agreements": str(h),
                        "identical_share": _number(s / n),
                        "agreement_index": _number((s + 0.5 * h) / n),
                        "russia_is_ussr": "true"
                        if "RUS" in (a, b) and int(year) < 1992
                        else "false",
                        "measure": MEASURE,
                        "data_vintage": DATA_VINTAGE,
                        "source_id": VOETEN,
                        "other_source_ids": FORMULA_SOURCE,
                    }
                )
    order = {p: i for i, p in enumerate(f"{a.lower()}_{b.lower()}" for a, b in PAIRS)}
    issues = {c: i for i, c in enumerate(("all", *ISSUES))}
    rows.sort(
        key=lambda r: (
            int(r["year"]),
            order[r["pair"]],
            r["roll_call_set"] != "all",
            issues[r["issue"]],
        )
    )
    return pd.DataFrame(rows, columns=COLUMNS)


def agreement_csv(frames: dict[str, pd.DataFrame]) -> str:
    """unga_agreement's CSV, from the typed frames of unga_roll_calls and unga_country_votes."""
    frame = agreement_frame(frames["unga_roll_calls"], frames["unga_country_votes"])
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows(frame[COLUMNS].itertuples(index=False))
    return out.getvalue()


# Tables `indru-data build` writes itself: name -> (the tables it reads, the function).
DERIVED_TABLES = {"unga_agreement": (("unga_roll_calls", "unga_country_votes"), agreement_csv)}
