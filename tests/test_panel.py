"""The relationship panel (issue 32, item 5): one row per year from 1992, derived by build,
every non-empty cell traced to the rows it comes from."""

from __future__ import annotations

import pandas as pd
import pytest
from conftest import ROOT, BrokenCopy

import indru_data
from indru_data.findings.derived import DERIVED_TABLES, derived_csv
from indru_data.validation import validate

INPUTS = DERIVED_TABLES["relationship_panel"][0]  # the tables build derives the panel from


@pytest.fixture(scope="module")
def p() -> pd.DataFrame:
    return indru_data.load("relationship_panel")


@pytest.fixture(scope="module")
def frames() -> dict[str, pd.DataFrame]:
    return {name: indru_data.load(name) for name in INPUTS}


def _ids(cell: object) -> list[str]:
    return [] if pd.isna(cell) else str(cell).split(";")


def test_one_row_per_year_from_1992(p: pd.DataFrame) -> None:
    years = p["year"].tolist()
    assert years == list(range(1992, years[-1] + 1)) and years[-1] >= 2025
    assert (p["panel_id"] == p["year"].astype(str)).all()


def test_the_panel_is_what_build_derives(frames: dict[str, pd.DataFrame]) -> None:
    text = (ROOT / "data" / "relationship_panel.csv").read_text(encoding="utf-8")
    assert text == derived_csv("relationship_panel", frames)


def test_every_cell_is_recomputed_from_the_rows_it_names(
    p: pd.DataFrame, frames: dict[str, pd.DataFrame]
) -> None:
    trade = frames["trade_annual"].set_index("trade_id")
    arms = frames["arms_supplier_shares"].set_index("share_id")
    agree = frames["unga_agreement"].set_index("agreement_id")
    summits = frames["summits"].set_index("summit_id")
    actions = frames["sanctions_actions"].set_index("action_id")
    checked = 0
    for r in p.itertuples():
        sources: set[str] = set()
        if pd.notna(r.trade_fy_total_usd_mn):
            (row,) = [trade.loc[i] for i in _ids(r.trade_fy_ids)]
            assert row["value_usd_mn"] == r.trade_fy_total_usd_mn and row["preferred"]
            assert row["period"] == r.trade_fy_period and row["period_start"].year == r.year
            sources.add(row["source_id"])
            checked += 1
        for side, country in (("india", "IND"), ("russia", "RUS")):
            value = getattr(r, f"trade_cy_{side}_reported_usd_mn")
            rows = [trade.loc[i] for i in _ids(getattr(r, f"trade_cy_{side}_reported_ids"))]
            if pd.isna(value):
                assert not rows
                continue
            assert len(rows) == 2 and all(x["reporter_country"] == country for x in rows)
            assert {x["flow"] for x in rows} == {
                "india_exports_to_russia",
                "india_imports_from_russia",
            }
            assert sum(x["value_usd_mn"] for x in rows) == pytest.approx(value, abs=1e-4)
            assert all(x["period_start"].year == r.year for x in rows)
            sources |= {x["source_id"] for x in rows}
            checked += 1
        if pd.notna(r.arms_russia_share_pct):
            row = arms.loc[r.arms_share_ids]
            assert row["supplier"] == "RUS" and row["window_end_year"] == r.year
            assert row["window_end_year"] - row["window_start_year"] == 4 and row["preferred"]
            assert row["share_of_india_imports_pct"] == r.arms_russia_share_pct
            sources.add(row["source_id"])
            checked += 1
        if pd.notna(r.unga_ind_rus_identical_share):
            row = agree.loc[r.unga_agreement_ids]
            assert (row["pair"], row["year"]) == ("ind_rus", r.year)
            assert row["identical_share"] == r.unga_ind_rus_identical_share
            assert row["agreement_index"] == r.unga_ind_rus_agreement_index
            sources.add(row["source_id"])
            checked += 1
        for count, ids, table, date in (
            (r.summits_held, r.summit_ids, summits, "start_date"),
            (r.sanctions_actions_naming_india, r.sanctions_action_ids, actions, "announced_date"),
        ):
            if pd.isna(count):
                assert pd.isna(ids)
                continue
            named = _ids(ids)
            assert len(named) == count
            assert all(table.loc[i, date].year == r.year for i in named)
            sources |= {table.loc[i, "source_id"] for i in named}
            checked += 1
        assert set(_ids(r.source_ids)) == sources
    assert checked > 150


def test_gaps_stay_gaps(p: pd.DataFrame) -> None:
    by_year = p.set_index("year")
    assert by_year.loc[1992:2008, "trade_fy_total_usd_mn"].isna().all()  # TRADESTAT from FY2009-10
    assert by_year.loc[2020:, "unga_ind_rus_identical_share"].isna().all()  # Voeten's data end
    assert by_year.loc[1992:1999, "summits_held"].isna().all()  # annual summits from 2000
    assert by_year.loc[1992:2013, "sanctions_actions_naming_india"].isna().all()
    assert pd.isna(by_year.loc[1993, "trade_cy_india_reported_usd_mn"])  # IMF gap (coverage.md)
    assert by_year.loc[2019, "unga_roll_calls_both_voted"] == 86


@pytest.mark.slow
def test_a_cell_naming_a_row_that_does_not_exist_is_caught(broken: BrokenCopy) -> None:
    def change(_h: list[str], rows: list[dict[str, str]]) -> None:
        for row in rows:
            if row["panel_id"] == "2019":
                row["unga_agreement_ids"] = "2019-ind-rus-all-none"

    broken.edit("relationship_panel", change)
    report = validate(broken.descriptor, check_parquet=False)
    hits = [f for f in report.failures if f.column == "unga_agreement_ids"]
    assert hits and hits[0].table == "relationship_panel"
