"""Sanctions from the official list (issue 31): every Indian entry of OFAC's SDN list under a
Russia-related programme is a row, cites the list first, and is linked to an action or listed
as unlinked in docs/coverage.md."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from conftest import ROOT

import indru_data

OFFICIAL = {"official_document", "statistical_release"}


@pytest.fixture(scope="module")
def entities() -> pd.DataFrame:
    return indru_data.load("sanctioned_entities")


INDIA_EXTRACT = "ofac-sdn-list-india-addresses"
OTHER_OFAC_COPIES = {"ofac-sdn-list-daily-archive-20240503", "ofac-sdn-list-copy-57977"}


@pytest.fixture(scope="module")
def on_list(entities: pd.DataFrame) -> pd.DataFrame:
    """The India-address entries of OFAC's list and the vessels linked to them (every row with an
    OFAC entry number that is not one of the non-Indian entries re-read in other copies)."""
    with_num = entities[entities["ofac_ent_num"].notna()]
    return with_num[~with_num["source_id"].isin(OTHER_OFAC_COPIES)]


@pytest.fixture(scope="module")
def listed(on_list: pd.DataFrame) -> pd.DataFrame:
    """The entries of OFAC's list with an address in India (vessels have no address)."""
    return on_list[on_list["entity_type"].astype(str) != "vessel"]


def test_all_41_russia_related_entries_are_rows(listed: pd.DataFrame) -> None:
    assert len(listed) == 41
    assert listed["ofac_ent_num"].is_unique
    assert listed["ofac_programs"].str.contains("RUSSIA-EO14024").all()


def test_every_list_entry_cites_the_list_first(on_list: pd.DataFrame) -> None:
    sources = indru_data.load("sources").set_index("source_id")
    authority = on_list["source_id"].map(sources["authority"].astype(str))
    assert authority.isin(OFFICIAL).all()
    assert (on_list["source_id"] == INDIA_EXTRACT).all()
    vessels = on_list[on_list["entity_type"].astype(str) == "vessel"]
    assert set(vessels["ofac_ent_num"].astype(int)) == {50628, 50629}


def test_non_indian_ofac_rows_cite_a_copy_of_the_list_first(entities: pd.DataFrame) -> None:
    """Rows of US actions re-read in OFAC's own sdn.csv (daily archive of 2024, later copy): the
    list comes first, the news page that reported the action stays as a further source."""
    rows = entities[entities["source_id"].isin(OTHER_OFAC_COPIES)]
    assert len(rows) == 13
    assert rows["ofac_ent_num"].notna().all() and rows["ofac_ent_num"].is_unique
    assert rows["ofac_programs"].str.contains("RUSSIA-EO14024").all()
    assert not rows["india_based"].fillna(False).astype(bool).any()
    assert rows["other_source_ids"].fillna("").str.len().gt(0).all()
    sources = indru_data.load("sources").set_index("source_id")
    assert (
        sources.loc[list(OTHER_OFAC_COPIES), "authority"].astype(str).eq("official_document").all()
    )
    actions = indru_data.load("sanctions_actions").set_index("action_id")
    assert (rows["action_id"].map(actions["jurisdiction"].astype(str)) == "USA").all()


def test_official_share_in_coverage_matches_the_tables() -> None:
    from indru_data.findings import sanctions_listings

    share = sanctions_listings.official_source_share().set_index("table").loc["sanctioned_entities"]
    coverage = (ROOT / "docs" / "coverage.md").read_text(encoding="utf-8")
    sentence = coverage.split("Share of `sanctioned_entities` rows citing an official list", 1)[1]
    n, total, pct = re.search(r"(\d+) of (\d+) \(([\d.]+) %\)", sentence).groups()
    assert (int(n), int(total)) == (int(share["official_rows"]), int(share["rows"]))
    assert float(pct) == pytest.approx(float(share["official_pct"]), abs=0.05)


def test_uk_list_rows_cite_the_uk_list_first(entities: pd.DataFrame) -> None:
    uk = entities[entities["source_id"] == "fcdo-uk-sanctions-list-20250811"]
    actions = indru_data.load("sanctions_actions").set_index("action_id")
    assert len(uk) == 3
    assert (uk["action_id"].map(actions["jurisdiction"].astype(str)) == "GBR").all()


def test_identifiers_sit_in_columns_not_in_notes(listed: pd.DataFrame) -> None:
    notes = listed["notes"].fillna("")
    for pattern in (r"\bU[0-9]{5}[A-Z]{2}", r"UDYAM-", r"\b[A-Z]{5}[0-9]{4}[A-Z]\b"):
        assert not notes.str.contains(pattern).any(), pattern
    companies = listed[listed["entity_type"] == "company"]
    assert companies[["india_cin", "india_pan", "india_udyam"]].notna().any(axis=1).sum() == 24


def test_every_link_to_an_action_resolves(entities: pd.DataFrame) -> None:
    actions = set(indru_data.load("sanctions_actions")["action_id"])
    linked = entities["action_id"].dropna()
    assert set(linked) <= actions


def test_every_unlinked_entry_is_listed_in_coverage(listed: pd.DataFrame) -> None:
    coverage = (ROOT / "docs" / "coverage.md").read_text(encoding="utf-8")
    section = coverage.split("Entries of OFAC's list not linked to an action", 1)[1]
    section = section.split("\n\n", 1)[0]
    named = {int(n) for n in re.findall(r"\b(\d{5})\b", section)}
    unlinked = set(listed.loc[listed["action_id"].isna(), "ofac_ent_num"].astype(int))
    assert unlinked == named


def test_us_actions_naming_indian_entities_never_read_an_empty_count_as_zero() -> None:
    from indru_data.findings import sanctions_listings

    out = sanctions_listings.us_actions_naming_indian_entities()
    assert out["announced_date"].min() >= pd.Timestamp("2022-02-01")
    empty = out["india_entities_named"].isna() & out["india_entities_held"].eq(0)
    assert not out.loc[empty, "named_indian_entities"].eq("none").any()
    named = out["named_indian_entities"] == "named"
    assert (
        out.loc[named, "india_entities_named"].fillna(0).gt(0)
        | out.loc[named, "india_entities_held"].gt(0)
    ).all()
    assert set(out["named_indian_entities"]) <= {
        "named",
        "named, count not stated",
        "none",
        "not stated",
        "not a listing",
    }


def _us_since_2022() -> pd.DataFrame:
    a = indru_data.load("sanctions_actions")
    us = a["jurisdiction"].astype(str) == "USA"
    return a[us & (a["announced_date"] >= pd.Timestamp("2022-02-01"))]


def test_us_count_query_recomputed_from_the_tables() -> None:
    """The documented answer, recounted by hand from the two tables."""
    from indru_data.findings import sanctions_listings

    us = _us_since_2022()
    e = indru_data.load("sanctioned_entities")
    held = set(e.loc[e["india_based"].fillna(False).astype(bool), "action_id"].dropna())
    listing = us["action_type"].astype(str).isin(["designation", "export_control_listing"])
    with_count = us["india_entities_named"].fillna(0).gt(0) | us["action_id"].isin(held)
    unstated_india = (listing & us["india_entities_named"].isna() & ~with_count) & (
        us["target_country"].astype(str) == "IND"
    )
    out = sanctions_listings.us_actions_naming_indian_entities()
    status = out.set_index("action_id")["named_indian_entities"]
    assert len(out) == len(us)
    assert set(status[status == "named"].index) == set(us.loc[with_count, "action_id"])
    assert set(status[status == "named, count not stated"].index) == set(
        us.loc[unstated_india, "action_id"]
    )
    assert set(status[status == "not a listing"].index) == set(us.loc[~listing, "action_id"])


def test_general_licence_for_russian_cargoes_to_india_is_not_counted_as_a_listing() -> None:
    from indru_data.findings import sanctions_listings

    a = indru_data.load("sanctions_actions").set_index("action_id")
    gl = a.loc["2026-03-05-ofac-gl-133-russian-oil-cargoes-to-india"]
    assert gl["action_type"] == "waiver" and gl["target_country"] == "IND"
    assert pd.isna(gl["india_entities_named"])
    status = sanctions_listings.us_actions_naming_indian_entities().set_index("action_id")
    assert status.loc[gl.name, "named_indian_entities"] == "not a listing"


def test_general_licence_134_is_a_waiver_for_any_country_not_a_listing() -> None:
    """GL 134 (12 March 2026) gave GL 133's relief to buyers in any country: held beside it as a
    waiver, with no target country, and never counted as naming Indian entities."""
    from indru_data.findings import sanctions_listings

    a = indru_data.load("sanctions_actions").set_index("action_id")
    gl = a.loc["2026-03-12-ofac-gl-134-russian-oil-loaded-by-12-march"]
    assert gl["action_type"] == "waiver" and "134" in gl["legal_basis"]
    assert pd.isna(gl["target_country"]) and pd.isna(gl["india_entities_named"])
    status = sanctions_listings.us_actions_naming_indian_entities().set_index("action_id")
    assert status.loc[gl.name, "named_indian_entities"] == "not a listing"


ARCHIVE = "ofac-sdn-list-daily-archive-20240503"
UNLINKED = {49451, 50521, 50524, 51821, 52056, 52344}


def test_only_the_entries_after_the_archive_stay_unlinked(listed: pd.DataFrame) -> None:
    unlinked = set(listed.loc[listed["action_id"].isna(), "ofac_ent_num"].astype(int))
    assert unlinked == UNLINKED
    assert len(listed) - len(unlinked) == 35


def test_entries_dated_by_the_archive_link_to_a_us_round_of_that_day(listed: pd.DataFrame) -> None:
    """An entry linked by its first snapshot in OFAC's sdn.csv archive cites the archive, and its
    notes give that snapshot and the day of the round it is linked to."""
    dated = listed[listed["other_source_ids"].fillna("").str.contains(ARCHIVE)]
    dated = dated[dated["notes"].fillna("").str.contains("First in OFAC's sdn.csv on")]
    assert set(dated["ofac_ent_num"].astype(int)) == {
        17013,
        17015,
        17018,
        34656,
        40926,
        40927,
        40928,
        40929,
        48021,
    }
    actions = indru_data.load("sanctions_actions").set_index("action_id")
    for _, row in dated.iterrows():
        action = actions.loc[row["action_id"]]
        assert action["jurisdiction"] == "USA" and action["action_type"] == "designation"
        day = action["announced_date"]
        assert f"round of {day.day} {day:%B %Y}" in row["notes"], row["entity_id"]
        first = re.search(r"First in OFAC's sdn.csv on (\d+ \w+ \d{4})", row["notes"]).group(1)
        lag = pd.Timestamp(first) - day
        assert pd.Timedelta(0) <= lag <= pd.Timedelta(days=1), row["entity_id"]


def test_russian_banks_with_an_indian_office_are_not_counted_as_indian(
    listed: pd.DataFrame,
) -> None:
    """The five Russian banks are linked to their rounds but are not India-based, and no page
    gives those rounds a count: the query says "not stated", never "named" or "none"."""
    from indru_data.findings import sanctions_listings

    banks = listed[listed["business_line"].astype("string") == "banking"]
    assert set(banks["ofac_ent_num"].astype(int)) == {17013, 17015, 17016, 17018, 34656}
    assert banks["action_id"].notna().all()
    assert not banks["india_based"].fillna(True).astype(bool).any()
    actions = indru_data.load("sanctions_actions").set_index("action_id")
    rounds = actions.loc[sorted(set(banks["action_id"]))]
    assert len(rounds) == 4 and rounds["india_entities_named"].isna().all()
    status = sanctions_listings.us_actions_naming_indian_entities().set_index("action_id")
    assert (status.loc[rounds.index, "named_indian_entities"] == "not stated").all()


NEWER_ENTRIES = {
    56300,
    56393,
    56400,
    56403,
    56405,
    56566,
    56603,
    56615,
    56717,
    56834,
    56868,
    56926,
    56929,
    57082,
    57345,
    57346,
    57356,
    57357,
    57771,
    57772,
}
RUSSIA_PROGRAMMES = ("RUSSIA", "UKRAINE")


def _newer_entries_table() -> dict[int, tuple[str, str, str]]:
    coverage = (ROOT / "docs" / "coverage.md").read_text(encoding="utf-8")
    section = coverage.split("The 20 entries newer than the sdn.csv copy", 1)[1]
    section = section.split("\n## ", 1)[0]
    rows = {}
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 4 and cells[0].isdigit():
            rows[int(cells[0])] = (cells[1], cells[2], cells[3])
    return rows


def test_newer_entries_are_named_in_coverage_and_none_is_russia_related(
    listed: pd.DataFrame,
) -> None:
    """Entries 56300-57772 were named from a newer copy of OFAC's sdn.csv: all 20 are in
    coverage.md with name, type and programmes; none is Russia-related, so none is a row."""
    rows = _newer_entries_table()
    assert set(rows) == NEWER_ENTRIES
    for name, kind, programmes in rows.values():
        assert name and kind in {"entity", "individual"} and programmes
        assert not any(p in programmes for p in RUSSIA_PROGRAMMES), programmes
    assert not listed["ofac_ent_num"].isin(NEWER_ENTRIES).any()
    shared_file = ROOT.parent / "shared" / "data" / "ofac-sdn-india" / "sdn_india_addresses.csv"
    if shared_file.exists():  # the shared file leaves exactly these entries unnamed
        shared = pd.read_csv(shared_file)
        assert set(shared.loc[shared["programs"].isna(), "ent_num"].astype(int)) == NEWER_ENTRIES


def _india_based(entities: pd.DataFrame) -> pd.DataFrame:
    return entities[entities["india_based"].fillna(False).astype(bool)]


def test_indian_listings_recomputed_from_the_tables(entities: pd.DataFrame) -> None:
    from indru_data.findings import sanctions_listings

    rows = _india_based(entities)
    actions = indru_data.load("sanctions_actions").set_index("action_id")
    by_year = sanctions_listings.indian_listings_by_year()
    assert by_year["listings"].sum() == len(rows)
    linked = rows[rows["action_id"].notna()]
    years = linked["action_id"].map(actions["announced_date"]).dt.year.astype(str)
    juris = linked["action_id"].map(actions["jurisdiction"].astype(str))
    expected = pd.crosstab(years, juris).stack()
    expected = expected[expected > 0]
    got = by_year[by_year["year_of_listing"] != "not stated"].set_index(
        ["year_of_listing", "jurisdiction"]
    )["listings"]
    assert got.sort_index().to_dict() == expected.sort_index().to_dict()
    # A listing without an action is an OFAC list entry (US), its year not stated, never guessed.
    unlinked = rows[rows["action_id"].isna()]
    assert unlinked["ofac_ent_num"].notna().all()
    not_stated = by_year[by_year["year_of_listing"] == "not stated"]
    assert set(not_stated["jurisdiction"]) == {"USA"}
    assert not_stated["listings"].sum() == len(unlinked)


def test_indian_listings_by_jurisdiction_and_business_line(entities: pd.DataFrame) -> None:
    from indru_data.findings import sanctions_listings

    rows = _india_based(entities)
    by_j = sanctions_listings.indian_listings_by_jurisdiction().set_index("jurisdiction")
    assert by_j["listings"].sum() == len(rows)
    assert (by_j["year_stated"] <= by_j["listings"]).all()
    by_line = sanctions_listings.indian_listings_by_business_line().set_index("business_line")
    counts = rows["business_line"].astype("string").fillna("not stated").value_counts()
    assert by_line["listings"].to_dict() == counts.to_dict()
    # An empty business line is "not stated": never counted under a sector.
    assert by_line.loc["not stated", "listings"] == rows["business_line"].isna().sum()
    # One company under three jurisdictions is three listings of one company.
    si2 = sanctions_listings.indian_listings().query("company == 'SI2MICROSYSTEMS'")
    assert len(si2) == 3 and set(si2["business_line"]) == {"electronics"}
    assert set(si2["jurisdiction"]) == {"USA", "EU", "JPN"}


def test_company_key_joins_spellings_of_one_company() -> None:
    from indru_data.findings.sanctions_listings import company_key

    assert company_key("Si2Microsystems Private Limited") == company_key("Si2 Microsystems")
    assert company_key("OCEAN SPEEDSTAR SOLUTIONS OPC PRIVATE LIMITED") == company_key(
        "Ocean Speedstar Solutions OPC PVT LTD"
    )
    assert company_key("Nayara Energy Limited") == company_key("Nayara Energy")
    assert company_key("Aerotrust Aviation Private Limited") != company_key(
        "Ascend Aviation India Private Limited"
    )


def test_findings_state_the_us_answer_and_the_listings() -> None:
    from indru_data.findings import sanctions_listings

    text = (ROOT / "docs" / "findings.md").read_text(encoding="utf-8")
    status = sanctions_listings.us_actions_naming_indian_entities()["named_indian_entities"]
    named = int(status.isin(["named", "named, count not stated"]).sum())
    assert (
        f"US actions since February 2022 that named Indian entities: {named} of {len(status)}"
        in (text.split("## ", 1)[0])
    )
    rows = sanctions_listings.indian_listings()
    assert f"held {len(rows)} listings of {rows['company'].nunique()} India-based" in text
    assert "charts/indian_entities_sanctions.png" in text


def test_chart_bars_add_up_to_the_listings() -> None:
    pytest.importorskip("matplotlib")
    from indru_data.findings import sanctions_listings
    from indru_data.outputs.charts import _plt, indian_entities_sanctions

    plt = _plt()
    fig, ax = plt.subplots()
    indian_entities_sanctions(ax)
    heights = sum(p.get_height() for p in ax.patches)
    plt.close(fig)
    assert heights == len(sanctions_listings.indian_listings())
