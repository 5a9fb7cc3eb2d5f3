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


def number_text(x: float) -> str:
    """A derived figure as the derived tables write it: rounded to 4 decimals, no padding."""
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
                        "identical_share": number_text(s / n),
                        "agreement_index": number_text((s + 0.5 * h) / n),
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


def agreement_rows(frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """unga_agreement's rows, from the typed frames of unga_roll_calls and unga_country_votes."""
    return agreement_frame(frames["unga_roll_calls"], frames["unga_country_votes"])


# --- Answers built on the series (docs/findings.md, the chart, the report's claims) ----------
PERIODS = ((1946, 1970), (1971, 1991), (1992, 2013), (2014, 2019))
UKRAINE_WORDS = r"Ukrain|Crimea|Sevastopol"


def _load(name: str) -> pd.DataFrame:
    from indru_data.findings.analysis import load

    return load(name)


def yearly(
    roll_call_set: str = "all", issue: str = "all", value: str = "identical_share"
) -> pd.DataFrame:
    """One row per year, one column per pair (India–Russia first)."""
    a = _load("unga_agreement")
    a = a[(a["roll_call_set"] == roll_call_set) & (a["issue"] == issue)]
    wide = a.pivot(index="year", columns="pair", values=value)
    wide.columns = [str(c) for c in wide.columns]
    order = [f"{x.lower()}_{y.lower()}" for x, y in PAIRS]
    return wide[[p for p in order if p in wide]].reset_index()


def by_period(roll_call_set: str = "all", issue: str = "all") -> pd.DataFrame:
    """Each pair's pooled identical share and agreement index per period (sums of the yearly
    counts, so a year with many roll calls weighs more), with the rows it sums."""
    a = _load("unga_agreement")
    a = a[(a["roll_call_set"] == roll_call_set) & (a["issue"] == issue)]
    out = []
    for start, end in PERIODS:
        part = a[a["year"].between(start, end)]
        for pair, g in part.groupby("pair", observed=True, sort=False):
            n, s, h = (int(g[c].sum()) for c in COUNTS)
            out.append(
                {
                    "period": f"{start}–{end}",
                    "pair": str(pair),
                    "years": len(g),
                    "roll_calls_both_voted": n,
                    "identical_share": round(s / n, 3),
                    "agreement_index": round((s + 0.5 * h) / n, 3),
                    "agreement_ids": f"{g['agreement_id'].iloc[0]} … {g['agreement_id'].iloc[-1]}",
                    "source_ids": "; ".join(sorted(set(g["source_id"].astype(str)))),
                }
            )
    return pd.DataFrame(out)


COUNTS = ("roll_calls_both_voted", "identical_votes", "half_agreements")


def by_issue(pairs: tuple[str, ...] = ("ind_rus", "ind_usa")) -> pd.DataFrame:
    """India–Russia and India–US identical shares per issue, before and after 1992 (pooled)."""
    a = _load("unga_agreement")
    a = a[(a["roll_call_set"] == "all") & a["pair"].isin(pairs)]
    out = []
    for issue, g in a.groupby("issue", observed=True, sort=False):
        row: dict[str, object] = {"issue": str(issue)}
        for label, (start, end) in (("1971–1991", (1971, 1991)), ("1992–2019", (1992, 2019))):
            for pair in pairs:
                part = g[(g["pair"] == pair) & g["year"].between(start, end)]
                n, s = int(part[COUNTS[0]].sum()), int(part[COUNTS[1]].sum())
                row[f"{pair} {label}"] = round(s / n, 3) if n else None
                row[f"n {pair} {label}"] = n
        out.append(row)
    return pd.DataFrame(out)


def _votes_wide() -> pd.DataFrame:
    v = _load("unga_country_votes")
    wide = v.pivot(index="roll_call_id", columns="country", values="vote").astype("object")
    wide.columns = [str(c) for c in wide.columns]
    src = v.groupby("roll_call_id")["source_id"].agg(lambda s: ";".join(sorted(set(map(str, s)))))
    return wide.join(src.rename("vote_source_ids"))


def ukraine_votes() -> pd.DataFrame:
    """Every General Assembly roll call held on Russia's actions in Ukraine from 2014: those of
    un_votes, and Voeten's whose short title names Ukraine or Crimea (his descriptions quote
    debate records, so they are not searched), with India's, Russia's, the US's and China's
    votes (empty where the country did not vote or its vote is not held)."""
    c = _load("unga_roll_calls")
    named = c["short_title"].fillna("").str.contains(UKRAINE_WORDS, case=False)
    c = c[(c["vote_date"] >= "2014-01-01") & (named | c["un_vote_id"].notna())]
    out = c.set_index("roll_call_id").join(_votes_wide(), how="left").reset_index()
    title = out["short_title"].fillna("").astype(str)
    # Voeten's short title can be a generic heading ("ARMED CONFLICTS PREVENTION--MEDIATION"):
    # then the resolution's own title, which opens his description, is shown.
    generic = ~title.str.contains(UKRAINE_WORDS, case=False) & out["description"].notna()
    title = title.where(~generic, out["description"].fillna("").astype(str).str.split(" : ").str[0])
    out = out.assign(title=title.str.slice(0, 90))
    cols = ["roll_call_id", "vote_date", "resolution_symbol", "title", "IND", "RUS", "USA", "CHN"]
    return out[[*cols, "vote_source_ids"]].sort_values("vote_date").reset_index(drop=True)


def agreement_score(a: object, b: object) -> float | None:
    """1 same vote, 0.5 one abstains, 0 yes against no; None when either did not vote."""
    if not isinstance(a, str) or not isinstance(b, str):
        return None
    if a == b:
        return 1.0
    return 0.5 if "abstain" in (a, b) else 0.0


def later_points() -> pd.DataFrame:
    """The roll calls after Voeten's data (Ukraine-related), scored like the series, for the
    chart: India–Russia and India–US, where both votes are held."""
    u = ukraine_votes()
    u = u[~u["roll_call_id"].str.match(r"rc-\d+$")]
    return u.assign(
        ind_rus=[agreement_score(a, b) for a, b in zip(u["IND"], u["RUS"], strict=True)],
        ind_usa=[agreement_score(a, b) for a, b in zip(u["IND"], u["USA"], strict=True)],
    )
