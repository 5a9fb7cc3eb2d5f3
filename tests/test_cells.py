"""Canonical cells (validation/cells.py) against Frictionless, the oracle, on generated cells.

Validation accepts a typed cell only in its canonical form and types it with Arrow. These tests
check that Frictionless accepts every canonical cell, that Pandera's bounds on its typed value
agree with Frictionless's constraints, that Arrow types a canonical column as pandas does, and
that a cell in any other form is named: non-canonical when pandas could read it, a type error
when nothing can.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import frictionless
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indru_data.core.descriptor import Field
from indru_data.core.dtypes import coerce_column
from indru_data.validation import cells

FIELDS = {
    "integer": {"name": "n", "type": "integer", "constraints": {"minimum": 1, "maximum": 12}},
    "number": {"name": "x", "type": "number", "constraints": {"minimum": 0, "maximum": 100}},
    "date": {"name": "d", "type": "date", "constraints": {"minimum": "1990-01-01"}},
    "boolean": {"name": "b", "type": "boolean"},
    "uri": {"name": "u", "type": "string", "format": "uri"},
}

noise = st.text(alphabet="0123456789-+.eE :/_aTtruefalsFLSEN١ \t", max_size=14)
CELLS = {
    "integer": st.one_of(
        noise,
        st.from_regex(r" ?[-+]?[0-9]{1,22}(\.[0-9]{0,2})?(e[0-9])? ?", fullmatch=True),
    ),
    "number": st.one_of(
        noise,
        st.from_regex(r" ?[-+]?[0-9]{0,12}(\.[0-9]{0,10})?(e-?[0-9])? ?", fullmatch=True),
        st.floats(allow_nan=True).map(str),
    ),
    "date": st.one_of(
        noise,
        st.from_regex(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", fullmatch=True),
        st.dates(min_value=dt.date(1, 1, 1)).map(dt.date.isoformat),
    ),
    "boolean": st.one_of(
        noise, st.sampled_from(["true", "True", "TRUE", "1", "false", "0", "yes"])
    ),
    "uri": st.one_of(
        noise,
        st.from_regex(r"https?://\S+", fullmatch=True),
        st.from_regex(r"[a-z]+:\S*", fullmatch=True),
        st.text(max_size=20),
    ),
}


_READERS: dict[str, frictionless.Field] = {}


def frictionless_notes(descriptor: dict[str, Any], value: str) -> dict[str, str]:
    """Frictionless's notes on one cell. The field is made once per descriptor: making it
    (0.4 ms, a metadata check) cost more than reading a cell, and read_cell keeps no state."""
    key = json.dumps(descriptor, sort_keys=True)
    if key not in _READERS:
        _READERS[key] = frictionless.Field.from_descriptor(dict(descriptor))
    _, notes = _READERS[key].read_cell(value)
    return notes or {}


@pytest.mark.slow
@pytest.mark.parametrize("kind", list(FIELDS))
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_frictionless_accepts_every_canonical_cell(kind: str, data: st.DataObject) -> None:
    """Never stricter than the standard where it matters: a canonical cell is a valid cell."""
    descriptor = FIELDS[kind]
    values = data.draw(st.lists(CELLS[kind], min_size=1, max_size=6))
    mask = cells.canonical(pd.Series(values, dtype="str"), descriptor)
    for value, canonical in zip(values, mask, strict=True):
        if canonical:
            assert "type" not in frictionless_notes(descriptor, value), value


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["integer", "number", "date"])
@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_pandera_bounds_on_canonical_values_equal_frictionless(
    kind: str, data: st.DataObject
) -> None:
    """A canonical cell's typed value, compared with the bound as Pandera does, gives the same
    verdict as Frictionless's minimum/maximum on the cell."""
    descriptor = FIELDS[kind]
    value = data.draw(CELLS[kind])
    column = pd.Series([value], dtype="str")
    if value == "" or not cells.canonical(column, descriptor)[0]:
        return
    field = Field.from_descriptor(descriptor)
    try:
        typed = coerce_column(column, field, categorical=False).iloc[0]
    except (ValueError, TypeError, OverflowError):
        return  # pandas cannot hold it: reported as a type error by the pandas stage
    notes = frictionless_notes(descriptor, value)
    for name, op in (("minimum", "ge"), ("maximum", "le")):
        if name not in descriptor["constraints"]:
            continue
        bound = descriptor["constraints"][name]
        bound = pd.Timestamp(bound) if kind == "date" else bound
        passes = typed >= bound if op == "ge" else typed <= bound
        assert bool(passes) == (name not in notes), (value, typed, notes)


@pytest.mark.parametrize("kind", list(FIELDS))
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_arrow_types_a_canonical_column_as_pandas_does(kind: str, data: st.DataObject) -> None:
    """A column Arrow types whole (validation/cell_types.py) is typed exactly as pandas types it."""
    from indru_data.validation import cell_types

    descriptor = FIELDS[kind]
    values = data.draw(st.lists(CELLS[kind], min_size=1, max_size=6))
    column = pd.Series([v or None for v in values], dtype="str")
    field = Field.from_descriptor(descriptor)
    typed = cell_types.arrow_typed(column, field, descriptor)
    if typed is not None:
        expected = coerce_column(column, field, categorical=False)
        pd.testing.assert_series_equal(typed, expected, check_names=False)


@pytest.mark.parametrize(
    ("column", "cells_and_rules"),
    [
        ("months_covered", {"1.0": "non-canonical", "+13": "non-canonical", "1,0": "type-error"}),
        ("months_covered", {" 7": "non-canonical", "7": None, "x": "type-error"}),
        ("period_start", {"2019-1-5": "non-canonical", "2019-02-29": "type-error"}),
        ("value_usd_mn", {"1e3": "non-canonical", "NaN": "non-finite-number", "5": None}),
        ("is_partial", {"yes": "type-error", "TRUE": None}),
    ],
)
def test_each_cell_not_in_canonical_form_is_named(
    column: str, cells_and_rules: dict[str, str | None]
) -> None:
    """Readable but not canonical: non-canonical; unreadable: a type error; canonical: nothing."""
    from indru_data.core.descriptor import packaged
    from indru_data.validation.cell_types import typed_frame
    from indru_data.validation.report import Report

    table = packaged().table("trade_annual")
    text = pd.DataFrame({column: pd.Series(list(cells_and_rules), dtype="str")})
    report = Report("t")
    typed_frame(text, table, report, "t.csv")
    found = {f.value: f.rule for f in report.failures if f.column == column}
    assert found == {v: r for v, r in cells_and_rules.items() if r}, report.to_text()
