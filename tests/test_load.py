"""Loading the packaged tables: types, CSV/Parquet identity, copies, errors."""

from __future__ import annotations

import pandas as pd
import pytest
from conftest import ROOT, BrokenCopy, read_rows

import indru_data
from indru_data.core.descriptor import UnknownTableError
from indru_data.core.dtypes import coerce_column, pandas_dtype, same_dtype


def test_tables_and_versions() -> None:
    assert indru_data.tables()[:2] == ["sources", "trade_annual"]
    assert indru_data.data_version() == indru_data.__version__


@pytest.mark.parametrize("name", indru_data.tables())
def test_csv_and_parquet_give_identical_frames(name: str) -> None:
    pd.testing.assert_frame_equal(indru_data.load(name, "csv"), indru_data.load(name, "parquet"))


@pytest.mark.parametrize("name", indru_data.tables())
def test_every_row_of_the_csv_is_loaded(name: str) -> None:
    _, rows = read_rows(ROOT / "data" / f"{name}.csv")
    df = indru_data.load(name)
    assert len(df) == len(rows) > 0
    assert list(df.columns) == [f.name for f in indru_data.table_info(name).fields]


@pytest.mark.parametrize("name", indru_data.tables())
def test_generated_loader_matches_load(name: str) -> None:
    pd.testing.assert_frame_equal(getattr(indru_data, f"load_{name}")(), indru_data.load(name))


def test_trade_annual_dtypes() -> None:
    df = indru_data.load_trade_annual()
    assert df["period_start"].dtype == "datetime64[ms]"
    assert isinstance(df["flow"].dtype, pd.CategoricalDtype)
    assert list(df["flow"].cat.categories) == [
        "india_exports_to_russia",
        "india_imports_from_russia",
        "total_trade",
    ]
    assert df["months_covered"].dtype == pd.Int64Dtype()
    assert df["is_partial"].dtype == pd.BooleanDtype()
    assert df["value_usd_mn"].dtype == "float64"
    assert df["trade_id"].dtype == pd.StringDtype()


def test_optional_dates_stay_missing_not_zero() -> None:
    sources = indru_data.load_sources()
    _, rows = read_rows(ROOT / "data" / "sources.csv")
    empty = [i for i, r in enumerate(rows) if not r["published_date"]]
    assert sources.loc[empty, "published_date"].isna().all()


def test_returned_frame_is_a_copy() -> None:
    first = indru_data.load("trade_annual")
    first.loc[0, "value_usd_mn"] = -999.0
    assert indru_data.load("trade_annual").loc[0, "value_usd_mn"] != -999.0


@pytest.mark.parametrize("format", ["parquet", "csv"])
def test_cached_frame_cannot_be_changed_through_a_returned_one(format: str) -> None:
    """Repeated loads come from a cache; nothing done to a returned frame reaches it."""
    expected = indru_data.load("trade_annual", format)
    first = indru_data.load("trade_annual", format)
    assert first is not indru_data.load("trade_annual", format)
    first.loc[0, "trade_id"] = "changed"
    first.loc[1, "flow"] = "total_trade"
    first.loc[2, "period_start"] = pd.Timestamp("1999-01-01")
    first["months_covered"] += 1
    first["flow"] = first["flow"].cat.rename_categories(lambda c: c.upper())
    del first["notes"]
    pd.testing.assert_frame_equal(indru_data.load("trade_annual", format), expected)


def test_a_file_edited_since_the_last_load_is_read_again(broken: BrokenCopy) -> None:
    """A fork's CSV edited in a notebook between two loads: the second load sees the edit."""
    before = indru_data.load("summits", format="csv", package=broken.descriptor)
    broken.edit("summits", lambda _h, rows: rows.pop())
    after = indru_data.load("summits", format="csv", package=broken.descriptor)
    assert len(after) == len(before) - 1


def test_a_category_order_that_differs_is_recast() -> None:
    """A column already categorical, but with another order, is cast to the schema's order."""
    field = indru_data.table_info("trade_annual").field("flow")
    want = pandas_dtype(field)
    reordered = pd.Series(["total_trade"]).astype(
        pd.CategoricalDtype(list(reversed(want.categories)))
    )
    assert not same_dtype(reordered.dtype, want)
    assert list(coerce_column(reordered, field).cat.categories) == list(want.categories)
    typed = pd.Series(["total_trade"]).astype(want)
    assert coerce_column(typed, field) is typed  # already right: not cast again


def test_unknown_table_names_the_choices() -> None:
    with pytest.raises(UnknownTableError, match="valid tables: sources, trade_annual, "):
        indru_data.load("trade")


def test_unknown_format() -> None:
    with pytest.raises(ValueError, match="valid formats: parquet, csv"):
        indru_data.load("trade_annual", format="xlsx")  # type: ignore[arg-type]


def test_field_documentation() -> None:
    doc = indru_data.fields("trade_annual")
    row = doc.set_index("name").loc["value_usd_mn"]
    assert row["unit"] == "USD million" and row["required"]
    assert "total_trade" in doc.set_index("name").loc["flow", "allowed_values"]


def test_no_placeholder_values_in_any_csv() -> None:
    """Unknown is an empty cell: never 0-as-unknown markers such as N/A, NA, '-', 'unknown'."""
    for name in indru_data.tables():
        _, rows = read_rows(ROOT / "data" / f"{name}.csv")
        for i, row in enumerate(rows, start=2):
            for col, v in row.items():
                assert v.strip().lower() not in {"n/a", "na", "-", "unknown", "none", "null"}, (
                    f"{name} row {i} {col}: {v!r}"
                )
                assert v == v.strip(), f"{name} row {i} {col}: padded {v!r}"


def test_readme_lists_every_table() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    missing = [t for t in indru_data.tables() if f"| `{t}` |" not in readme]
    assert not missing, f"README.md table list lacks {missing}"


def test_every_loaded_frame_carries_its_metadata() -> None:
    version = indru_data.__version__
    for name in indru_data.tables():
        for fmt in ("parquet", "csv"):
            attrs = indru_data.load(name, fmt).attrs
            assert attrs["table"] == name and attrs["version"] == version, (name, fmt)
            assert attrs["license"] == "CC-BY-4.0"
            assert f"version {version}" in attrs["citation"]
            assert attrs["citation"].startswith("indru-data contributors")
    # the attrs of one call are not shared with the next
    df = indru_data.load("un_votes")
    df.attrs["table"] = "mine"
    assert indru_data.load("un_votes").attrs["table"] == "un_votes"


def test_table_info_has_a_short_repr() -> None:
    info = indru_data.table_info("trade_annual")
    text = repr(info)
    assert len(text) < 200 and "\n" not in text
    assert text.startswith("<TableInfo 'trade_annual'") and "key (trade_id)" in text
    assert info.primary_key == ["trade_id"] and info.fields  # still the full metadata


def test_a_misspelt_table_or_version_gets_a_suggestion() -> None:
    with pytest.raises(KeyError, match=r"did you mean 'trade_annual'\?"):
        indru_data.load("trade_anual")
    with pytest.raises(ValueError, match=r"no release 0\.2\.1 \(did you mean '0\.2\.0'\?\)"):
        indru_data.load("trade_annual", version="0.2.1")


def test_a_version_may_be_written_with_a_v() -> None:
    with_v = indru_data.load("un_votes", version="v0.2.0")
    assert with_v.equals(indru_data.load("un_votes", version="0.2.0"))


def test_preferred_only_on_a_table_without_rival_rows_returns_it_whole() -> None:
    """The documented choice: a table with no observation key has one row per observation."""
    assert "preferred" not in indru_data.table_info("summits").field_names
    assert indru_data.load("summits", preferred_only=True).equals(indru_data.load("summits"))


def test_each_table_states_its_preferred_row_rule_in_one_sentence(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """describe, the table pages, table_info() and df.attrs give the same one sentence."""
    from conftest import cli

    from indru_data.core.descriptor import packaged
    from indru_data.outputs.site import build_site_pages

    pages = tmp_path_factory.mktemp("site")
    build_site_pages(pages)
    for name in indru_data.tables():
        table = packaged().table(name)
        rule = indru_data.table_info(name).preferred_rule
        assert rule == table.preferred_rule
        assert rule.endswith(".") and ". " not in rule and "\n" not in rule, rule
        assert "preferred_only=True" in rule
        key = table.observation_key
        if key is None:
            assert "returns the whole table" in rule and "preferred" not in table.field_names
        else:
            assert f"the same {', '.join(key.fields)}" in rule and "source authority" in rule
        assert indru_data.load(name).attrs["preferred_rule"] == rule
        assert indru_data.load(name, preferred_only=True).attrs["preferred_rule"] == rule
        described = cli("describe", name)
        assert f"Preferred rows: {rule}\n" in described.stdout
        page = (pages / "tables" / f"{name}.md").read_text(encoding="utf-8")
        assert "## Preferred rows" in page
    assert sum(packaged().table(n).observation_key is not None for n in indru_data.tables()) >= 5


def test_a_table_note_completes_the_preferred_rule() -> None:
    """`x-observationKey.note` adds the table's own clause to the same sentence."""
    from indru_data.core.preferred import ObservationKey, rule_sentence

    key = ObservationKey.of(
        {
            "x-observationKey": {
                "fields": ["window", "supplier"],
                "note": "here the derived share wins; filter rows to get the published one.",
            }
        }
    )
    sentence = rule_sentence(key, "shares")
    assert sentence.endswith("; here the derived share wins; filter rows to get the published one.")
    assert sentence.replace("...", "").count(".") == 1  # the note did not double its stop
