"""Indian entities under Russia-related sanctions: who was listed, when, by whom, on what source.

Answers for docs/findings.md (its sanctions section) from sanctions_actions and
sanctioned_entities, read through `analysis.load`, so that `analysis.reading("csv")` holds here
too. An empty `india_entities_named` means "not stated" and is never counted as zero.
"""

from __future__ import annotations

import pandas as pd

from indru_data.findings import analysis


def entity_list_completeness() -> pd.DataFrame:
    """Actions that state how many Indian entities they name, against the entity rows held."""
    a = analysis.load("sanctions_actions")
    e = analysis.load("sanctioned_entities")
    a = a[a["india_entities_named"].notna()]
    held = e[e["india_based"].fillna(False).astype(bool)].groupby("action_id").size()
    out = a[["action_id", "india_entities_named", "source_id"]].copy()
    out["india_entities_held"] = out["action_id"].map(held).fillna(0).astype("Int64")
    out["list"] = (out["india_entities_held"] == out["india_entities_named"]).map(
        {True: "complete", False: "incomplete"}
    )
    return out.reset_index(drop=True)


def us_actions_naming_indian_entities(since: str = "2022-02-01") -> pd.DataFrame:
    """US actions announced since `since`, each marked by whether it named India-based entities.

    `named`: the action states a count above zero, or India-based rows of sanctioned_entities link
    to it. `named, count not stated`: a listing whose target country is India but which states no
    count. `none`: it states zero. `not a listing`: a tariff, statement or other measure that
    lists no one. `not stated`: a listing that states no count, with no India-based row linked
    and another target country. An empty `india_entities_named` is unknown, never read as zero.
    """
    a = analysis.load("sanctions_actions")
    e = analysis.load("sanctioned_entities")
    a = a[(a["jurisdiction"].astype(str) == "USA") & (a["announced_date"] >= pd.Timestamp(since))]
    held = e[e["india_based"].fillna(False).astype(bool)].groupby("action_id").size()
    cols = ["announced_date", "acting_body", "action_type", "action_id", "india_entities_named"]
    out = a[[*cols, "source_id"]].copy()
    out["india_entities_held"] = out["action_id"].map(held).fillna(0).astype("Int64")
    stated = out["india_entities_named"]
    named = stated.gt(0).fillna(False) | out["india_entities_held"].gt(0)
    zero = stated.eq(0).fillna(False) & ~named
    listing = a["action_type"].astype(str).isin(["designation", "export_control_listing"])
    india = listing & (a["target_country"].astype(str) == "IND") & stated.isna() & ~named
    out["named_indian_entities"] = "not stated"
    out.loc[~listing, "named_indian_entities"] = "not a listing"
    out.loc[india, "named_indian_entities"] = "named, count not stated"
    out.loc[zero, "named_indian_entities"] = "none"
    out.loc[named, "named_indian_entities"] = "named"
    order = ["named_indian_entities", *cols, "india_entities_held", "source_id"]
    return analysis._listing(out, order, ["named_indian_entities", "announced_date"])


NOT_STATED = "not stated"
_LEGAL_FORMS = r"\b(PRIVATE LIMITED|PVT\.? LTD\.?|LIMITED|LTD|OPC|LLP|CO)\b"


def company_key(name: str) -> str:
    """One key per company across the spellings of its listings ("Si2Microsystems Private
    Limited", "Si2 Microsystems"; "OCEAN SPEEDSTAR SOLUTIONS OPC PRIVATE LIMITED", "Ocean
    Speedstar Solutions OPC PVT LTD"): upper case, legal forms, punctuation and spaces removed."""
    import re

    key = re.sub(_LEGAL_FORMS, " ", name.upper())
    return re.sub(r"[^A-Z0-9]", "", key)


def indian_listings() -> pd.DataFrame:
    """Every listing of an India-based entity under Russia-related sanctions, one row each.

    A listing is a row of sanctioned_entities with `india_based` true: an entity named by an
    action (its year and jurisdiction are the action's) or an entry of OFAC's list (listed by the
    US; where no cited page names the action that listed it, the year is "not stated", never
    guessed). `business_line` empty is "not stated". `company` groups the listings of one company
    under several jurisdictions (company_key).
    """
    e = analysis.load("sanctioned_entities")
    a = analysis.load("sanctions_actions")[["action_id", "announced_date", "jurisdiction"]]
    rows = e[e["india_based"].fillna(False).astype(bool)].merge(a, on="action_id", how="left")
    juris = rows["jurisdiction"].astype("string")
    juris = juris.mask(juris.isna() & rows["ofac_ent_num"].notna(), "USA")
    year = rows["announced_date"].dt.year.astype("Int64").astype("string")
    out = pd.DataFrame(
        {
            "entity_id": rows["entity_id"],
            "name_as_listed": rows["name_as_listed"],
            "company": rows["name_as_listed"].astype(str).map(company_key),
            "jurisdiction": juris.fillna(NOT_STATED),
            "year_of_listing": year.fillna(NOT_STATED),
            "business_line": rows["business_line"].astype("string").fillna(NOT_STATED),
            "action_id": rows["action_id"],
            "source_id": rows["source_id"],
        }
    )
    return analysis._listing(
        out, list(out.columns), ["year_of_listing", "jurisdiction", "entity_id"]
    )


def _count(rows: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    out = rows.groupby(by, observed=True).agg(
        listings=("entity_id", "size"),
        companies=("company", "nunique"),
        entity_ids=("entity_id", lambda x: "; ".join(sorted(x))),
    )
    return out.reset_index()


def indian_listings_by_year() -> pd.DataFrame:
    """Listings of India-based entities per year of listing and jurisdiction ("not stated" last)."""
    return _count(indian_listings(), ["year_of_listing", "jurisdiction"])


def indian_listings_by_jurisdiction() -> pd.DataFrame:
    """Listings of India-based entities per jurisdiction, and how many have a stated year."""
    rows = indian_listings()
    out = _count(rows, ["jurisdiction"])
    dated = rows[rows["year_of_listing"] != NOT_STATED].groupby("jurisdiction").size()
    out.insert(3, "year_stated", out["jurisdiction"].map(dated).fillna(0).astype("int64"))
    return out.sort_values(["listings", "jurisdiction"], ascending=[False, True]).reset_index(
        drop=True
    )


def indian_listings_by_business_line() -> pd.DataFrame:
    """Listings and companies per business line (sector); "not stated" where no source says."""
    out = _count(indian_listings(), ["business_line"])
    stated = out["business_line"] != NOT_STATED
    return pd.concat(
        [out[stated].sort_values("listings", ascending=False), out[~stated]]
    ).reset_index(drop=True)


OFFICIAL = ("statistical_release", "official_document")


def official_source_share() -> pd.DataFrame:
    """Per table, the rows backed by at least one official source (statistics or document)."""
    from indru_data.core.load import tables

    authority = analysis.load("sources").set_index("source_id")["authority"].astype(str)
    official = set(authority[authority.isin(OFFICIAL)].index)
    out = []
    for name in tables():
        if name == "sources":
            continue
        t = analysis.load(name)
        if "source_id" not in t:  # a derived table whose cells name the rows they come from
            continue
        cited = t["source_id"].astype(str).map(lambda s: {s})
        if "other_source_ids" in t:
            extra = t["other_source_ids"].fillna("").astype(str).map(lambda s: set(s.split(";")))
            cited = cited.combine(extra, lambda a, b: a | b)
        backed = cited.map(lambda ids: bool(ids & official)).astype(bool)  # empty: not object
        out.append(
            {
                "table": name,
                "rows": len(t),
                "official_rows": int(backed.sum()),
                "official_pct": round(100 * backed.mean(), 1) if len(t) else 0.0,
            }
        )
    return pd.DataFrame(out)


# The sentences docs/findings.md states these answers in.


def us_named_title() -> str:
    """The answer to "US actions since February 2022 that named Indian entities", in one line."""
    status = us_actions_naming_indian_entities()["named_indian_entities"]
    counts = status.value_counts()
    named, unstated = counts.get("named", 0), counts.get("named, count not stated", 0)
    return (
        "US actions since February 2022 that named Indian entities: "
        f"{named + unstated} of {len(status)} ({named} with a count or rows held, {unstated} whose "
        f"sources give no count); {counts.get('not stated', 0)} listings do not say (not counted "
        f"as none), {counts.get('not a listing', 0)} are not listings"
    )


def _uncounted_names() -> str:
    """Actions that count more Indian names than the rows held: the difference is no listing."""
    c = entity_list_completeness()
    short = c[c["india_entities_named"] > c["india_entities_held"]]
    if short.empty:
        return ""
    parts = "; ".join(
        f"{r.action_id}: {r.india_entities_named} counted, {r.india_entities_held} held"
        for r in short.itertuples()
    )
    return f"{len(short)} actions count Indian names that are not held as rows ({parts}); they add no listing. "


def summary() -> str:
    """The paragraph that opens the findings on Indian entities under Russia-related sanctions."""
    rows = indian_listings()
    stated_year = rows["year_of_listing"] != NOT_STATED
    stated_line = rows["business_line"] != NOT_STATED
    by_j = rows["jurisdiction"].value_counts()
    juris = ", ".join(f"{j} {n}" for j, n in by_j.items())
    return (
        "Indian entities under Russia-related sanctions: the tables held "
        f"{len(rows)} listings of {rows['company'].nunique()} India-based companies and persons "
        f"({juris}); a company listed by several jurisdictions is one listing per jurisdiction. "
        f"{int(stated_year.sum())} listings have the year of the action that listed them; the "
        f"other {int((~stated_year).sum())} are entries of OFAC's list that no cited page ties to "
        "an action (year not stated, never guessed). The business line is stated for "
        f"{int(stated_line.sum())} listings and not stated for {int((~stated_line).sum())}. "
        + _uncounted_names()
        + us_named_title()
        + " (the query "
        "`indru_data.findings.sanctions_listings.us_actions_naming_indian_entities()`; an empty `india_entities_named` is "
        '"not stated", never zero).'
    )
