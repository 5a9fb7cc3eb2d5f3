"""Nothing lost: generated valid rows survive CSV -> Parquet -> DataFrame -> CSV for every table."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import indru_data
from indru_data.core.descriptor import Field, Table
from indru_data.core.dtypes import coerce_frame
from indru_data.core.tableio import read_csv, read_parquet, to_csv_text, write_parquet

pytestmark = pytest.mark.slow  # Hypothesis, every table

TEXT = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=30
)


def value_strategy(f: Field) -> st.SearchStrategy[object]:
    c = f.constraints
    if f.enum:
        return st.sampled_from([str(v) for v in f.enum])
    if f.type == "integer":
        return st.integers(int(c.get("minimum", -(10**9))), int(c.get("maximum", 10**9)))
    if f.type == "number":
        return st.floats(
            float(c.get("minimum", -1e12)),
            float(c.get("maximum", 1e12)),
            allow_nan=False,
            allow_infinity=False,
        )
    if f.type == "boolean":
        return st.booleans()
    if f.type == "date":
        lo = dt.date.fromisoformat(c.get("minimum", "1950-01-01"))
        return st.dates(lo, max(lo, dt.date(2025, 12, 31))).map(pd.Timestamp)
    if "pattern" in c:
        return st.from_regex(f"\\A(?:{c['pattern']})\\Z")
    return TEXT


def rows_strategy(table: Table) -> st.SearchStrategy[pd.DataFrame]:
    cols = {}
    for f in table.fields:
        v = value_strategy(f)
        cols[f.name] = v if f.required else st.one_of(st.none(), v)
    return st.lists(st.fixed_dictionaries(cols), min_size=1, max_size=8).map(pd.DataFrame)


@pytest.mark.parametrize("name", indru_data.tables())
def test_round_trip_is_lossless(name: str, tmp_path_factory: pytest.TempPathFactory) -> None:
    base = indru_data.table_info(name)
    work = tmp_path_factory.mktemp(name)
    table = replace(base, path=work / f"{name}.csv", parquet_path=work / f"{name}.parquet")

    @settings(
        max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
    )
    @given(rows_strategy(table))
    def check(raw: pd.DataFrame) -> None:
        typed = coerce_frame(raw, table)
        text = to_csv_text(typed, table)
        Path(table.path).write_text(text, encoding="utf-8")
        from_csv = read_csv(table)
        pd.testing.assert_frame_equal(from_csv, typed)
        write_parquet(from_csv, table)
        from_parquet = read_parquet(table)
        pd.testing.assert_frame_equal(from_parquet, typed)
        assert to_csv_text(from_parquet, table) == text

    check()


def test_to_csv_text_reproduces_the_shipped_files_values() -> None:
    t = indru_data.table_info("trade_annual")
    df = indru_data.load("trade_annual")
    again = pd.read_csv(io.StringIO(to_csv_text(df, t)), dtype=str, keep_default_na=False)
    assert list(again.columns) == t.field_names and len(again) == len(df)
