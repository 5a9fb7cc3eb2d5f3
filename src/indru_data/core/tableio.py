"""Reading a table's CSV or Parquet file into a typed DataFrame, and writing Parquet atomically."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from indru_data.core.dtypes import arrow_schema, coerce_frame

if TYPE_CHECKING:
    from indru_data.core.descriptor import Table


def read_csv_text(path: Path) -> pd.DataFrame:
    """The CSV exactly as text: every cell a string, only an empty cell is missing.

    `keep_default_na=False` matters: pandas would otherwise turn words such as "NA" or
    "null" into missing values silently.
    """
    return pd.read_csv(
        path,
        dtype=str,
        keep_default_na=False,
        na_values=[""],
        encoding="utf-8",
    )


def read_csv(table: Table) -> pd.DataFrame:
    return coerce_frame(read_csv_text(table.path), table)


def to_csv_text(df: pd.DataFrame, table: Table) -> str:
    """The typed frame as the package's CSV: ISO dates, true/false, shortest exact numbers, '' for missing."""
    import csv
    import io

    def cell(v: object, kind: str) -> str:
        if v is None or v is pd.NA or v is pd.NaT or (isinstance(v, float) and v != v):
            return ""
        if kind == "date":
            return v.strftime("%Y-%m-%d")  # type: ignore[union-attr]
        if kind == "boolean":
            return "true" if v else "false"
        if kind == "number":
            return repr(float(v))  # type: ignore[arg-type]
        return str(v)

    kinds = {f.name: f.type for f in table.fields}
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(table.field_names)
    for row in df[table.field_names].itertuples(index=False):
        writer.writerow([cell(v, kinds[n]) for n, v in zip(table.field_names, row, strict=True)])
    return out.getvalue()


# Below this many rows Arrow's thread pool does not pay for itself (measured on 2 cores:
# break-even near 100k rows; docs/performance.md).
THREADS_FROM_ROWS = 100_000


def read_parquet(table: Table) -> pd.DataFrame:
    import pyarrow as pa
    import pyarrow.parquet as pq

    # ParquetFile.read, not read_table: one local file needs no dataset discovery.
    with pq.ParquetFile(table.parquet_path) as handle:
        threads = handle.metadata.num_rows >= THREADS_FROM_ROWS
        arrow = handle.read(use_threads=threads)
    # Map Arrow types straight to the nullable pandas dtypes so nothing passes through
    # float64 (integers with nulls) or Python objects (dates) on the way. Dictionary columns
    # come out as categoricals with the file's dictionary (written in vocabulary order) and
    # date32 as datetime64[ms]: every column then already has its dtypes.py dtype, and
    # coerce_frame only checks that.
    mapping = {
        pa.int64(): pd.Int64Dtype(),
        pa.bool_(): pd.BooleanDtype(),
        pa.string(): pd.StringDtype(),
        pa.large_string(): pd.StringDtype(),
    }
    df = arrow.to_pandas(types_mapper=mapping.get, date_as_object=False, use_threads=threads)
    return coerce_frame(df, table)


def frame_to_arrow(df: pd.DataFrame, table: Table):  # type: ignore[no-untyped-def]
    import pyarrow as pa

    schema = arrow_schema(table)
    columns = []
    for f in schema:
        col = df[f.name]
        if pa.types.is_dictionary(f.type):
            # Dictionary in vocabulary order, so the file does not depend on row order.
            arr = pa.DictionaryArray.from_pandas(col)
            arr = arr.cast(f.type)
        elif pa.types.is_date32(f.type):
            arr = pa.array(col.dt.date.where(col.notna(), None), type=f.type)
        else:
            arr = pa.array(col, type=f.type, from_pandas=True)
        columns.append(arr)
    return pa.Table.from_arrays(columns, schema=schema)


def write_parquet(df: pd.DataFrame, table: Table, path: Path | None = None) -> None:
    import pyarrow.parquet as pq

    from indru_data.core.files import write_atomic

    arrow = frame_to_arrow(df, table)
    target = path or table.parquet_path
    write_atomic(
        target,
        lambda tmp: pq.write_table(arrow, tmp, compression="zstd", write_statistics=True),
        inside=target.parent,
    )
