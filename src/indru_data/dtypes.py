"""The one mapping from Table Schema field types to pandas dtypes and Arrow types.

Every loader, the Parquet build and the validators use it, so a table read from CSV and
the same table read from Parquet come out as identical DataFrames.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    import pyarrow as pa

    from .descriptor import Field, Table

DATE_DTYPE = "datetime64[ms]"


def pandas_dtype(f: Field) -> object:
    """The pandas dtype a column of this field has in a loaded DataFrame."""
    if f.enum is not None:
        return pd.CategoricalDtype(categories=[str(v) for v in f.enum], ordered=False)
    return {
        "integer": pd.Int64Dtype(),
        "number": "float64",
        "boolean": pd.BooleanDtype(),
        "date": DATE_DTYPE,
        "year": pd.Int64Dtype(),
    }.get(f.type, pd.StringDtype())


def arrow_type(f: Field) -> pa.DataType:
    """The Arrow type of this field in the Parquet files."""
    import pyarrow as pa

    if f.enum is not None:
        return pa.dictionary(pa.int32(), pa.string())
    return {
        "integer": pa.int64(),
        "year": pa.int64(),
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


def _parse_boolean(values: pd.Series) -> pd.Series:
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
    if f.type == "boolean":
        return _parse_boolean(values)
    if f.type == "date":
        if pd.api.types.is_datetime64_any_dtype(values):
            return values.astype(DATE_DTYPE)
        parsed = pd.to_datetime(values, format="%Y-%m-%d", errors="raise")
        return parsed.astype(DATE_DTYPE)
    if f.type in ("integer", "year"):
        if values.dtype == object or pd.api.types.is_string_dtype(values):
            values = pd.to_numeric(values, errors="raise")
        return values.astype(dtype)
    if f.type == "number":
        return pd.to_numeric(values, errors="raise").astype("float64")
    if isinstance(dtype, pd.CategoricalDtype):
        text = values.astype(pd.StringDtype())
        return text.astype(dtype) if categorical else text
    return values.astype(dtype)


def coerce_frame(df: pd.DataFrame, table: Table) -> pd.DataFrame:
    """Return the table's columns, in schema order, each cast to its dtype."""
    return pd.DataFrame(
        {f.name: coerce_column(df[f.name], f) for f in table.fields}, index=pd.RangeIndex(len(df))
    )
