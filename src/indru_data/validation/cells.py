"""Frictionless's verdict on each text cell, computed a column at a time.

Frictionless reads every cell of every row in Python; at 100k rows that is seconds per table. The
structure stage therefore has it check structure only (see structure.structural_descriptor)
and this module gives the same per-cell verdict — type, format and constraints, exactly as
Frictionless's own field reader says — without a Python call per cell:

- a cell in a canonical form that Frictionless is known to accept for the field's type (a plain
  integer, a plain decimal of at most 15 digits, an ISO date that parses, one of the default
  boolean words, an http(s) URL) is accepted here; its constraints are then Pandera's job, on the
  typed value, with the same meaning;
- every other distinct value (rare: "+5", "1e3", "2019-1-5", "NaN", a typo) is read by
  Frictionless's field reader itself, and its notes (type or constraint) are the failures.

tests/test_cells.py checks, on generated cells, that this equals Frictionless's reader.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

# Canonical forms, each accepted by Frictionless's reader for the type (int(), Decimal(),
# strptime("%Y-%m-%d"), the default true/false words, rfc3986 with a scheme).
_INTEGER = r"-?[0-9]{1,18}"
_NUMBER = r"-?[0-9]+(?:\.[0-9]+)?"
_NUMBER_DIGITS = 15  # float64 keeps 15 significant digits: bounds compare as Decimal would
_DATE = r"[0-9]{4}-[0-9]{2}-[0-9]{2}"  # and not year 0000 (pandas parses it, Python does not)
_BOOLEAN = r"true|True|TRUE|1|false|False|FALSE|0"
TRUE_WORDS = frozenset({"true", "True", "TRUE", "1"})  # the default trueValues
_URI = r"https?://\S+"

# Field types and formats whose cells this module (plus Pandera and the cross-table stage) checks
# completely; a schema with anything else is validated by Frictionless in full.
TYPES = {"string", "integer", "number", "boolean", "date"}
FORMATS = {"string": {None, "default", "uri"}, "date": {None, "default"}}
FIELD_KEYS = {
    "name",
    "type",
    "format",
    "title",
    "description",
    "constraints",
    "example",
    "rdfType",
}
CONSTRAINTS = {
    "string": {"required", "unique", "pattern", "enum", "minLength", "maxLength"},
    "integer": {"required", "unique", "minimum", "maximum"},
    "number": {"required", "unique", "minimum", "maximum"},
    "date": {"required", "unique", "minimum", "maximum"},
    "boolean": {"required", "unique"},
}


def covered(field: dict[str, Any]) -> bool:
    """True when this module and the pandas stages check everything Frictionless checks on it."""
    kind = field.get("type", "string")
    if kind not in TYPES:
        return False
    if field.get("format") not in FORMATS.get(kind, {None, "default"}):
        return False
    if any(k not in FIELD_KEYS and not k.startswith("x-") for k in field):
        return False  # bareNumber, trueValues, missingValues, ... change how cells read
    return set(field.get("constraints", {})) <= CONSTRAINTS[kind]


@dataclass(frozen=True)
class CellFailure:
    index: int  # position in the column (CSV line index + 2)
    value: str
    rule: str  # type-error or constraint-error:<name>, as Frictionless names them
    message: str


def canonical(text: pd.Series, field: dict[str, Any]) -> pd.Series:
    """True where a text cell is in a form Frictionless accepts for the field's type."""
    kind, fmt = field.get("type", "string"), field.get("format")
    s = text.astype("string")
    if kind == "integer":
        return s.str.fullmatch(_INTEGER).fillna(False).astype(bool)
    if kind == "number":
        shape = s.str.fullmatch(_NUMBER).fillna(False).astype(bool)
        digits = s.str.len() - s.str.count(r"[-.]")
        return shape & (digits <= _NUMBER_DIGITS).fillna(False).astype(bool)
    if kind == "boolean":
        return s.str.fullmatch(_BOOLEAN).fillna(False).astype(bool)
    if kind == "date":
        # No look-ahead in the patterns: Arrow's regex engine then runs them, not Python per cell.
        shape = (s.str.fullmatch(_DATE) & ~s.str.startswith("0000")).fillna(False).astype(bool)
        parsed = pd.to_datetime(s.where(shape), format="%Y-%m-%d", errors="coerce")
        return shape & parsed.notna()
    if fmt == "uri":
        return s.str.fullmatch(_URI).fillna(False).astype(bool)
    return pd.Series(True, index=text.index)  # a plain string: every text cell is one


def arrow_canonical(text: Any, field: dict[str, Any]) -> tuple[Any, Any]:
    """`canonical` on an Arrow string array: (mask, parsed dates or None), all in Arrow.

    The same patterns, run by the same engine (pandas runs `str.fullmatch` on Arrow-backed text
    as `^(?:pattern)$` with Arrow's regex engine); a date's validity is its round trip through
    strptime (Arrow's strptime rolls 2019-02-30 over to March 2: the day then differs).
    Missing cells are False. tests/test_cells.py checks that both functions agree.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    kind, fmt = field.get("type", "string"), field.get("format")

    def full(pattern: str) -> Any:
        return pc.fill_null(pc.match_substring_regex(text, f"^(?:{pattern})$"), False)

    if kind == "integer":
        return full(_INTEGER), None
    if kind == "number":
        # The shape allows one leading "-" and one ".": the rest of the (ASCII) text is digits.
        signs = pc.add(pc.count_substring(text, "-"), pc.count_substring(text, "."))
        digits = pc.subtract(pc.binary_length(text), signs)
        fits = pc.fill_null(pc.less_equal(digits, _NUMBER_DIGITS), False)
        return pc.and_(full(_NUMBER), fits), None
    if kind == "boolean":
        return full(_BOOLEAN), None
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
        return pc.and_(shape, same), parsed
    if fmt == "uri":
        # ASCII only: pandas reads non-ASCII text with Python's `re`, whose \S differs from
        # Arrow's (a no-break space); such a cell is read by Frictionless.
        return pc.and_(full(_URI), pc.fill_null(pc.string_is_ascii(text), False)), None
    return pc.is_valid(text), None


def date_shape(text: Any) -> Any:
    """True where an Arrow text cell has the canonical date shape (and is not year 0000)."""
    import pyarrow.compute as pc

    shape = pc.fill_null(pc.match_substring_regex(text, f"^(?:{_DATE})$"), False)
    return pc.and_(shape, pc.invert(pc.fill_null(pc.starts_with(text, "0000"), False)))


def failures(values: pd.Series, field: dict[str, Any]) -> list[CellFailure]:
    """Every non-missing text cell that Frictionless's field reader would reject, with why."""
    if field.get("type", "string") == "string" and field.get("format") != "uri":
        return []  # any text is a string; its constraints are Pandera's
    if pd.api.types.is_string_dtype(values) and values.dtype != object:
        is_text = values.notna()  # a CSV column read as text: every present cell is a str
    else:
        is_text = values.map(lambda v: isinstance(v, str)).astype(bool)
    if not is_text.any():
        return []
    text = values[is_text]
    doubtful = text[~canonical(text, field)]
    if doubtful.empty:
        return []
    import frictionless

    reader = frictionless.Field.from_descriptor(dict(field))
    verdicts: dict[str, dict[str, str]] = {}
    for value in doubtful.unique():
        if value != value.strip():
            # Frictionless reads " 12" as 12; a hand-edited CSV reviewed as a diff should not
            # hold a number, date or flag whose spaces the diff hides.
            verdicts[value] = {"type": f"{field.get('type')} with surrounding whitespace"}
            continue
        _, notes = reader.read_cell(value)
        if notes:
            verdicts[value] = notes
    found = []
    for i, value in doubtful.items():
        for name, note in verdicts.get(value, {}).items():
            rule = "type-error" if name == "type" else f"constraint-error:{name}"
            found.append(CellFailure(int(i), value, rule, note))
    return found
