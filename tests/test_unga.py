"""The UN General Assembly voting record (issue 32): Voeten's roll calls and the votes of India,
Russia, the US and China, recomputed from the shared extract, and the rules the tables keep."""

from __future__ import annotations

import csv
import importlib.util
from types import ModuleType

import pandas as pd
import pytest
from conftest import ROOT, BrokenCopy

import indru_data
from indru_data.findings import unga
from indru_data.findings.derived import derived_csv
from indru_data.release.build import build

EXTRACT = ROOT.parent / "shared" / "data" / "unga-votes"
VOETEN = "voeten-unga-voting-data"


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "import_unga_votes", ROOT / "scripts" / "import_unga_votes.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _csv(table: str) -> list[dict[str, str]]:
    with (ROOT / "data" / f"{table}.csv").open(newline="", encoding="utf-8") as handle:
        return [r for r in csv.DictReader(handle) if r["source_id"] == VOETEN]


@pytest.fixture(scope="module")
def calls() -> pd.DataFrame:
    return indru_data.load("unga_roll_calls")


@pytest.fixture(scope="module")
def votes() -> pd.DataFrame:
    return indru_data.load("unga_country_votes")


@pytest.mark.skipif(not EXTRACT.is_dir(), reason="the UNGA extract is not beside the checkout")
def test_every_voeten_row_is_what_the_script_writes_from_the_extract() -> None:
    """Every roll call and every vote, cell by cell as text: 6,203 roll calls, 22,988 votes."""
    script = _script()
    expected_calls = script.roll_call_rows(EXTRACT)
    expected_votes = script.vote_rows(EXTRACT)
    assert len(expected_calls) == 6203 and len(expected_votes) == 22988
    assert _csv("unga_roll_calls") == expected_calls
    assert _csv("unga_country_votes") == expected_votes


@pytest.mark.skipif(not EXTRACT.is_dir(), reason="the UNGA extract is not beside the checkout")
def test_days_voeten_gives_only_as_1_to_7_are_kept_to_the_month(calls: pd.DataFrame) -> None:
    """The premise, read in the extract itself: up to session 51 no day is above 7 (so those
    days are not calendar days), while from session 58 on days above 7 are common. The table
    keeps such dates to the month (day 01) and every other date of Voeten's as he gives it."""
    with (EXTRACT / "roll_calls.csv").open(newline="", encoding="utf-8") as handle:
        source = {int(r["rcid"]): r for r in csv.DictReader(handle)}
    early = [int(r["date"][8:]) for r in source.values() if int(r["session"]) <= 51]
    later = [int(r["date"][8:]) for r in source.values() if int(r["session"]) >= 58]
    assert len(early) > 3900 and max(early) <= 7
    assert sum(day > 7 for day in later) > len(later) / 3

    voeten = calls[calls["source_id"] == VOETEN]
    for row in voeten.itertuples():
        given = source[int(row.voeten_rcid)]
        held = row.vote_date.strftime("%Y-%m-%d")
        if row.session <= 57 and int(given["date"][8:]) <= 7:
            assert (row.vote_date_precision, held) == ("month", given["date"][:8] + "01")
        else:
            assert (row.vote_date_precision, held) == ("day", given["date"]), row.roll_call_id
    assert (voeten["session"] <= 51).sum() == (
        (voeten["session"] <= 51) & (voeten["vote_date_precision"] == "month")
    ).sum()
    later_rows = calls[calls["source_id"] != VOETEN]
    assert len(later_rows) == 12 and set(later_rows["vote_date_precision"]) == {"day"}


@pytest.mark.skipif(not EXTRACT.is_dir(), reason="the UNGA extract is not beside the checkout")
def test_each_vote_of_the_extract_is_held_once_and_none_is_added(votes: pd.DataFrame) -> None:
    """Independent of the script: the (rcid, country, vote) triples of the extract are exactly
    the Voeten rows, so no absent vote was filled in."""
    iso = {"IN": "IND", "RU": "RUS", "US": "USA", "CN": "CHN"}
    with (EXTRACT / "votes.csv").open(newline="", encoding="utf-8") as handle:
        extract = {
            (f"rc-{r['rcid']}", iso[r["country_code"]], r["vote"]) for r in csv.DictReader(handle)
        }
    held = votes[votes["source_id"] == VOETEN]
    triples = set(
        zip(
            held["roll_call_id"], held["country"].astype(str), held["vote"].astype(str), strict=True
        )
    )
    assert triples == extract and len(held) == len(extract)


def test_tables_load_typed_and_join(calls: pd.DataFrame, votes: pd.DataFrame) -> None:
    assert str(calls["vote_date"].dtype).startswith("datetime64")
    assert str(votes["is_ussr"].dtype) == "boolean"
    joined = votes.merge(calls, on="roll_call_id", suffixes=("", "_call"), validate="m:1")
    assert len(joined) == len(votes)
    assert (joined["vote_date"] == joined["vote_date_call"]).all()


def test_russia_before_1992_is_the_ussr(votes: pd.DataFrame) -> None:
    russia = votes[votes["country"] == "RUS"]
    before = russia["vote_date"].dt.year < 1992
    assert russia.loc[before, "is_ussr"].all() and not russia.loc[~before, "is_ussr"].any()
    assert not votes.loc[votes["country"] != "RUS", "is_ussr"].any()
    assert before.sum() > 0 and (~before).sum() > 0


@pytest.mark.parametrize(("year", "share", "roll_calls"), [(1988, 0.918, 134), (2019, 0.709, 86)])
def test_india_russia_identical_share_from_the_rows(
    votes: pd.DataFrame, year: int, share: float, roll_calls: int
) -> None:
    """The acceptance figures of issue 32, straight from the vote rows."""
    v = votes[votes["vote_date"].dt.year == year].pivot(
        index="roll_call_id", columns="country", values="vote"
    )
    both = v[["IND", "RUS"]].dropna()
    assert len(both) == roll_calls
    assert round((both["IND"] == both["RUS"]).mean(), 3) == share


def _votes_on(calls: pd.DataFrame, votes: pd.DataFrame, symbol: str) -> dict[str, str]:
    """How each country voted on a resolution: the one query for any year."""
    v = votes.merge(calls, on="roll_call_id", suffixes=("", "_call"))
    rows = v[v["resolution_symbol"] == symbol]
    assert rows["roll_call_id"].nunique() == 1, symbol
    return dict(zip(rows["country"].astype(str), rows["vote"].astype(str), strict=True))


def test_es_11_1_is_read_the_same_way_as_a_1985_vote(
    calls: pd.DataFrame, votes: pd.DataFrame
) -> None:
    es = _votes_on(calls, votes, "A/RES/ES-11/1")
    assert es == {"IND": "abstain", "RUS": "no"}  # the US's and China's votes: no page held
    one_1985 = calls[calls["vote_date"].dt.year == 1985].iloc[0]["resolution_symbol"]
    old = _votes_on(calls, votes, one_1985)
    assert {"IND", "RUS", "USA"} <= set(old)


def test_un_votes_general_assembly_rows_are_roll_calls(
    calls: pd.DataFrame, votes: pd.DataFrame
) -> None:
    """un_votes and the General Assembly tables are one model: every General Assembly row of
    un_votes is a roll call, India's vote and the tally agree, and later roll calls (not in
    Voeten's data) exist only as those rows."""
    un = indru_data.load("un_votes")
    unga = un[un["body"].astype(str) == "unga"].set_index("vote_id")
    linked = calls[calls["un_vote_id"].notna()].set_index("un_vote_id")
    assert set(linked.index) == set(unga.index)
    later = calls[calls["source_id"] != VOETEN]
    assert set(later["un_vote_id"]) == set(unga.index[unga["vote_date"] > "2020-01-14"])
    assert (later["vote_date"] > "2020-01-14").all()
    india = votes[votes["country"] == "IND"].set_index("roll_call_id")["vote"].astype(str)
    for vote_id, call in linked.iterrows():
        row = unga.loc[vote_id]
        assert india[call["roll_call_id"]] == str(row["india_vote"]), vote_id
        assert call["vote_date"] == row["vote_date"], vote_id
        tally = (call["votes_yes"], call["votes_no"], call["votes_abstain"])
        held = (row["votes_yes"], row["votes_no"], row["votes_abstain"])
        if vote_id == "uv-003":  # Voeten's 65-27-70 is the Kyiv Post's count (un_votes notes)
            assert tally == (65, 27, 70) and held == (67, 27, 70) and "65" in row["notes"]
        else:
            assert tally == held, vote_id
    # a later roll call cites un_votes' page for India's vote; other votes only where a page gives them
    later_votes = votes[votes["roll_call_id"].isin(later["roll_call_id"])]
    assert set(later_votes.loc[later_votes["country"] == "IND", "roll_call_id"]) == set(
        later["roll_call_id"]
    )
    assert (later_votes["source_id"] != VOETEN).all()


@pytest.fixture(scope="module")
def agreement() -> pd.DataFrame:
    return indru_data.load("unga_agreement")


def test_agreement_is_what_build_derives_from_the_votes(
    calls: pd.DataFrame, votes: pd.DataFrame
) -> None:
    expected = derived_csv(
        "unga_agreement", {"unga_roll_calls": calls, "unga_country_votes": votes}
    )
    assert (ROOT / "data" / "unga_agreement.csv").read_text(encoding="utf-8") == expected


@pytest.mark.parametrize(("year", "share", "roll_calls"), [(1988, 0.918, 134), (2019, 0.709, 86)])
def test_agreement_reproduces_the_issue_figures(
    agreement: pd.DataFrame, year: int, share: float, roll_calls: int
) -> None:
    row = agreement.set_index("agreement_id").loc[f"{year}-ind-rus-all-all"]
    assert row["roll_calls_both_voted"] == roll_calls
    assert round(row["identical_share"], 3) == share
    assert bool(row["russia_is_ussr"]) is (year < 1992)


def test_agreement_series_shape(agreement: pd.DataFrame) -> None:
    overall = agreement[(agreement["roll_call_set"] == "all") & (agreement["issue"] == "all")]
    years = overall.groupby("pair", observed=True)["year"].agg(["min", "max"])
    assert years.loc["ind_rus"].tolist() == [1946, 2019]  # 2020 (one roll call) is no year
    assert years.loc["ind_chn", "min"] == 1971
    important = agreement[agreement["roll_call_set"] == "important"]
    assert important["year"].min() >= 1983
    assert (agreement["measure"] == "voeten_derived").all()
    assert (agreement["data_vintage"] == pd.Timestamp("2021-02-21")).all()
    # the three measures are consistent: identical <= index <= identical + half
    assert (agreement["agreement_index"] >= agreement["identical_share"] - 1e-9).all()
    # Russia–US, the yardstick, agrees less than India–Russia in the Soviet years
    ussr = overall[overall["year"].between(1960, 1990)].pivot(
        index="year", columns="pair", values="identical_share"
    )
    assert (ussr["ind_rus"] > ussr["rus_usa"]).mean() > 0.9


@pytest.mark.slow
def test_build_rederives_agreement_after_a_vote_changes(broken: BrokenCopy) -> None:
    def flip(_h: list[str], rows: list[dict[str, str]]) -> None:
        for row in rows:
            if row["vote_id"] == "rc-9111-rus":  # 2019, India no, Russia no
                row["vote"] = "yes"

    broken.edit("unga_country_votes", flip)
    agreement_csv = broken.csv("unga_agreement")
    assert agreement_csv in build(broken.descriptor, check=True)
    build(broken.descriptor)
    assert build(broken.descriptor, check=True) == []
    with agreement_csv.open(newline="", encoding="utf-8") as handle:
        row = next(r for r in csv.DictReader(handle) if r["agreement_id"] == "2019-ind-rus-all-all")
    assert (row["roll_calls_both_voted"], row["identical_votes"]) == ("86", "60")


def test_the_claims_on_un_votes_are_judged_from_the_rows() -> None:
    from indru_data.findings import claims

    results = {c.claim_id: (c, ev, v) for c, ev, v in claims.check_all()}
    claim, ev, verdict = results["isolation-unga-never-against-russia"]
    assert claim.chapter == "The West's isolation policy"
    assert verdict.verdict == claims.SUPPORTED
    assert "voted against Russia in 0" in verdict.reason
    assert {"rc-5309", "rc-uv-007", "rc-uv-024"} <= set(ev["roll_call_id"])
    assert ev["source_ids"].notna().all()
    claim, ev, verdict = results["autonomy-unga-long-standing"]
    assert claim.chapter == "Strategic autonomy"
    assert verdict.verdict == claims.QUALIFIED
    assert "0.918 (1988)" in verdict.reason and "0.709 in 2019" in verdict.reason
    page = (ROOT / "docs" / "report-claims.md").read_text(encoding="utf-8")
    assert "## isolation-unga-never-against-russia" in page
    assert "## autonomy-unga-long-standing" in page


def test_later_votes_are_points_never_a_yearly_share(agreement: pd.DataFrame) -> None:
    points = unga.later_points()
    assert (points["vote_date"] > "2020-01-14").all()
    es = points.set_index("resolution_symbol")
    assert es.loc["A/RES/ES-11/1", "ind_rus"] == 0.5  # India abstained, Russia voted no
    assert agreement["year"].max() == 2019
    assert [unga.agreement_score(a, b) for a, b in [("yes", "no"), ("no", "abstain")]] == [0, 0.5]
