"""Questions the report and the issues ask, answered from the packaged tables alone.

Each function returns a DataFrame that keeps the `source_id` (and key) of every row it uses,
so a number can be traced to its source. docs/findings.md and docs/report-claims.md are
generated from these functions by `indru-data build`, and the tests check their answers.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pandas as pd

from .load import load as _load_table

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


def trade_totals(periods: list[str]) -> pd.DataFrame:
    """Total-trade figures for the given period labels, one row per reporter and source."""
    t = load("trade_annual")
    rows = t[(t["flow"] == "total_trade") & t["period"].isin(periods)]
    cols = [
        "period",
        "period_type",
        "reporter",
        "value_usd_mn",
        "value_qualifier",
        "source_id",
        "trade_id",
    ]
    return rows[cols].sort_values(["period_type", "period", "reporter"]).reset_index(drop=True)


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
    return rows.sort_values(["period_start", "period_end"])[cols].reset_index(drop=True)


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
    return rows.sort_values("value_usd_mn", ascending=False)[cols].reset_index(drop=True)


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
        "source_id",
        "share_id",
    ]
    return rows.sort_values(["window_end_year", "sipri_release_year"])[cols].reset_index(drop=True)


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
    return rows.sort_values(["status_date", "fact_id"], na_position="first")[cols].reset_index(
        drop=True
    )


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
