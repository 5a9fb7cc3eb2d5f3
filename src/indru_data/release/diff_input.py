"""The two sides of a diff, read for comparison: each table typed column by column, row keys.

A table that cannot be read whole still yields what can be compared; what cannot is noted
as a problem (see PackageDiff.problems) rather than raised.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from indru_data.core.descriptor import DataPackage, DescriptorError, Table
from indru_data.release.changes import KEY_SEPARATOR, cell_text


def row_keys(frame: pd.DataFrame, columns: list[str]) -> pd.Series:
    """Each row's primary key as text; parts of a compound key are joined by " | "."""
    parts = [[cell_text(v) or "" for v in frame[c].tolist()] for c in columns]
    keys = [KEY_SEPARATOR.join(p) for p in zip(*parts, strict=True)] if parts else []
    return pd.Series(keys, index=frame.index, dtype=object)


def _comparable(s: pd.Series) -> pd.Series:
    return s.astype(pd.StringDtype()) if isinstance(s.dtype, pd.CategoricalDtype) else s


def differs(a: pd.Series, b: pd.Series) -> np.ndarray:
    """Element-wise: do two aligned columns hold different values? Two missing values are equal.

    Columns of the same dtype are compared as values; otherwise (a retyped column, or a column
    left as text because it could not be typed) as the text the CSV would hold.
    """
    a, b = _comparable(a.reset_index(drop=True)), _comparable(b.reset_index(drop=True))
    if a.dtype == b.dtype:
        equal = (a == b).fillna(False).to_numpy(dtype=bool)
        both_missing = a.isna().to_numpy() & b.isna().to_numpy()
        return ~(equal | both_missing)
    return np.array(
        [cell_text(x) != cell_text(y) for x, y in zip(a.tolist(), b.tolist(), strict=True)],
        dtype=bool,
    )


# --- reading -----------------------------------------------------------------------------


def open_package(path: str | Path) -> DataPackage:
    """The data package at `path` (its datapackage.json or its folder), with its tables read."""
    from indru_data.core.releases import resolve_package

    pkg = DataPackage(resolve_package(path))
    try:
        pkg.tables  # noqa: B018  (reads every schema now, so a bad one fails here)
    except (KeyError, TypeError, AttributeError) as exc:
        raise DescriptorError(f"not a data package descriptor: {pkg.path} ({exc!r})") from None
    return pkg


@dataclass
class Problems:
    rows: list[dict[str, Any]]

    def add(
        self, table: str, package: str, problem: str, detail: str, key: str | None = None
    ) -> None:
        self.rows.append(
            {"table": table, "package": package, "key": key, "problem": problem, "detail": detail}
        )


# Tables read without a problem, by the bytes of the file read and the schema they were typed
# with: a process that diffs many packages against one release (the version check of every
# copy in the tests, a history walk) reads each release table once. Small files only.
_READ: dict[tuple[str, str, str], pd.DataFrame] = {}
MAX_READ_BYTES = 4 * 1024**2
MAX_READ_ENTRIES = 256


def _read_key(table: Table, path: Path) -> tuple[str, str, str] | None:
    """The file's kind and bytes and the schema's text, digested; None for a large file."""
    import hashlib
    import json

    try:
        if path.stat().st_size > MAX_READ_BYTES:
            return None
        data = path.read_bytes()
        schema = json.dumps(table.schema, sort_keys=True, allow_nan=True)
    except (OSError, TypeError, ValueError, RecursionError):
        return None
    digest = hashlib.blake2b(data, digest_size=16).hexdigest()
    return (path.suffix, digest, hashlib.blake2b(schema.encode(), digest_size=16).hexdigest())


def read_table(
    table: Table, side: str = "new", problems: Problems | None = None
) -> pd.DataFrame | None:
    """The table's CSV typed column by column; a column that cannot be typed stays text.

    Vocabulary columns stay text (not categorical) so that a value outside the vocabulary
    is compared as itself instead of becoming a missing value. What goes wrong is added to
    `problems`; None when the file cannot be read at all.
    """
    problems = problems if problems is not None else Problems([])
    parquet = _parquet_only(table)  # a release keeps Parquet, not CSV
    key = _read_key(table, table.parquet_path if parquet else table.path)
    if key is not None and key in _READ:
        return _READ[key].copy(deep=False)  # pandas copies on write: the kept one stays as read
    before = len(problems.rows)
    frame = _read_table(table, side, problems, parquet)
    if key is not None and frame is not None and len(problems.rows) == before:
        if len(_READ) >= MAX_READ_ENTRIES:
            _READ.clear()
        _READ[key] = frame.copy(deep=False)
    return frame


def _read_table(table: Table, side: str, problems: Problems, parquet: bool) -> pd.DataFrame | None:
    from indru_data.core.dtypes import coerce_column
    from indru_data.core.tableio import read_csv_text

    try:
        text = _parquet_text(table) if parquet else read_csv_text(table.path)
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        problems.add(table.name, side, "unreadable", f"cannot read {table.path}: {exc}")
        return None
    columns: dict[str, pd.Series] = {}
    for f in table.fields:
        if f.name not in text.columns:
            problems.add(
                table.name, side, "missing_column", f"{table.path} has no column {f.name!r}"
            )
            continue
        try:
            columns[f.name] = coerce_column(text[f.name], f, categorical=False)
        except (ValueError, TypeError) as exc:
            problems.add(
                table.name,
                side,
                "untyped_column",
                f"column {f.name!r} does not fit type {f.type!r} ({exc}); compared as text",
            )
            columns[f.name] = text[f.name]
    return pd.DataFrame(columns, index=pd.RangeIndex(len(text)))


def _parquet_only(table: Table) -> bool:
    """A release folder: Parquet files and no CSV at all (not one CSV gone missing)."""
    folder = table.path.parent
    return (
        not table.path.exists()
        and table.parquet_path.is_file()
        and not (folder.is_dir() and any(folder.glob("*.csv")))
    )


def _parquet_text(table: Table) -> pd.DataFrame:
    """A Parquet file as the CSV text it holds (numbers in their shortest exact form)."""
    import io

    from indru_data.core.tableio import read_csv_text, read_parquet, to_csv_text

    return read_csv_text(io.StringIO(to_csv_text(read_parquet(table), table)))  # type: ignore[arg-type]


def count_rows(table: Table, side: str, problems: Problems) -> int | None:
    frame = read_table(table, side, problems)
    return None if frame is None else len(frame)
