"""One number per question (issue 21): source authority, quality flags and preferred rows."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from conftest import BrokenCopy, cli

import indru_data
from indru_data.core.descriptor import packaged
from indru_data.core.preferred import (
    AUTHORITY_ORDER,
    ObservationKey,
    derive,
    group_labels,
    problems,
)
from indru_data.release.build import build
from indru_data.validation import validate


def _sources(**authority: str) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "source_id": list(authority),
            "authority": list(authority.values()),
            "published_date": ["2024-01-01", "2025-01-01", "2023-01-01", ""][: len(authority)],
        }
    )


def test_the_rule_in_order() -> None:
    key = ObservationKey(["period"])
    src = _sources(news="news_report", stats="statistical_release", blog="secondary_compilation")
    rows = pd.DataFrame(
        {
            "id": ["a", "b", "c", "d"],
            "period": ["p", "p", "q", "q"],
            "source_id": ["news", "stats", "news", "news"],
            "quality_flags": ["", "suspected_source_error", "duplicate_report", ""],
        }
    )
    chosen = derive(rows, key, ["id"], src)
    # authority beats a blocking flag; among equals, the unflagged row wins
    assert chosen.tolist() == [False, True, False, True]
    override = ObservationKey(["period"], overrides={"a": "checked against the ministry's PDF"})
    assert derive(rows, override, ["id"], src).tolist() == [True, False, False, True]


def test_partial_and_publication_date_break_ties() -> None:
    key = ObservationKey(["period"])
    src = _sources(older="news_report", newer="news_report")
    rows = pd.DataFrame(
        {
            "id": ["a", "b", "c", "d"],
            "period": ["p", "p", "q", "q"],
            "source_id": ["newer", "older", "older", "newer"],
            "is_partial": ["true", "false", "false", "false"],
        }
    )
    # p: the full period wins over the newer but partial row; q: the newer publication wins
    assert derive(rows, key, ["id"], src).tolist() == [False, True, False, True]


def test_a_figure_of_unknown_statistics_joins_the_only_known_reporter() -> None:
    key = ObservationKey(["period", "country"], unknown_joins="country")
    src = _sources(news="news_report", stats="statistical_release")
    rows = pd.DataFrame(
        {
            "id": ["a", "b", "c", "d", "e"],
            "period": ["p", "p", "q", "q", "q"],
            "country": ["IND", "", "IND", "RUS", ""],
            "source_id": ["stats", "news", "stats", "stats", "news"],
        }
    )
    # p: one known reporter, so the news row joins it; q: mirror figures, so it stays apart
    assert derive(rows, key, ["id"], src).tolist() == [True, False, True, True, True]


@pytest.mark.parametrize(
    ("table", "query", "value"),
    [
        ("trade_annual", "period == 'FY2023-24' and flow == 'india_imports_from_russia'", 61431.24),
        ("trade_annual", "period == 'FY2021-22' and flow == 'total_trade'", 13124.79),
        (
            "arms_supplier_shares",
            "window_start_year == 2019 and window_end_year == 2023 and supplier == 'RUS'"
            " and measure == 'sipri_tiv_derived'",
            None,
        ),
        (
            "arms_supplier_shares",
            "window_start_year == 2019 and window_end_year == 2023 and supplier == 'RUS'"
            " and measure == 'sipri_tiv_published' and sipri_release_year == 2024",
            None,
        ),
        ("sanctions_actions", "jurisdiction == 'USA' and target.str.contains('Rosneft')", None),
        ("un_votes", "resolution_symbol.str.endswith('ES-11/1')", None),
    ],
)
def test_the_issue_questions_get_one_row(table: str, query: str, value: float | None) -> None:
    rows = indru_data.load(table, preferred_only=True).query(query, engine="python")
    assert len(rows) == 1, rows
    if value is not None:
        assert rows["value_usd_mn"].iloc[0] == value
    assert len(indru_data.load(table).query(query, engine="python")) >= len(rows)


def test_every_observation_has_exactly_one_preferred_row() -> None:
    pkg = packaged()
    sources = indru_data.load("sources")
    keyed = [t for t in pkg.tables.values() if t.observation_key is not None]
    assert {t.name for t in keyed} >= {"trade_annual", "arms_supplier_shares", "arms_deal_facts"}
    for table in keyed:
        frame = indru_data.load(table.name)
        assert problems(frame, table.observation_key, table.primary_key, sources) == []


def test_every_source_has_an_authority() -> None:
    s = indru_data.load("sources")
    assert s["authority"].notna().all()
    assert set(s["authority"].astype(str)) <= set(AUTHORITY_ORDER)
    assert (
        s[s["source_id"].str.startswith("commerce-tradestat")]["authority"] == "statistical_release"
    ).all()


def test_flagged_rows_of_the_issue() -> None:
    t = indru_data.load("trade_annual").set_index("trade_id")
    assert t.loc["fy2021-22-total-outlook", "quality_flags"] == "suspected_source_error"
    assert t.loc["fy2024-25-total-outlook", "quality_flags"] == "duplicate_report"
    assert t.loc["fy2022-23-imports-firstpost", "quality_flags"] == "period_mislabelled"
    assert t.loc["2025-jan-jun-total-bloomberg", "quality_flags"] == "suspected_source_error"
    assert t.loc["fy2025-26-total-tradestat", "quality_flags"] == "provisional"
    m = indru_data.load("trade_measures").set_index("measure_id")
    assert m.loc["measure-c021", "quality_flags"] == "report_date_not_event_date"
    c = indru_data.load("crude_oil_imports").set_index("crude_id")
    assert c.loc["crude-b051", "value_qualifier"] == "approximately"


def _set(copy: BrokenCopy, trade_id: str, value: str) -> None:
    def change(_h: list[str], rows: list[dict[str, str]]) -> None:
        for row in rows:
            if row["trade_id"] == trade_id:
                row["preferred"] = value

    copy.edit("trade_annual", change)


def test_two_preferred_rows_are_caught(broken: BrokenCopy) -> None:
    _set(broken, "fy2021-22-total-ie", "true")
    report = validate(broken.descriptor, check_parquet=False)
    hits = [f for f in report.failures if f.rule == "preferred-row"]
    assert hits and "2 rows of this observation are marked preferred" in hits[0].message
    assert hits[0].table == "trade_annual" and hits[0].column == "preferred"
    # The flag as a plain bool: the text report showed numpy's "np.True_".
    assert type(hits[0].value) is bool and "np.True_" not in report.to_text()


@pytest.mark.slow
def test_a_hand_edited_flag_is_stale_and_build_restores_it(broken: BrokenCopy) -> None:
    _set(broken, "fy2021-22-total-tradestat", "false")
    _set(broken, "fy2021-22-total-outlook", "true")
    report = validate(broken.descriptor, check_parquet=False)
    assert any("disagrees with the rule" in f.message for f in report.failures)
    assert broken.csv("trade_annual") in build(broken.descriptor, check=True)
    build(broken.descriptor)
    assert validate(broken.descriptor).valid


def test_an_unknown_flag_is_refused(broken: BrokenCopy) -> None:
    broken.set_cell("trade_annual", 0, "quality_flags", "looks_odd")
    report = validate(broken.descriptor, check_parquet=False)
    assert any(f.column == "quality_flags" for f in report.failures)


def test_describe_shows_the_key_and_the_rule() -> None:
    out = cli("describe", "trade_annual", "--format", "json")
    out.check_returncode()
    observation = json.loads(out.stdout)["observation_key"]
    assert observation["fields"] == ["period", "flow", "reporter_country"]
    assert "higher source authority first" in observation["rule"]


def test_exports_can_keep_preferred_rows_only(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import sqlite3

    out = indru_data.export("sqlite", tmp_path / "p.sqlite", preferred_only=True)
    con = sqlite3.connect(out)
    (n,) = con.execute("SELECT count(*) FROM trade_annual").fetchone()
    assert n == len(indru_data.load("trade_annual", preferred_only=True))
    assert n < len(indru_data.load("trade_annual"))
    (bad,) = con.execute("SELECT count(*) FROM trade_annual WHERE NOT preferred").fetchone()
    assert bad == 0


# Issue 34, item 2: SIPRI's published shares beside the shares derived from its register.
SIPRI_SHARES = {
    # table: (measure column value of derived rows, release-year column)
    "arms_supplier_shares": ("sipri_tiv_derived", "sipri_release_year"),
    "context_indicators": ("derived_from_register", "release_year"),
}
NO_RELEASE_NOTE = "does not show which SIPRI release"


@pytest.mark.parametrize("table", sorted(SIPRI_SHARES))
def test_measure_and_release_year_are_in_the_observation_key(table: str) -> None:
    key = packaged().tables[table].observation_key
    assert key is not None
    assert "measure" in key.fields and SIPRI_SHARES[table][1] in key.fields
    assert key.unknown_joins not in ("measure", SIPRI_SHARES[table][1])


@pytest.mark.parametrize("table", sorted(SIPRI_SHARES))
def test_a_derived_row_never_hides_a_published_one(table: str) -> None:
    """Every observation holds one measure and one release year, and every window that has both
    a derived and a published row has a preferred row of each."""
    t = packaged().tables[table]
    frame = indru_data.load(table)
    derived_value, release = SIPRI_SHARES[table]
    labels = group_labels(frame, t.observation_key)
    per_group = frame.assign(_g=labels).groupby("_g")
    assert (per_group["measure"].nunique(dropna=False) == 1).all()
    assert (per_group[release].nunique(dropna=False) == 1).all()
    chosen = frame[frame["preferred"].fillna(False).astype(bool)]
    window = ["window_start_year", "window_end_year"]
    window += ["supplier"] if table == "arms_supplier_shares" else ["indicator", "partner_country"]
    both = frame.groupby(window, dropna=False)["measure"].nunique() > 1
    assert both.any()  # the data has windows with both measures: the check is not vacuous
    for idx in both[both].index:
        rows = chosen.set_index(window).loc[[idx]]
        assert derived_value in set(rows["measure"])
        assert (rows["measure"] != derived_value).any(), idx


def test_the_rule_keeps_a_published_share_beside_a_derived_one() -> None:
    """Under the old key (window and supplier only) the register's higher authority hid the
    published share of the same window; with measure and release year in it, each stands."""
    src = _sources(register="statistical_release", news="news_report", sheet="statistical_release")
    rows = pd.DataFrame(
        {
            "id": ["derived", "pub-2023", "pub-2024", "pub-2024-sheet", "pub-unknown"],
            "window_start_year": [2018] * 5,
            "window_end_year": [2022] * 5,
            "supplier": ["RUS"] * 5,
            "measure": ["sipri_tiv_derived"] + ["sipri_tiv_published"] * 4,
            "sipri_release_year": [None, 2023, 2024, 2024, None],
            "source_id": ["register", "news", "news", "sheet", "news"],
        }
    )
    key = packaged().tables["arms_supplier_shares"].observation_key
    chosen = derive(rows, key, ["id"], src)
    # the fact sheet wins its release over the news report; nothing else competes
    assert chosen.tolist() == [True, True, False, True, True]
    old = ObservationKey(["window_start_year", "window_end_year", "supplier"])
    assert derive(rows, old, ["id"], src).sum() == 1  # the old key: one row for all five


@pytest.mark.parametrize(
    ("table", "published", "release"),
    [
        ("arms_supplier_shares", "measure == 'sipri_tiv_published'", "sipri_release_year"),
        ("context_indicators", "measure == 'published' and compiler == 'sipri'", "release_year"),
        ("arms_import_rank", "index == index", "sipri_release_year"),
    ],
)
def test_every_published_sipri_row_has_a_release_year_or_says_why_not(
    table: str, published: str, release: str
) -> None:
    rows = indru_data.load(table).query(published, engine="python")
    assert len(rows) > 10
    missing = rows[rows[release].isna()]
    said = missing["notes"].fillna("").str.contains(NO_RELEASE_NOTE, regex=False)
    assert said.all(), missing.loc[~said].iloc[:, 0].tolist()


@pytest.mark.parametrize(
    ("table", "key", "row_id", "release", "rule"),
    [
        (
            "arms_supplier_shares",
            "share_id",
            "published-s015",
            "sipri_release_year",
            "published_rows_name_release",
        ),
        (
            "context_indicators",
            "indicator_id",
            "pub-2014-2018-rus-ind-sipri-fs2019",
            "release_year",
            "published_sipri_rows_name_release",
        ),
        ("arms_import_rank", "rank_id", "rank-g009", "sipri_release_year", "rows_name_release"),
    ],
)
def test_a_published_row_without_release_or_note_fails_validation(
    broken: BrokenCopy, table: str, key: str, row_id: str, release: str, rule: str
) -> None:
    def change(h: list[str], rs: list[dict[str, str]]) -> None:
        for row in rs:
            if row[key] == row_id:
                row[release] = ""
                row["notes"] = ""

    broken.edit(table, change)
    report = validate(broken.descriptor, check_parquet=False)
    hits = [f for f in report.failures if f.rule == rule]
    assert hits and hits[0].key == row_id


@pytest.mark.parametrize("table", ["arms_supplier_shares", "context_indicators"])
def test_the_shares_rule_says_how_to_get_sipris_published_figure(table: str) -> None:
    """Issue 33: the one-sentence rule of a share table says that the derived figure does not
    hide SIPRI's published one, and which column values select it."""
    rule = indru_data.load(table).attrs["preferred_rule"]
    assert "derived from the latest" in rule and "SIPRI itself published" in rule, rule
    assert "measure = " in rule and "release_year" in rule, rule
    assert rule.count(".") >= 1 and "\n" not in rule
