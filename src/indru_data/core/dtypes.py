"""The one mapping from Table Schema field types to pandas dtypes and Arrow types.

Every loader, the Parquet build and the validators use it, so a table read from CSV and
the same table read from Parquet come out as identical DataFrames.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    import pyarrow as pa

    from indru_data.core.descriptor import Field, Table

DATE_DTYPE = "datetime64[ms]"


@lru_cache(maxsize=256)
def _categorical(categories: tuple[str, ...]) -> pd.CategoricalDtype:
    # Building a CategoricalDtype validates its categories: do it once per vocabulary.
    return pd.CategoricalDtype(categories=list(categories), ordered=False)


def pandas_dtype(f: Field) -> object:
    """The pandas dtype a column of this field has in a loaded DataFrame."""
    if f.enum is not None:
        return _categorical(tuple(str(v) for v in f.enum))
    return {
        "integer": pd.Int64Dtype(),
        "number": "float64",
        "boolean": pd.BooleanDtype(),
        "date": DATE_DTYPE,
    }.get(f.type, pd.StringDtype())


def arrow_type(f: Field) -> pa.DataType:
    """The Arrow type of this field in the Parquet files."""
    import pyarrow as pa

    if f.enum is not None:
        return pa.dictionary(pa.int32(), pa.string())
    return {
        "integer": pa.int64(),
        "number": pa.float64(),
        "boolean": pa.bool_(),
        "date": pa.date32(),
    }.get(f.type, pa.string())


def arrow_schema(table: Table) -> pa.Schema:
    import pyarrow as pa

    return pa.schema(
        [pa.field(f.name, arrow_type(f), nullable=not f.required) for f in table.fields]
    )


_TRUE = {"true", "True", "TRUE", "1"}
_FALSE = {"false", "False", "FALSE", "0"}
_WORDS = dict.fromkeys(_TRUE, True) | dict.fromkeys(_FALSE, False)


def _parse_boolean(values: pd.Series) -> pd.Series:
    if pd.api.types.is_string_dtype(values) and values.dtype != object:
        # Text read from a CSV: one dictionary lookup per distinct value, not a call per cell.
        parsed = values.map(_WORDS)
        unknown = values.notna() & parsed.isna()
        if unknown.any():
            raise ValueError(f"not a boolean: {values[unknown].iloc[0]!r}")
        return parsed.astype(pd.BooleanDtype())

    def one(v: object) -> object:
        if v is None or v is pd.NA or (isinstance(v, float) and pd.isna(v)):
            return pd.NA
        if isinstance(v, bool):
            return v
        s = str(v)
        if s in _TRUE:
            return True
        if s in _FALSE:
            return False
        raise ValueError(f"not a boolean: {v!r}")

    return values.map(one).astype(pd.BooleanDtype())


def coerce_column(values: pd.Series, f: Field, *, categorical: bool = True) -> pd.Series:
    """Cast one column to its field's dtype; raises ValueError/TypeError on a value that does not fit.

    With `categorical=False` a vocabulary column stays text, so that validation can report a
    value outside the vocabulary instead of pandas turning it into a missing value.
    """
    dtype = pandas_dtype(f)
    target = pd.StringDtype() if f.enum is not None and not categorical else dtype
    if same_dtype(values.dtype, target):
        return values  # e.g. a Parquet column, already typed by tableio.read_parquet
    if f.type == "boolean":
        return _parse_boolean(values)
    if f.type == "date":
        if pd.api.types.is_datetime64_any_dtype(values):
            return values.astype(DATE_DTYPE)
        parsed = pd.to_datetime(values, format="%Y-%m-%d", errors="raise")
        return parsed.astype(DATE_DTYPE)
    if f.type == "integer":
        if values.dtype == object or pd.api.types.is_string_dtype(values):
            values = pd.to_numeric(values, errors="raise")
        return values.astype(dtype)
    if f.type == "number":
        return pd.to_numeric(values, errors="raise").astype("float64")
    if isinstance(dtype, pd.CategoricalDtype):
        text = values.astype(pd.StringDtype())
        return text.astype(dtype) if categorical else text
    return values.astype(dtype)


def same_dtype(have: object, want: object) -> bool:
    """Equal dtypes; categoricals also need the same categories in the same order."""
    if isinstance(want, pd.CategoricalDtype):
        return (
            isinstance(have, pd.CategoricalDtype)
            and have.ordered == want.ordered
            and have.categories.dtype == want.categories.dtype
            and have.categories.equals(want.categories)
        )
    return bool(have == want)


def same_frame(a: pd.DataFrame, b: pd.DataFrame) -> bool:
    """Equal labels, index, column types and cells; a missing cell equals only a missing cell.

    The one test of "nothing differs" for a diff (release/diff.py).
    """
    return (
        a.shape == b.shape
        and list(a.columns) == list(b.columns)
        and [str(t) for t in a.dtypes] == [str(t) for t in b.dtypes]
        and a.index.equals(b.index)
        and a.equals(b)
    )


def coerce_frame(df: pd.DataFrame, table: Table) -> pd.DataFrame:
    """Return the table's columns, in schema order, each cast to its dtype."""
    given = {f.name: df[f.name] for f in table.fields}
    columns = {f.name: coerce_column(given[f.name], f) for f in table.fields}
    if (
        list(df.columns) == list(columns)
        and isinstance(df.index, pd.RangeIndex)
        and df.index.equals(pd.RangeIndex(len(df)))
        and all(columns[name] is given[name] for name in columns)
    ):
        return df  # already typed and in order (a Parquet read): nothing to rebuild
    # copy=False: columns already of the right dtype are shared, not copied (copy-on-write
    # keeps the caller's frame and this one independent).
    return pd.DataFrame(columns, index=pd.RangeIndex(len(df)), copy=False)
