"""Stage 3, types: each CSV text cell typed as its field says, reporting every cell that does not fit.

A column of Arrow-backed text (the fast path's and `read_csv_text`'s) whose cells are all in a
canonical form (cells.py) and none too large is typed by Arrow in a few vectorised passes: no
cell then fails, and the result equals what the pandas route below gives (tests/test_cells.py).
Any other column takes that route: oversized, non-finite and non-canonical cells are blanked
and named, and pandas casts the rest, naming each cell it cannot. Most columns of most files are canonical, so the fixed cost per column is a few Arrow
calls instead of a dozen pandas ones, and no cell becomes a Python object.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from indru_data.core.descriptor import Field, Table
from indru_data.core.dtypes import coerce_column
from indru_data.validation import cells
from indru_data.validation.files import MAX_CELL_CHARS
from indru_data.validation.report import Report

STAGE = "pandera"  # failures of typing are reported as the Pandera stage's, as before
CONSUME_FROM_ROWS = 100_000


def typed_frame(
    text: pd.DataFrame,
    table: Table,
    report: Report,
    file: str | None,
    *,
    consume: bool = False,
) -> pd.DataFrame:
    """Cast the CSV's text cells to the schema's types, reporting every cell that does not fit.

    A cell that cannot be cast becomes missing so that the remaining rules still run on the rest.
    Vocabulary columns stay text here so that a value outside the vocabulary is reported, not lost.
    A text cell that is not in its type's canonical form is refused (cells.py). With `consume`, each text
    column but the primary key's is dropped from `text` once typed, so that a large table is
    not held twice, as text and typed, while it is typed.
    """
    columns: dict[str, pd.Series] = {}
    descriptors = {f.get("name"): f for f in table.schema.get("fields", [])}
    present = set(text.columns)
    plain_index = isinstance(text.index, pd.RangeIndex) and text.index.start == 0
    # Dropping a column from a frame costs about as much as typing a small one: worth it only
    # where holding the text beside the typed columns would cost memory that matters.
    consume = consume and len(text) >= CONSUME_FROM_ROWS
    for f in table.fields:
        if f.name not in present:
            report.fail(
                STAGE,
                table.name,
                file,
                "missing-column",
                f"column {f.name!r} is in the schema but not in the data",
                column=f.name,
            )
            columns[f.name] = pd.Series([None] * len(text), dtype=object)
            continue
        values = text[f.name] if plain_index else text[f.name].reset_index(drop=True)
        typed = arrow_typed(values, f, descriptors[f.name])
        if typed is None:
            typed = _typed_by_pandas(values, f, descriptors[f.name], text, table, report, file)
        columns[f.name] = typed
        if consume and f.name not in table.primary_key:
            del values, typed
            del text[f.name]
    for extra in [c for c in text.columns if c not in table.field_names]:
        report.fail(
            STAGE,
            table.name,
            file,
            "extra-column",
            f"column {extra!r} is in the data but not in the schema",
            column=str(extra),
        )
    return pd.DataFrame(columns, index=pd.RangeIndex(len(text)))


def arrow_typed(values: pd.Series, f: Field, descriptor: dict[str, Any]) -> pd.Series | None:
    """The typed column, by Arrow, when no cell of it can fail; None when the cells need a look."""
    if not isinstance(values.array, pd.arrays.ArrowStringArray):
        return None
    import pyarrow as pa
    import pyarrow.compute as pc

    text = values.array.__arrow_array__()
    longest = pc.max(pc.binary_length(text)).as_py()  # bytes >= characters
    if longest is not None and longest > MAX_CELL_CHARS:
        return None
    kind = descriptor.get("type", "string")
    if kind == "string" and descriptor.get("format") != "uri":
        return coerce_column(values, f, categorical=False)
    present = len(text) - text.null_count
    if kind == "date":
        # The shape, then Arrow's date parser, which refuses an impossible day (2019-02-30)
        # for the whole column: one pass instead of cells.arrow_canonical's three.
        if present and pc.sum(cells.date_shape(text)).as_py() != present:
            return None
        try:
            typed = pc.cast(pc.cast(text, pa.date32()), pa.timestamp("ms"))
        except pa.ArrowInvalid:
            return None
        return typed.to_pandas()
    canonical = cells.arrow_canonical(text, descriptor)
    if present and pc.sum(canonical).as_py() != present:
        return None
    if kind == "string":
        return coerce_column(values, f, categorical=False)
    if kind == "integer":
        typed, mapping = pc.cast(text, pa.int64()), {pa.int64(): pd.Int64Dtype()}
    elif kind == "number":
        typed, mapping = pc.cast(text, pa.float64()), {}
    else:  # boolean
        words = pa.array(sorted(cells.TRUE_WORDS), pa.large_string())
        truth = pc.is_in(text, value_set=words)
        typed = pc.if_else(pc.is_valid(text), truth, pa.scalar(None, pa.bool_()))
        mapping = {pa.bool_(): pd.BooleanDtype()}
    return typed.to_pandas(types_mapper=mapping.get)


def _typed_by_pandas(
    values: pd.Series,
    f: Field,
    descriptor: dict[str, Any],
    text: pd.DataFrame,
    table: Table,
    report: Report,
    file: str | None,
) -> pd.Series:
    values = _unusable_cells(values, f, text, table, report, file)
    values = _text_cells(values, f, descriptor, text, table, report, file)
    try:
        return coerce_column(values, f, categorical=False)
    except (ValueError, TypeError, OverflowError):
        return _coerce_cell_by_cell(values, f, table, report, file)


# "inf", "-Infinity", "NaN" in any case: Python and pandas read them as numbers.
_NON_FINITE_WORD = r"\s*[+-]?(?:inf|infinity|nan)\s*"


def _unusable_cells(
    values: pd.Series, f: Field, text: pd.DataFrame, table: Table, report: Report, file: str | None
) -> pd.Series:
    """Report and blank the cells no later check should see: oversized cells, non-finite numbers.

    Blanked, they cannot fill a report with megabytes or pass a range check as infinity; the
    report then names them once (Report.add drops other failures of the same cell).
    """
    s = values.astype("string")
    lengths = s.str.len()
    too_large = (lengths > MAX_CELL_CHARS).fillna(False).to_numpy(dtype=bool)
    for i in too_large.nonzero()[0]:
        report.fail(
            STAGE,
            table.name,
            file,
            "cell-too-large",
            f"cell has {int(lengths.iloc[i])} characters, more than the limit of {MAX_CELL_CHARS}",
            row=int(i) + 2,
            column=f.name,
            key=text_key(text, table, int(i)),
        )
    bad = too_large
    if f.type == "number":
        # No figure of this package is infinite or undefined: "inf", "NaN" and numbers beyond
        # the float range (1e400 reads as infinity) are refused wherever a number is allowed.
        word = s.str.fullmatch(_NON_FINITE_WORD, case=False).fillna(False).to_numpy(dtype=bool)
        with np.errstate(over="ignore"):
            huge = np.isinf(pd.to_numeric(s, errors="coerce").to_numpy(dtype=float, na_value=0.0))
        non_finite = (word | huge) & ~too_large
        for i in non_finite.nonzero()[0]:
            report.fail(
                STAGE,
                table.name,
                file,
                "non-finite-number",
                "not a finite number (infinity, NaN and numbers beyond about 1.8e308 are refused)",
                row=int(i) + 2,
                column=f.name,
                value=str(s.iloc[i]),
                key=text_key(text, table, int(i)),
            )
        bad = bad | non_finite
    return values.mask(bad, None) if bad.any() else values


def _text_cells(
    values: pd.Series,
    f: Field,
    descriptor: dict[str, Any],
    text: pd.DataFrame,
    table: Table,
    report: Report,
    file: str | None,
) -> pd.Series:
    """Report and blank each text cell that is not in its type's canonical form (cells.py).

    The rule says why: non-canonical when pandas could read it ("+5", "1e3", "2019-1-5", " 12"),
    integer-too-large for digits beyond int64, a type error when nothing could. Every text cell
    left is canonical, and casts.
    """
    kind = cells.kind(descriptor)
    is_text = values.map(lambda v: isinstance(v, str)).to_numpy(dtype=bool)
    if kind is None or not is_text.any():
        return values
    doubtful = is_text & ~cells.canonical(values.where(is_text, None), descriptor)
    verdicts = {v: _verdict(v, f, kind) for v in pd.unique(values[doubtful])}
    bad = doubtful & values.map(lambda v: verdicts.get(v) is not None).to_numpy(dtype=bool)
    for i in bad.nonzero()[0]:
        v = values.iloc[i]
        rule, message = verdicts[v]  # type: ignore[misc]
        report.fail(
            STAGE,
            table.name,
            file,
            rule,
            message,
            row=int(i) + 2,
            column=f.name,
            value=v,
            key=text_key(text, table, int(i)),
        )
    return values.mask(bad, None) if bad.any() else values


def _verdict(value: str, f: Field, kind: str) -> tuple[str, str] | None:
    """(rule, message) for a text cell outside the canonical pattern; None to accept it."""
    digits = value.lstrip("-").isdigit()  # plain digits: an integer longer than the pattern's
    try:
        # stripped: " 12" is a number in spaces, readable, not a cell nothing could read
        coerce_column(pd.Series([value.strip()]), f, categorical=False)
    except (ValueError, TypeError, OverflowError):
        if f.type == "integer" and digits:
            return "integer-too-large", "beyond the 64-bit integer range"
        return "type-error", f"not a valid {f.type}"
    if f.type == "integer" and digits:
        return None
    spaces = "surrounding whitespace is not allowed: " if value != value.strip() else ""
    return "non-canonical", f"{spaces}not in the canonical form: {cells.FORMS[kind]}"


def _coerce_cell_by_cell(
    values: pd.Series, f: Field, table: Table, report: Report, file: str | None
) -> pd.Series:
    """Report every value that does not cast (each distinct value tried once), cast the rest.

    Reached only by values that are not text (a DataFrame given to validate_frame).
    """
    bad = []
    for v in values.dropna().unique():
        try:
            coerce_column(pd.Series([v], dtype=object), f, categorical=False)
        except (ValueError, TypeError, OverflowError):
            bad.append(v)
    is_bad = values.isin(bad)
    for i, v in values[is_bad].items():
        report.fail(
            STAGE,
            table.name,
            file,
            "type-error",
            f"not a valid {f.type}",
            row=int(i) + 2,
            column=f.name,
            value=v,
        )
    return coerce_column(values.mask(is_bad, None), f, categorical=False)


def text_key(text: pd.DataFrame, table: Table, i: int) -> str | None:
    pk = table.primary_key
    if not pk or any(k not in text.columns for k in pk):
        return None
    key_cells = [text[k].iloc[i] for k in pk]
    return None if any(pd.isna(c) for c in key_cells) else "/".join(map(str, key_cells))
