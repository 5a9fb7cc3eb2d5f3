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


# India's imports from Russia of HS 2709 (crude) and HS 2701 (coal), US$ million, as TRADESTAT's
# country-wise sheets give them (copies in Sharma-Amol/EU_and_India-Dependency_on_Russia_for_
# Energy_Products, commit 8fc59d4, Datasets/HS 2709 ... and HS 2701 ...): re-read, not computed.
TRADESTAT_HS4 = {
    ("2709", "FY2017-18"): 1169.3,
    ("2709", "FY2018-19"): 1180.91,
    ("2709", "FY2019-20"): 1755.0,
    ("2709", "FY2020-21"): 944.04,
    ("2709", "FY2021-22"): 2470.91,
    ("2709", "FY2022-23 Apr-Aug"): 11412.15,
    ("2701", "FY2017-18"): 527.31,
    ("2701", "FY2018-19"): 677.89,
    ("2701", "FY2019-20"): 856.42,
    ("2701", "FY2020-21"): 615.14,
    ("2701", "FY2021-22"): 1587.22,
    ("2701", "FY2022-23 Apr-Aug"): 1812.64,
}


def test_official_crude_and_coal_rows_are_the_tradestat_figures() -> None:
    tbc = indru_data.load("trade_by_commodity")
    hs4 = tbc[
        tbc["source_id"].isin(
            [
                "commerce-tradestat-hs2709-imports-by-country",
                "commerce-tradestat-hs2701-imports-by-country",
            ]
        )
    ]
    held = {(str(r.hs_code), str(r.period)): float(r.value_usd_mn) for r in hs4.itertuples()}
    assert held == TRADESTAT_HS4
    assert set(hs4["flow"].astype(str)) == {"india_imports_from_russia"}
    assert hs4["preferred"].all()  # an official figure wins over the news rows of its year
    crude = indru_data.load("crude_oil_imports").set_index("crude_id")
    for (hs, period), value in TRADESTAT_HS4.items():
        if hs == "2709" and period != "FY2021-22":
            row_id = "crude-tradestat-hs2709-" + period.lower().replace(" ", "-")
            assert crude.loc[row_id, "value_usd_mn"] == value
    # Two copies of TRADESTAT read from two repositories agree on FY2021-22 crude.
    assert (
        crude.loc["crude-tradestat-fy2021-22", "value_usd_mn"]
        == TRADESTAT_HS4[("2709", "FY2021-22")]
    )
    # Principal commodity S5 (crude) in trade_by_commodity is the crude_oil_imports figure.
    s5 = tbc[tbc["commodity_row_id"].str.endswith("-imports-crude-s5-tradestat")]
    assert sorted(s5["period"]) == ["FY2022-23", "FY2023-24", "FY2024-25", "FY2025-26"]
    for r in s5.itertuples():
        assert crude.loc[f"crude-tradestat-{r.period.lower()}", "value_usd_mn"] == r.value_usd_mn


def test_official_crude_by_commodity_covers_every_year_from_fy2017_18() -> None:
    tbc = indru_data.load("trade_by_commodity", preferred_only=True)
    official = tbc[
        (tbc["reporter"] == "india_commerce_ministry")
        & (tbc["commodity_label"] == "Crude oil")
        & (tbc["source_id"].str.startswith(("commerce-", "dgcis-")))
        & ~tbc["is_partial"]
    ]
    assert sorted(official["period"]) == FISCAL_YEARS[8:]  # FY2017-18 to FY2025-26
    dgcis = tbc.set_index("commodity_row_id").loc["fy2021-22-apr-aug-imports-crude-dgcis"]
    assert dgcis["value_usd_mn"] == 881.95 and dgcis["period"] == "FY2021-22 Apr-Aug"


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
