"""Questions the report and the issues ask, answered from the packaged tables alone.

Each function returns a DataFrame that keeps the `source_id` (and key) of every row it uses,
so a number can be traced to its source. docs/findings.md and docs/report-claims.md are
generated from these functions by `indru-data build`, and the tests check their answers.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pandas as pd

from indru_data.core.load import load as _load_table

WESTERN = ("FRA", "USA", "ISR")
_format = "parquet"


@contextmanager
def reading(fmt: str) -> Iterator[None]:
    """Answer from the CSV files instead of Parquet (the build does, before Parquet is rebuilt)."""
    global _format
    previous, _format = _format, fmt
    try:
        yield
    finally:
        _format = previous


def load(name: str) -> pd.DataFrame:
    return _load_table(name, _format)  # type: ignore[arg-type]


def _listing(rows: pd.DataFrame, cols: list[str], by: str | list[str], **sort) -> pd.DataFrame:
    """The columns a findings table shows, in the order it reads, numbered from 0."""
    return rows.sort_values(by, **sort)[cols].reset_index(drop=True)


def trade_totals(periods: list[str]) -> pd.DataFrame:
    """Total-trade figures for the given period labels, one row per reporter and source."""
    t = load("trade_annual")
    rows = t[(t["flow"] == "total_trade") & t["period"].isin(periods)]
    cols = [
        "period",
        "period_type",
        "reporter",
        "compiler",
        "value_usd_mn",
        "value_qualifier",
        "quality_flags",
        "preferred",
        "source_id",
        "trade_id",
    ]
    # Every figure is listed (the alternatives stay visible); `preferred` marks the one to use.
    return _listing(
        rows,
        cols,
        ["period_type", "period", "preferred", "source_id"],
        ascending=[True, True, False, True],
    )


def prewar_vs_2023() -> pd.DataFrame:
    """Trade before the war (2021, FY2021-22) next to 2023 and FY2023-24, by reporter."""
    return trade_totals(["2021", "FY2021-22", "2023", "FY2023-24"])


def crude_share_over_time() -> pd.DataFrame:
    """Russia's share of India's crude imports, by period and tracker."""
    c = load("crude_oil_imports")
    rows = c[c["russia_share_pct"].notna()]
    cols = [
        "period",
        "period_type",
        "russia_share_pct",
        "measured_by",
        "value_qualifier",
        "source_id",
        "crude_id",
    ]
    return _listing(rows, cols, ["period_start", "period_end"])


def top_commodities(flow: str) -> pd.DataFrame:
    """Largest commodity values in the latest period with full-year values for a flow."""
    c = load("trade_by_commodity")
    rows = c[(c["flow"] == flow) & ~c["is_partial"] & c["value_usd_mn"].notna()]
    if rows.empty:
        return rows
    latest = rows["period_end"].max().year
    rows = rows[rows["period_end"].dt.year == latest]
    cols = [
        "period",
        "commodity_label",
        "value_usd_mn",
        "reporter",
        "source_id",
        "commodity_row_id",
    ]
    return _listing(rows, cols, "value_usd_mn", ascending=False)


def russia_share_by_window(measure: str = "sipri_tiv_published") -> pd.DataFrame:
    """Russia's share of India's arms imports per window (published or derived from SIPRI)."""
    s = load("arms_supplier_shares")
    rows = s[(s["supplier"] == "RUS") & (s["measure"] == measure)]
    cols = [
        "window_start_year",
        "window_end_year",
        "share_of_india_imports_pct",
        "sipri_release_year",
        "data_vintage",
        "preferred",
        "source_id",
        "share_id",
    ]
    return _listing(rows, cols, ["window_end_year", "sipri_release_year"])


def programme_facts(deal_id: str) -> pd.DataFrame:
    """Everything the sources report about one arms programme, latest status last."""
    f = load("arms_deal_facts")
    rows = f[f["deal_id"] == deal_id]
    cols = [
        "fact_id",
        "order_date",
        "quantity_ordered",
        "contract_value_mn",
        "contract_currency",
        "quantity_delivered",
        "status",
        "status_date",
        "source_id",
    ]
    return _listing(rows, cols, ["status_date", "fact_id"], na_position="first")


def partner_ranks() -> pd.DataFrame:
    """Each country's place among the other's trading partners, in period order (undated last)."""
    r = load("trade_partner_rank")
    cols = [
        "ranking_country",
        "partner_country",
        "measure",
        "period",
        "rank",
        "preferred",
        "reporter",
        "source_id",
    ]
    return _listing(r, cols, ["ranking_country", "period_start"], na_position="last")


def programmes_per_decade() -> pd.DataFrame:
    """Programmes by decade of their earliest reported order date: Russian/Soviet vs Western."""
    deals = load("arms_deals")
    facts = load("arms_deal_facts")
    first = facts.dropna(subset=["order_date"]).groupby("deal_id")["order_date"].min()
    d = deals.set_index("deal_id").join(first.rename("first_order"), how="inner")
    d["bloc"] = d["supplier"].map(lambda s: "western" if s in WESTERN else "russian_or_soviet")
    d["decade"] = (d["first_order"].dt.year // 10 * 10).astype("Int64")
    out = d.groupby(["decade", "bloc"]).size().unstack(fill_value=0).reset_index()
    for col in ("russian_or_soviet", "western"):
        if col not in out:
            out[col] = 0
    return out[["decade", "russian_or_soviet", "western"]]


def summit_topics(summit_id: str) -> pd.DataFrame:
    """Items of one summit by topic and outcome type (expected items included)."""
    g = load("summit_agenda")
    rows = g[g["summit_id"] == summit_id]
    return (
        rows.groupby(["topic", "outcome_type"], observed=True).size().rename("items").reset_index()
    )


# The agenda the report summary expected for Putin's December 2025 visit, as (item, topic,
# words one of the item's descriptions must contain). The words narrow a broad topic to the
# item the report meant: "people_consular" also holds visas, so the return of Indian citizens
# from Russia's army needs "army", "armed forces" or "military".
REPORT_AGENDA_2025: tuple[tuple[str, str, str], ...] = (
    ("Trade", "trade_investment", ""),
    ("Cooperation in the Russian Far East and the Arctic", "arctic_far_east", ""),
    ("Chennai-Vladivostok corridor", "connectivity_corridors", "chennai"),
    ("Payment settlement and anti-sanction mechanisms", "payments_settlement", ""),
    (
        "Return of Indian citizens serving in Russia's army",
        "people_consular",
        "army|armed forces|military",
    ),
    ("The Ukraine war", "ukraine", ""),
)


def report_agenda_vs_2025(summit_id: str = "summit-23-2025") -> pd.DataFrame:
    """Each item the report expected on the 2025 agenda, and what the summit's outcomes say of it.

    `outcomes` counts the summit's items on the topic (pre-summit expectations excluded) whose
    description matches the item's words; an item with no outcome shows 0 and empty ids.
    """
    g = load("summit_agenda")
    g = g[(g["summit_id"] == summit_id) & (g["outcome_type"].astype(str) != "expected")]
    rows = []
    for item, topic, words in REPORT_AGENDA_2025:
        hits = g[g["topic"].astype(str) == topic]
        if words:
            hits = hits[hits["description"].str.contains(words, case=False, regex=True)]
        rows.append(
            {
                "report_item": item,
                "topic": topic,
                "outcomes": len(hits),
                "outcome_types": "; ".join(sorted(set(hits["outcome_type"].astype(str)))),
                "item_ids": "; ".join(hits["item_id"]),
                "source_ids": "; ".join(sorted(set(hits["source_id"]))),
            }
        )
    return pd.DataFrame(rows)


def sanctions_per_jurisdiction_year() -> pd.DataFrame:
    """Dated sanctions actions per jurisdiction and year, with the actions counted."""
    s = load("sanctions_actions").dropna(subset=["announced_date"])
    s = s.assign(year=s["announced_date"].dt.year, jurisdiction=s["jurisdiction"].astype(str))
    out = s.groupby(["year", "jurisdiction"]).agg(
        actions=("action_id", "size"), action_ids=("action_id", lambda x: "; ".join(sorted(x)))
    )
    return out.reset_index()


def indian_entities_per_year() -> pd.DataFrame:
    """India-based entities named in sanctions actions, by year of the action."""
    e = load("sanctioned_entities")
    a = load("sanctions_actions")[["action_id", "announced_date", "jurisdiction"]]
    rows = e[e["india_based"].fillna(False).astype(bool)].merge(a, on="action_id", how="left")
    rows = rows.assign(year=rows["announced_date"].dt.year.astype("Int64"))
    cols = ["year", "name_as_listed", "jurisdiction", "action_id", "source_id"]
    return _listing(rows, cols, ["year", "name_as_listed"])


def oil_import_actions() -> pd.DataFrame:
    """Actions that touched India's imports of Russian oil: energy and shipping measures."""
    s = load("sanctions_actions")
    rows = s[s["sector"].isin(["energy", "shipping"])]
    cols = ["announced_date", "jurisdiction", "action_type", "target", "action_id", "source_id"]
    return _listing(rows, cols, "announced_date")


def expected_vs_outcomes(summit_id: str = "summit-23-2025") -> pd.DataFrame:
    """For each topic expected before a summit: the expected items and what the summit produced."""
    g = load("summit_agenda")
    g = g[g["summit_id"] == summit_id]
    expected = g[g["outcome_type"] == "expected"]
    produced = g[g["outcome_type"] != "expected"]
    rows = []
    for topic, items in expected.groupby("topic", observed=True):
        got = produced[produced["topic"] == topic]
        rows.append(
            {
                "topic": str(topic),
                "expected_items": len(items),
                "outcomes": "; ".join(sorted(got["outcome_type"].astype(str))) or "none recorded",
                "outcome_item_ids": "; ".join(got["item_id"]),
                "source_ids": "; ".join(sorted(set(items["source_id"]) | set(got["source_id"]))),
            }
        )
    return pd.DataFrame(rows)


def summits_per_decade() -> pd.DataFrame:
    s = load("summits")
    s = s.assign(decade=(s["start_date"].dt.year // 10 * 10))
    out = s.groupby("decade").agg(
        summits=("summit_id", "size"), summit_ids=("summit_id", lambda x: "; ".join(x))
    )
    return out.reset_index()


def agenda_per_summit() -> pd.DataFrame:
    """Agenda items held for each summit, newest first: outcomes and pre-summit expectations apart."""
    s = load("summits")
    g = load("summit_agenda")
    expected = g["outcome_type"].astype(str) == "expected"
    counts = pd.DataFrame(
        {
            "outcomes": g[~expected].groupby("summit_id").size(),
            "expected": g[expected].groupby("summit_id").size(),
            "sources": g.groupby("summit_id")["source_id"].nunique(),
        }
    )
    out = s[["summit_id", "summit_number", "start_date"]].merge(
        counts, left_on="summit_id", right_index=True, how="left"
    )
    for c in ("outcomes", "expected", "sources"):
        out[c] = out[c].fillna(0).astype("int64")
    out["year"] = out["start_date"].dt.year
    cols = ["summit_id", "summit_number", "year", "outcomes", "expected", "sources"]
    return _listing(out, cols, "start_date", ascending=False)


def india_un_votes() -> pd.DataFrame:
    v = load("un_votes")
    cols = [
        "vote_date",
        "body",
        "resolution_symbol",
        "title",
        "india_vote",
        "votes_yes",
        "votes_no",
        "votes_abstain",
        "source_id",
    ]
    return _listing(v, cols, "vote_date")
