"""Cell checks without Frictionless reading every row give Frictionless's verdict on each cell.

The Frictionless stage reads structure only when validation/cells.py can vouch for every cell: a
canonical form is accepted without asking Frictionless, anything else is asked. These tests check
on generated cells that the shortcut never accepts what Frictionless rejects, and that Pandera's
checks on a canonical value's typed form agree with Frictionless's constraints.
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
@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_type_verdict_equals_frictionless(kind: str, data: st.DataObject) -> None:
    descriptor = FIELDS[kind]
    values = data.draw(st.lists(CELLS[kind], min_size=1, max_size=6))
    column = pd.Series(values, dtype="str")
    found = {(c.index, c.rule) for c in cells.failures(column, descriptor)}
    for i, value in enumerate(values):
        if value == "":
            continue  # a missing value: Frictionless and pandas both read it as empty
        notes = frictionless_notes(descriptor, value)
        if value != value.strip():  # stricter than Frictionless, on purpose: " 12" is refused
            assert (i, "type-error") in found, (value, found)
            continue
        assert ((i, "type-error") in found) == ("type" in notes), (value, notes, found)
        for name in set(notes) - {"type"}:
            canonical = bool(cells.canonical(pd.Series([value], dtype="str"), descriptor).iloc[0])
            # Frictionless's constraint failure: reported here unless Pandera checks it.
            assert canonical or (i, f"constraint-error:{name}") in found, (value, notes)


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["integer", "number", "date"])
@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_pandera_bounds_on_canonical_values_equal_frictionless(
    kind: str, data: st.DataObject
) -> None:
    """A canonical cell's typed value, compared with the bound as Pandera does, gives the same
    verdict as Frictionless's minimum/maximum on the cell."""
    descriptor = FIELDS[kind]
    value = data.draw(CELLS[kind])
    column = pd.Series([value], dtype="str")
    if value == "" or not cells.canonical(column, descriptor).iloc[0]:
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
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_arrow_canonical_accepts_only_what_canonical_accepts(
    kind: str, data: st.DataObject
) -> None:
    """The Arrow form of the shortcut (validation/cell_types.py) never accepts more cells, and
    a column it accepts whole is typed exactly as pandas types it."""
    from indru_data.validation import cell_types

    descriptor = FIELDS[kind]
    values = data.draw(st.lists(CELLS[kind], min_size=1, max_size=6))
    column = pd.Series([v or None for v in values], dtype="str")
    mask, _ = cells.arrow_canonical(column.array.__arrow_array__(), descriptor)
    pandas_mask = cells.canonical(column, descriptor)
    for value, fast, ref in zip(values, mask.to_pylist(), pandas_mask.tolist(), strict=True):
        assert not fast or ref, (value, fast, ref)
    field = Field.from_descriptor(descriptor)
    typed = cell_types.arrow_typed(column, field, descriptor)
    if typed is not None:
        expected = coerce_column(column, field, categorical=False)
        pd.testing.assert_series_equal(typed, expected, check_names=False)


def test_known_differences_between_frictionless_and_pandas_are_caught() -> None:
    """Cells one library accepts and the other does not, each with Frictionless's verdict."""
    integer = pd.Series(["1.0", "+13", "1_0", "7", "99999999999999999999"], dtype="str")
    got = {(c.value, c.rule) for c in cells.failures(integer, FIELDS["integer"])}
    assert got == {
        ("1.0", "type-error"),  # int("1.0") fails; pandas would read 1
        ("+13", "constraint-error:maximum"),  # non-canonical: Frictionless reads 13 > 12
        ("99999999999999999999", "constraint-error:maximum"),
    }
    date = pd.Series(["0000-01-01", "2019-02-29", "2019-1-5", "2020-02-29"], dtype="str")
    got = {(c.value, c.rule) for c in cells.failures(date, FIELDS["date"])}
    assert got == {("0000-01-01", "type-error"), ("2019-02-29", "type-error")}
    number = pd.Series(["NaN", "1e3", "-inf", "1,000", "5"], dtype="str")
    got = {(c.value, c.rule) for c in cells.failures(number, FIELDS["number"])}
    assert got == {
        ("NaN", "constraint-error:minimum"),  # pandas would read NaN as a missing value
        ("NaN", "constraint-error:maximum"),
        ("1e3", "constraint-error:maximum"),
        ("-inf", "constraint-error:minimum"),
        ("1,000", "type-error"),
    }


def test_plain_strings_are_left_to_pandera() -> None:
    field = {"name": "s", "type": "string", "constraints": {"pattern": "[a-z]+"}}
    assert cells.failures(pd.Series(["ABC", "x y"], dtype="str"), field) == []


@pytest.mark.parametrize(
    ("field", "covered"),
    [
        ({"name": "a", "type": "integer", "constraints": {"minimum": 0}}, True),
        ({"name": "a", "type": "string", "format": "uri", "x-unit": "none"}, True),
        ({"name": "a", "type": "integer", "bareNumber": False}, False),
        ({"name": "a", "type": "number", "constraints": {"exclusiveMinimum": 0}}, False),
        ({"name": "a", "type": "string", "format": "email"}, False),
        ({"name": "a", "type": "datetime"}, False),
        ({"name": "a", "type": "integer", "constraints": {"enum": [1, 2]}}, False),
    ],
)
def test_what_the_pandas_stages_cover(field: dict[str, Any], covered: bool) -> None:
    assert cells.covered(field) is covered


@pytest.mark.parametrize("kind", ["integer", "number", "date", "year"])
def test_only_doubtful_values_are_tried_alone_and_none_that_fails_is_missed(kind: str) -> None:
    """cell_types._doubtful may flag too many values, never too few: every text value that
    does not cast alone is among those it leaves to be tried alone."""
    import random

    from indru_data.validation.cell_types import _doubtful

    rng = random.Random(7)
    chars = "0123456789-+.eE _xnaifINF:/T"
    values = {"1" + "0" * 400, "9223372036854775808", "-9223372036854775809", "1e400", "nan"}
    while len(values) < 500:
        values.add("".join(rng.choice(chars) for _ in range(rng.randint(1, 12))))
    for _ in range(200):
        values.add(f"{rng.randint(0, 10000):04d}-{rng.randint(0, 14):02d}-{rng.randint(0, 32):02d}")
    ordered = sorted(values)
    field = Field.from_descriptor({"name": "x", "type": kind})
    doubtful = _doubtful(pd.Series(ordered, dtype=object), field)
    fails_alone = []
    for value in ordered:
        try:
            coerce_column(pd.Series([value]), field, categorical=False)
        except (ValueError, TypeError, OverflowError):
            fails_alone.append(value)
    assert fails_alone  # the sample holds failing values, so the check below can fail
    missed = [v for v, d in zip(ordered, doubtful, strict=True) if v in fails_alone and not d]
    assert not missed, missed
    assert doubtful.sum() < len(ordered)  # and it vouches for some: the shortcut is taken
