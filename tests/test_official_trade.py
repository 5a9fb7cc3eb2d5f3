"""Trade on official statistics (issue 15): the Commerce Ministry's fiscal-year backbone and the
IMF's mirror statistics, checked on the packaged data and on broken copies of it."""

from __future__ import annotations

import importlib.util

import pandas as pd
import pytest
from conftest import ROOT, BrokenCopy

import indru_data
from indru_data.findings import claims, official_trade
from indru_data.validation import validate

FISCAL_YEARS = [f"FY{y}-{(y + 1) % 100:02d}" for y in range(2009, 2026)]
FLOWS = {"india_exports_to_russia", "india_imports_from_russia", "total_trade"}
# (year, flow, reporter_country) the IMF extract cannot give: corrupted values, and 1993 absent.
IMF_GAPS = {
    (year, flow, "IND")
    for year in ("1992", "1993", "1994", "1996")
    for flow in ("india_exports_to_russia", "india_imports_from_russia")
}
IMF_EXTRACT = (
    ROOT.parent
    / "shared"
    / "data"
    / "imf-dots"
    / "india-russia-china-goods-trade-imf-imts-1948-2020.csv"
)


@pytest.fixture(scope="module")
def trade() -> pd.DataFrame:
    return indru_data.load("trade_annual")


def test_every_fiscal_year_has_all_three_official_flows(trade: pd.DataFrame) -> None:
    rows = official_trade.commerce_ministry_rows()
    assert sorted(rows["period"].unique()) == FISCAL_YEARS
    per_year = rows.groupby("period", observed=True)["flow"].agg(lambda f: set(map(str, f)))
    assert all(flows == FLOWS for flows in per_year)
    assert len(rows) == len(FISCAL_YEARS) * 3  # one row per year and flow, no duplicates


def test_commerce_ministry_total_is_exports_plus_imports(trade: pd.DataFrame) -> None:
    series = official_trade.official_fy_series()
    assert ((series["exports"] + series["imports"] - series["total"]).abs() <= 0.02).all()


def test_only_the_latest_year_is_provisional() -> None:
    series = official_trade.official_fy_series()
    provisional = series["quality_flags"].fillna("").str.contains("provisional")
    assert series.loc[provisional, "period"].tolist() == ["FY2025-26"]


def test_every_imf_year_not_a_gap_has_all_four_figures(trade: pd.DataFrame) -> None:
    imf = trade[trade["compiler"] == "imf"]
    held = set(
        zip(
            imf["period"], imf["flow"].astype(str), imf["reporter_country"].astype(str), strict=True
        )
    )
    expected = {
        (str(year), flow, country)
        for year in range(1992, 2021)
        for flow in ("india_exports_to_russia", "india_imports_from_russia")
        for country in ("IND", "RUS")
    }
    assert expected - held == IMF_GAPS
    assert held <= expected
    coverage = (ROOT / "docs" / "coverage.md").read_text()
    assert "1992, 1993, 1994, 1996 (corrupted)" in coverage
    assert "1993 (not in the file)" in coverage


def test_one_filter_puts_india_imports_beside_russia_exports(trade: pd.DataFrame) -> None:
    mirror = trade.query("compiler == 'imf' and flow == 'india_imports_from_russia'")
    both = mirror.pivot_table(
        index="period", columns="reporter_country", values="value_usd_mn", observed=True
    )
    years = [str(y) for y in [1995, *range(1997, 2021)]]
    assert both.loc[years].notna().all().all()
    as_valued = mirror.groupby("reporter_country", observed=True)["valuation"].agg(set)
    assert as_valued["IND"] == {"cif"} and as_valued["RUS"] == {"fob"}


def test_mirror_gap_is_computed_from_both_reporters() -> None:
    m = official_trade.mirror_statistics().set_index("year")
    # 1995: India-reported exports 1031.32 against Russia-reported imports 614.0
    assert m.loc["1995", "exports_gap_pct"] == pytest.approx(
        (1031.32 - 614.0) / 614.0 * 100, abs=0.05
    )
    assert pd.isna(m.loc["1996", "imports_gap_pct"])  # India's 1996 value is a gap


@pytest.mark.skipif(
    not IMF_EXTRACT.is_file(), reason="the reference extract is not beside the checkout"
)
def test_imf_rows_are_what_the_script_writes(trade: pd.DataFrame) -> None:
    spec = importlib.util.spec_from_file_location(
        "import_imf_dots", ROOT / "scripts" / "import_imf_dots.py"
    )
    assert spec and spec.loader
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    rows, gaps = script.india_russia_rows(IMF_EXTRACT)
    expected = {r["trade_id"]: float(r["value_usd_mn"]) for r in rows}
    held = trade[trade["compiler"] == "imf"].set_index("trade_id")["value_usd_mn"].to_dict()
    assert held == expected
    assert len(gaps) == 7


def test_claims_are_judged_on_official_statistics_first() -> None:
    verdicts = {c.claim_id: v for c, _, v in claims.check_all()}
    assert verdicts["trade-prewar"].verdict == claims.SUPPORTED
    assert "preferred FY2021-22 total is $13.1 bn" in verdicts["trade-prewar"].reason
    assert "commerce-tradestat" in verdicts["trade-prewar"].reason
    assert verdicts["trade-2023"].verdict == claims.QUALIFIED
    assert "$65.7 bn for FY2023-24" in verdicts["trade-2023"].reason


def test_partner_ranks_cover_every_tradestat_year() -> None:
    r = indru_data.load("trade_partner_rank")
    ts = r[r["source_id"] == official_trade.TRADESTAT]
    assert sorted(ts["period"].unique()) == FISCAL_YEARS[1:]  # FY2009-10 has values, no ranks
    assert ts.groupby("period", observed=True).size().eq(3).all()
    assert ts["share_pct"].notna().all()


@pytest.mark.slow
@pytest.mark.parametrize(
    ("column", "value", "rule"),
    [
        ("compiler", "imf", "reporter_matches_compiler"),
        ("valuation", "fob", "valuation_matches_flow"),
    ],
)
def test_inconsistent_labels_are_caught(
    broken: BrokenCopy, column: str, value: str, rule: str
) -> None:
    def change(h: list[str], rs: list[dict[str, str]]) -> None:
        for row in rs:
            if row["trade_id"] == "fy2021-22-imports-tradestat":  # imports: CIF, national agency
                row[column] = value

    broken.edit("trade_annual", change)
    report = validate(broken.descriptor, check_parquet=False)
    hits = [f for f in report.failures if f.rule == rule]
    assert hits and hits[0].key == "fy2021-22-imports-tradestat"
