"""The canonical form of each type's cells, checked a column at a time in Arrow.

A reviewed, hand-edited CSV writes each value one way: an integer as plain digits, a number
with at most one decimal point and 15 significant digits (what a float keeps exactly), a date
as YYYY-MM-DD, a boolean as true or false, a URL with its http(s) scheme. A column whose cells
are all canonical is typed by Arrow in a few passes (cell_types.py). A cell in another form
that pandas could still read ("+5", "1e3", "2019-1-5", " 12") is refused as non-canonical:
its spaces or sign hide in a diff, and readers differ on it. Frictionless accepts every
canonical cell with the same value (tests/test_cells.py checks that on generated cells).
"""

from __future__ import annotations

from typing import Any

import pandas as pd

# Canonical forms (int(), Decimal() and strptime("%Y-%m-%d") read each the same way).
_INTEGER = r"-?[0-9]{1,18}"
_NUMBER = r"-?[0-9]+(?:\.[0-9]+)?"
_NUMBER_DIGITS = 15  # float64 keeps 15 significant digits: bounds compare as Decimal would
_DATE = r"[0-9]{4}-[0-9]{2}-[0-9]{2}"  # and not year 0000 (pandas parses it, Python does not)
_BOOLEAN = r"true|True|TRUE|1|false|False|FALSE|0"
TRUE_WORDS = frozenset({"true", "True", "TRUE", "1"})  # the default trueValues
_URI = r"https?://\S+"  # an IRI's non-ASCII characters are allowed

# How each kind is written, for the message of a non-canonical cell.
FORMS = {
    "integer": "write an integer as digits with an optional leading minus "
    "(no '+', decimal point, exponent or spaces)",
    "number": "write a number as digits with an optional leading minus and decimal point, "
    "at most 15 significant digits (no '+', exponent or spaces)",
    "date": "write a date as YYYY-MM-DD, a day that exists, from year 0001",
    "boolean": "write a boolean as true or false",
    "uri": "write a URL as http:// or https:// with no spaces",
}


def kind(field: dict[str, Any]) -> str | None:
    """The field's kind of canonical form, or None for plain text (every text is canonical)."""
    name = field.get("type", "string")
    if name == "string":
        return "uri" if field.get("format") == "uri" else None
    return name


def canonical(values: pd.Series, field: dict[str, Any]) -> Any:
    """A numpy mask: True where a text cell is canonical for the field (missing cells: False)."""
    import pyarrow as pa

    text = pa.array(values.astype(object).where(values.notna(), None), pa.large_string())
    return arrow_canonical(text, field).to_numpy(zero_copy_only=False)


def arrow_canonical(text: Any, field: dict[str, Any]) -> Any:
    """`canonical` on an Arrow string array, as an Arrow mask (missing cells: False).

    A date's validity is its round trip through strptime (Arrow's strptime rolls 2019-02-30
    over to March 2: the day then differs).
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    kind, fmt = field.get("type", "string"), field.get("format")

    def full(pattern: str) -> Any:
        return pc.fill_null(pc.match_substring_regex(text, f"^(?:{pattern})$"), False)

    if kind == "integer":
        return full(_INTEGER)
    if kind == "number":
        # The shape allows one leading "-" and one ".": the rest of the (ASCII) text is digits.
        signs = pc.add(pc.count_substring(text, "-"), pc.count_substring(text, "."))
        digits = pc.subtract(pc.binary_length(text), signs)
        fits = pc.fill_null(pc.less_equal(digits, _NUMBER_DIGITS), False)
        return pc.and_(full(_NUMBER), fits)
    if kind == "boolean":
        return full(_BOOLEAN)
    if kind == "date":
        shape = date_shape(text)
        parsed = pc.strptime(
            pc.if_else(shape, text, pa.scalar(None, text.type)),
            format="%Y-%m-%d",
            unit="s",
            error_is_null=True,
        )
        # strptime rolls an impossible day over into the next month: its day then differs.
        filler = pa.scalar("0000-00-01", text.type)  # where the shape fails: any valid day
        day = pc.cast(pc.utf8_slice_codeunits(pc.if_else(shape, text, filler), 8, 10), pa.int64())
        same = pc.fill_null(pc.equal(pc.day(parsed), day), False)
        return pc.and_(shape, same)
    if fmt == "uri":
        return full(_URI)  # Arrow's \S: any character but ASCII whitespace
    return pc.is_valid(text)


def date_shape(text: Any) -> Any:
    """True where an Arrow text cell has the canonical date shape (and is not year 0000)."""
    import pyarrow.compute as pc

    shape = pc.fill_null(pc.match_substring_regex(text, f"^(?:{_DATE})$"), False)
    return pc.and_(shape, pc.invert(pc.fill_null(pc.starts_with(text, "0000"), False)))
