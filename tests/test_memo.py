"""validate() remembers small unchanged tables within a process (validation/memo.py).

A repeated validation must give the same report as a fresh one, and any change to what a
table's outcome depends on (its CSV's bytes, its schema, its Parquet file, the engine) must
be checked afresh.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from conftest import BrokenCopy

import indru_data
from indru_data.validation import Report, memo, pandera_stage, typing_stage, validate

TABLES = len(indru_data.tables())  # one typing (or check) per table in a fresh validation


@pytest.fixture(autouse=True)
def fresh_memo() -> Iterator[None]:
    memo.forget()
    yield
    memo.forget()


def noted(monkeypatch: pytest.MonkeyPatch, module: object, name: str) -> list[str]:
    """The tables `module.name(frame, table, ...)` is called for (the real function runs)."""
    seen: list[str] = []
    real = getattr(module, name)

    def noting(frame, table, *args, **kwargs):  # type: ignore[no-untyped-def]
        seen.append(table.name)
        return real(frame, table, *args, **kwargs)

    monkeypatch.setattr(module, name, noting)
    return seen


@pytest.fixture
def typed_tables(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The tables whose cells were typed afresh."""
    return noted(monkeypatch, typing_stage, "typed_frame")


def same(a: Report, b: Report) -> None:
    assert a.valid == b.valid
    assert a.failures == b.failures
    assert a.counts == b.counts
    assert a.rows_checked == b.rows_checked


def test_a_repeated_validation_gives_the_same_report_without_retyping(
    broken: BrokenCopy, typed_tables: list[str]
) -> None:
    broken.set_cell("trade_annual", 3, "value_usd_mn", "-5")
    broken.set_cell("summits", 0, "city", "")
    first = validate(broken.descriptor)
    assert not first.valid
    assert len(typed_tables) == TABLES
    again = validate(broken.descriptor)
    same(first, again)
    assert len(typed_tables) == TABLES  # nothing typed the second time
    memo.forget()
    same(first, validate(broken.descriptor))
    assert len(typed_tables) == 2 * TABLES


def test_an_edited_table_is_checked_afresh(broken: BrokenCopy, typed_tables: list[str]) -> None:
    assert validate(broken.descriptor).valid
    broken.set_cell("trade_annual", 3, "value_usd_mn", "-5")
    report = validate(broken.descriptor)
    assert typed_tables[TABLES:] == ["trade_annual"]
    assert [(f.table, f.row, f.column) for f in report.failures] == [
        ("trade_annual", 5, "value_usd_mn")
    ]


def test_a_changed_schema_is_checked_afresh(broken: BrokenCopy, typed_tables: list[str]) -> None:
    assert validate(broken.descriptor).valid

    def shorten(schema: dict) -> None:  # type: ignore[type-arg]
        (field,) = [f for f in schema["fields"] if f["name"] == "city"]
        field.setdefault("constraints", {})["maxLength"] = 3

    broken.edit_schema("summits", shorten)
    report = validate(broken.descriptor)
    assert "summits" in typed_tables[TABLES:]
    assert any(f.table == "summits" and f.column == "city" for f in report.failures)


def test_a_replaced_parquet_file_is_checked_afresh(broken: BrokenCopy) -> None:
    assert validate(broken.descriptor).valid
    parquet = broken.root / "data" / "parquet"
    shutil.copyfile(parquet / "summits.parquet", parquet / "interactions.parquet")
    report = validate(broken.descriptor)
    assert [f.table for f in report.failures] == ["interactions"]
    assert report.failures[0].rule.startswith("parquet-")


def test_each_engine_checks_for_itself(broken: BrokenCopy, typed_tables: list[str]) -> None:
    validate(broken.descriptor)
    validate(broken.descriptor, engine="reference")
    assert len(typed_tables) == 2 * TABLES


def test_a_large_file_is_not_remembered(
    broken: BrokenCopy, typed_tables: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    size = (broken.root / "data" / "sources.csv").stat().st_size
    monkeypatch.setattr(memo, "MAX_BYTES", size - 1)  # sources is the largest file
    validate(broken.descriptor)
    validate(broken.descriptor)
    assert typed_tables.count("sources") == 2
    assert typed_tables.count("summits") == 1


def test_the_same_files_elsewhere_are_remembered(tmp_path: Path, typed_tables: list[str]) -> None:
    a, b = BrokenCopy(tmp_path / "a"), BrokenCopy(tmp_path / "b")
    b.set_cell("trade_annual", 3, "value_usd_mn", "-5")
    assert validate(a.descriptor).valid
    report = validate(b.descriptor)
    assert typed_tables[TABLES:] == ["trade_annual"]
    assert report.failure_count == 1


def test_what_is_kept_stays_within_its_byte_budget(
    broken: BrokenCopy, monkeypatch: pytest.MonkeyPatch
) -> None:
    sizes = sorted(p.stat().st_size for p in (broken.root / "data").glob("*.csv"))
    budget = sum(sizes[-3:])  # less than the whole package: it must be emptied on the way
    monkeypatch.setattr(memo, "MAX_TOTAL_BYTES", budget)
    assert validate(broken.descriptor).valid
    assert 0 < memo.kept_bytes() <= budget
    assert len(memo._TABLES) < TABLES
    assert 0 < memo.checked_bytes() <= budget  # the checked frames too
    assert sum(len(kept) for kept in memo._CHECKED.values()) < TABLES


# --- the typed frame's checks, shared by the engines ---------------------------------------


@pytest.fixture
def checked_tables(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The tables whose Pandera model and rules ran."""
    return noted(monkeypatch, pandera_stage, "check_frame")


def test_the_engines_share_the_checks_of_an_equal_frame(
    broken: BrokenCopy, checked_tables: list[str]
) -> None:
    broken.set_cell("trade_annual", 3, "value_usd_mn", "-5")  # a Pandera failure
    broken.set_cell("summits", 0, "city", "")  # and a required cell left empty
    broken.set_cell("interactions", 1, "date", "2019-13-45")  # a type error, before Pandera
    fast = validate(broken.descriptor)
    assert len(checked_tables) == TABLES
    shared = validate(broken.descriptor, engine="reference")
    assert len(checked_tables) == TABLES  # every frame equal: no check ran again
    memo.forget()
    same(shared, validate(broken.descriptor, engine="reference"))  # as if checked afresh
    assert len(checked_tables) == 2 * TABLES
    same(fast, shared)


def test_a_frame_that_differs_is_checked_afresh(tmp_path: Path, checked_tables: list[str]) -> None:
    a, b = BrokenCopy(tmp_path / "a"), BrokenCopy(tmp_path / "b")
    b.set_cell("trade_annual", 3, "value_usd_mn", "-5")
    validate(a.descriptor)
    report = validate(b.descriptor, engine="reference")
    # b's other tables are typed afresh by the other engine, to frames equal to a's
    assert checked_tables[TABLES:] == ["trade_annual"]
    assert report.failure_count == 1


@pytest.mark.parametrize(
    ("left", "right"),
    [
        (pd.DataFrame({"x": [0.0]}), pd.DataFrame({"x": [-0.0]})),
        (pd.DataFrame({"x": [1.0, None]}), pd.DataFrame({"x": [1.0, 2.0]})),
        (pd.DataFrame({"x": [1]}, dtype="Int64"), pd.DataFrame({"x": [1.0]})),
        (pd.DataFrame({"x": ["a"]}, dtype="string"), pd.DataFrame({"x": ["a"]}, dtype=object)),
        (pd.DataFrame({"x": [1], "y": [2]}), pd.DataFrame({"y": [2], "x": [1]})),
        (pd.DataFrame({"x": ["a", "b"]}), pd.DataFrame({"x": ["a", "b"]}, index=[1, 0])),
    ],
)
def test_frames_are_the_same_only_in_every_cell_and_type(
    left: pd.DataFrame, right: pd.DataFrame
) -> None:
    assert not memo._same(left, right)
    assert memo._same(left, left.copy(deep=True))
