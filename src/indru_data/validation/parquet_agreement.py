"""Stage 7, Parquet agreement: the built Parquet file holds exactly the CSV's rows.

Parquet is rebuilt from the CSV by `indru-data build`, never edited, so any difference means
a stale or tampered file. Compared as Arrow tables where the types allow (fast), else
column by column with the first differing cell named.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from indru_data.core.descriptor import DataPackage, Table
from indru_data.validation.cross_table import arrow_text, fail
from indru_data.validation.report import Report


def parquet_agrees(package: DataPackage, table: Table, typed: pd.DataFrame, report: Report) -> None:
    """The built Parquet file must hold exactly the CSV's rows (it is rebuilt, never edited).

    `typed` is the CSV as the typing stage gives it (vocabulary columns still text).
    """
    from indru_data.core.dtypes import coerce_frame
    from indru_data.core.tableio import read_parquet

    file = (
        str(table.parquet_path.relative_to(package.root))
        if table.parquet_path.is_relative_to(package.root)
        else str(table.parquet_path)
    )
    if not table.parquet_path.is_file():
        _whole_file(
            report,
            table,
            file,
            "parquet-missing",
            "Parquet file is missing: run `indru-data build`",
        )
        return
    if _same_as_arrow(table, typed):
        return  # the usual case, decided by Arrow; any doubt is settled by pandas below
    csv_frame = coerce_frame(typed, table)
    try:
        pq_frame = read_parquet(table)
    except Exception as exc:  # a truncated or foreign file: say so, do not crash
        _whole_file(
            report,
            table,
            file,
            "parquet-unreadable",
            f"cannot read the Parquet file ({exc}): run `indru-data build`",
        )
        return
    message = first_difference(csv_frame, pq_frame)
    if message:
        _whole_file(
            report,
            table,
            file,
            "parquet-stale",
            f"Parquet differs from the CSV ({message}): run `indru-data build`",
        )


def _whole_file(report: Report, table: Table, file: str, rule: str, message: str) -> None:
    """A failure of the Parquet file as a whole: no row, column or value to name."""
    fail(report, table.name, file, None, None, None, rule, message)


def _same_as_arrow(table: Table, typed: pd.DataFrame) -> bool:
    """True when the Parquet file holds exactly the CSV's typed table, as the build writes it.

    Compared as Arrow, column by column (types, nullability, dictionaries and values): no pandas
    copy of the file, no categoricals built from text, one vectorised call per column. False on
    any difference or doubt; the pandas comparison then finds and words the first difference.
    """
    import pyarrow.parquet as pq

    try:
        with pq.ParquetFile(table.parquet_path) as handle:
            return _columns_equal(handle, table, typed)
    except Exception:  # an unreadable or foreign file: the pandas route says what is wrong
        return False


def _columns_equal(handle: Any, table: Table, typed: pd.DataFrame) -> bool:
    # A large file one stored column at a time: reading the whole table first held a second
    # copy of the data beside the typed frame (peak memory 3.3x the frames at 5M rows,
    # docs/performance.md). A small one in one read: a read per column cost more than the data.
    import pyarrow as pa
    import pyarrow.compute as pc

    from indru_data.core.dtypes import arrow_schema
    from indru_data.core.tableio import THREADS_FROM_ROWS

    schema = arrow_schema(table)
    rows = handle.metadata.num_rows
    if not handle.schema_arrow.equals(schema) or rows != len(typed):
        return False
    threads = rows >= THREADS_FROM_ROWS
    whole = None if threads else handle.read(use_threads=False)
    for f, field in zip(schema, table.fields, strict=True):
        col = typed[f.name]
        if pa.types.is_dictionary(f.type):  # the vocabulary, in its order, as the build writes
            vocab = pa.array([str(v) for v in field.enum or []], pa.string())
            codes = pc.index_in(arrow_text(col), value_set=vocab)
            expected = pa.chunked_array(
                [pa.DictionaryArray.from_arrays(c, vocab) for c in codes.chunks], f.type
            )
        elif pa.types.is_date32(f.type):
            expected = pa.array(col, type=pa.timestamp("ms"), from_pandas=True).cast(f.type)
        elif pa.types.is_string(f.type):
            expected = arrow_text(col).cast(f.type)
        else:
            expected = pa.array(col, type=f.type, from_pandas=True)
        stored = (
            whole.column(f.name)
            if whole is not None
            else handle.read(columns=[f.name], use_threads=threads).column(0)
        )
        if not stored.equals(pa.chunked_array(expected)):
            return False
    return True


def first_difference(a: pd.DataFrame, b: pd.DataFrame) -> str | None:
    if list(a.columns) != list(b.columns):
        return f"columns {list(b.columns)} instead of {list(a.columns)}"
    if len(a) != len(b):
        return f"{len(b)} rows instead of {len(a)}"
    for col in a.columns:
        if a[col].dtype != b[col].dtype:
            return f"column {col!r} has dtype {b[col].dtype} instead of {a[col].dtype}"
        if a[col].equals(b[col]):
            continue  # vectorised; the cell-by-cell comparison below only to find the first
        left, right = a[col].astype(object), b[col].astype(object)
        same = (left == right) | (left.isna() & right.isna())
        same = same.fillna(False).astype(bool)
        if not same.all():
            i = int((~same).to_numpy().nonzero()[0][0])
            return f"row {i + 2} column {col!r}: {right.iloc[i]!r} instead of {left.iloc[i]!r}"
    return None
