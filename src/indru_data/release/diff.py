"""What changed between two data packages: schema changes and row changes keyed by primary key.

    >>> d = diff("0.1.0", "0.2.0")  # two releases by number, or two paths
    >>> d.summary  # per table: rows old/new, added, removed, changed, cells, schema changes
    >>> d.rows  # table, key, change (added/removed/changed), column, old, new
    >>> d.schema  # table, change, column, old, new
    >>> print(d.to_markdown())  # the data section of a CHANGELOG entry

Rows are matched by the primary key (the new one when the key changed and the old package has
its columns, else the old one). A column that disappears while one of the same type appears
with the same values in every matched row is reported as renamed. Vocabulary columns are
compared as text, so a value that left the vocabulary is not silently read as missing.
Problems that stop a full comparison (duplicate keys, cells that do not fit their type, a
missing file) are listed in `.problems`; the rest is still compared.

Only pandas is imported here (no pandera, no frictionless).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from indru_data.core.descriptor import Field, Table
from indru_data.core.dtypes import same_frame
from indru_data.release.changes import (
    COLUMN_ADDED,
    COLUMN_REMOVED,
    COLUMN_RENAMED,
    COLUMN_RETYPED,
    COUNT_COLUMNS,
    PRIMARY_KEY_CHANGED,
    PROBLEM_COLUMNS,
    ROW_ADDED,
    ROW_CHANGED,
    ROW_COLUMNS,
    ROW_REMOVED,
    SCHEMA_COLUMNS,
    SUMMARY_COLUMNS,
    TABLE_ADDED,
    TABLE_REMOVED,
    UNIT_CHANGED,
    VOCABULARY_ADDED,
    VOCABULARY_REMOVED,
    PackageDiff,
    Side,
    plain,
)
from indru_data.release.diff_input import (
    Problems,
    count_rows,
    differs,
    open_package,
    read_table,
    row_keys,
)

# --- comparing ---------------------------------------------------------------------------


def _signature(f: Field) -> str:
    return f"{f.type} (vocabulary)" if f.enum is not None else f.type


@dataclass
class _Result:
    rows: list[dict[str, Any]]
    schema: list[dict[str, Any]]
    problems: Problems
    summary: list[dict[str, Any]]

    def schema_change(
        self, table: str, change: str, column: str | None = None, old: Any = None, new: Any = None
    ) -> None:
        self.schema.append(
            {"table": table, "change": change, "column": column, "old": old, "new": new}
        )


def _schema_changes(old: Table, new: Table, result: _Result) -> None:
    """Column types, units and vocabularies of the columns both tables have; primary key."""
    old_fields = {f.name: f for f in old.fields}
    for f in new.fields:
        o = old_fields.get(f.name)
        if o is None:
            continue
        if _signature(o) != _signature(f):
            result.schema_change(new.name, COLUMN_RETYPED, f.name, _signature(o), _signature(f))
        if o.unit != f.unit:
            result.schema_change(new.name, UNIT_CHANGED, f.name, o.unit, f.unit)
        if o.enum is not None and f.enum is not None:
            before, after = [str(v) for v in o.enum], [str(v) for v in f.enum]
            for v in after:
                if v not in before:
                    result.schema_change(new.name, VOCABULARY_ADDED, f.name, None, v)
            for v in before:
                if v not in after:
                    result.schema_change(new.name, VOCABULARY_REMOVED, f.name, v, None)
    if old.primary_key != new.primary_key:
        result.schema_change(
            new.name,
            PRIMARY_KEY_CHANGED,
            None,
            ", ".join(old.primary_key),
            ", ".join(new.primary_key),
        )


def _duplicates(keys: pd.Series, table: str, side: str, problems: Problems) -> set[str]:
    counts = keys.value_counts(sort=False)
    dup = counts[counts > 1]
    for key, n in dup.items():
        problems.add(
            table, side, "duplicate_key", f"{n} rows share this key; they are not compared", key
        )
    return set(dup.index)


def _renames(
    removed: list[Field],
    added: list[Field],
    o: pd.DataFrame,
    n: pd.DataFrame,
    common: list[str],
) -> list[tuple[str, str]]:
    """Pairs (old name, new name): same type, unit and vocabulary, equal in every matched row."""
    pairs: list[tuple[str, str]] = []
    taken: set[str] = set()
    if not common:
        return pairs
    for r in removed:
        if r.name not in o.columns:
            continue
        for a in added:
            if a.name in taken or a.name not in n.columns:
                continue
            same_kind = (_signature(r), r.unit, r.enum) == (_signature(a), a.unit, a.enum)
            if same_kind and not differs(o.loc[common, r.name], n.loc[common, a.name]).any():
                pairs.append((r.name, a.name))
                taken.add(a.name)
                break
    return pairs


def _diff_table(old: Table, new: Table, result: _Result) -> None:
    name = new.name
    n_schema = len(result.schema)
    n_problems = len(result.problems.rows)
    _schema_changes(old, new, result)
    old_names, new_names = set(old.field_names), set(new.field_names)
    removed = [f for f in old.fields if f.name not in new_names]
    added = [f for f in new.fields if f.name not in old_names]

    o = read_table(old, "old", result.problems)
    n = read_table(new, "new", result.problems)
    counts: dict[str, Any] = {
        "rows_old": None if o is None else len(o),
        "rows_new": None if n is None else len(n),
    }
    renames: list[tuple[str, str]] = []
    row_records: list[dict[str, Any]] = []
    key_cols = _key_columns(old, new, o, n)
    if o is not None and n is not None and key_cols is None:
        result.problems.add(
            name, "both", "not_compared", "no primary key whose columns both packages have"
        )
    if o is not None and n is not None and key_cols is not None:
        ko, kn = row_keys(o, key_cols), row_keys(n, key_cols)
        skip = _duplicates(ko, name, "old", result.problems)
        skip |= _duplicates(kn, name, "new", result.problems)
        o = o[~ko.isin(skip)].set_axis(ko[~ko.isin(skip)].to_numpy())
        n = n[~kn.isin(skip)].set_axis(kn[~kn.isin(skip)].to_numpy())
        old_keys, new_keys = set(o.index), set(n.index)
        common = [k for k in n.index if k in old_keys]
        renames = _renames(removed, added, o, n, common)
        for k in n.index:
            if k not in old_keys:
                row_records.append(_row(name, k, ROW_ADDED))
        for k in o.index:
            if k not in new_keys:
                row_records.append(_row(name, k, ROW_REMOVED))
        pairs = [(c, c) for c in new.field_names if c in old_names] + renames
        if not same_frame(o, n):  # most tables of a release are unchanged: nothing to compare
            row_records += _changed_cells(name, o, n, common, pairs, key_cols)

    renamed_old = {r for r, _ in renames}
    renamed_new = {a for _, a in renames}
    for f in removed:
        if f.name not in renamed_old:
            result.schema_change(name, COLUMN_REMOVED, f.name, _signature(f), None)
    for r, a in renames:
        result.schema_change(name, COLUMN_RENAMED, a, r, a)
    for f in added:
        if f.name not in renamed_new:
            result.schema_change(name, COLUMN_ADDED, f.name, None, _signature(f))
    result.rows += row_records

    changed = [r for r in row_records if r["change"] == ROW_CHANGED]
    counts.update(
        rows_added=sum(r["change"] == ROW_ADDED for r in row_records),
        rows_removed=sum(r["change"] == ROW_REMOVED for r in row_records),
        rows_changed=len({r["key"] for r in changed}),
        cells_changed=len(changed),
    )
    _summarise(result, name, "changed", counts, n_schema, n_problems)


def _key_columns(
    old: Table, new: Table, o: pd.DataFrame | None, n: pd.DataFrame | None
) -> list[str] | None:
    if o is None or n is None:
        return None
    for key in (new.primary_key, old.primary_key):
        if key and all(c in o.columns and c in n.columns for c in key):
            return key
    return None


def _row(
    table: str, key: str, change: str, column: str | None = None, old: Any = None, new: Any = None
) -> dict[str, Any]:
    return {"table": table, "key": key, "change": change, "column": column, "old": old, "new": new}


def _changed_cells(
    table: str,
    o: pd.DataFrame,
    n: pd.DataFrame,
    common: list[str],
    pairs: list[tuple[str, str]],
    key_cols: list[str],
) -> list[dict[str, Any]]:
    """One record per cell that differs, in row order of the new file, then column order."""
    if not common:
        return []
    position = {k: i for i, k in enumerate(common)}
    order = {new: i for i, (_, new) in enumerate(pairs)}
    cells: list[dict[str, Any]] = []
    for old_col, new_col in pairs:
        if new_col in key_cols or old_col not in o.columns or new_col not in n.columns:
            continue
        a, b = o.loc[common, old_col], n.loc[common, new_col]
        mask = differs(a, b)
        if not mask.any():
            continue
        for key, x, y in zip(
            np.asarray(common, dtype=object)[mask],
            a[mask].tolist(),
            b[mask].tolist(),
            strict=True,
        ):
            cells.append(_row(table, key, ROW_CHANGED, new_col, plain(x), plain(y)))
    cells.sort(key=lambda r: (position[r["key"]], order[r["column"]]))
    return cells


def _summarise(
    result: _Result,
    table: str,
    status: str,
    counts: dict[str, Any],
    n_schema: int,
    n_problems: int,
) -> None:
    row = {"table": table, "status": status, **dict.fromkeys(COUNT_COLUMNS, 0), **counts}
    row["schema_changes"] = len(result.schema) - n_schema
    row["problems"] = len(result.problems.rows) - n_problems
    has_rows = any(row[c] for c in ("rows_added", "rows_removed", "rows_changed"))
    if status == "changed" and not (has_rows or row["schema_changes"]):
        row["status"] = "unchanged"
    result.summary.append(row)


def _frame(records: list[dict[str, Any]], columns: list[str], text: list[str]) -> pd.DataFrame:
    frame = pd.DataFrame.from_records(records, columns=columns)
    frame = frame.astype({c: pd.StringDtype() for c in text})
    for c in columns:
        if c not in text:
            frame[c] = frame[c].astype(object).where(frame[c].notna(), None)
    return frame


def diff(
    old: str | Path,
    new: str | Path,
    *,
    tables: list[str] | None = None,
) -> PackageDiff:
    """Compare two data packages (each a datapackage.json, the folder holding it, or a version
    number such as "0.1.0": a release kept in the package, or the current version).

    `tables` restricts the comparison to those table names. Raises DescriptorError when a
    package cannot be found or read; everything else that goes wrong is in `.problems`.
    """
    old_pkg, new_pkg = open_package(old), open_package(new)
    olds, news = old_pkg.tables, new_pkg.tables
    names = list(news) + [t for t in olds if t not in news]
    if tables is not None:
        names = [t for t in names if t in tables]
    result = _Result([], [], Problems([]), [])
    for name in names:
        n_schema, n_problems = len(result.schema), len(result.problems.rows)
        if name not in olds:
            result.schema_change(name, TABLE_ADDED)
            rows = count_rows(news[name], "new", result.problems)
            counts = {"rows_new": rows, "rows_added": rows}
            _summarise(result, name, "added", counts, n_schema, n_problems)
        elif name not in news:
            result.schema_change(name, TABLE_REMOVED)
            rows = count_rows(olds[name], "old", result.problems)
            counts = {"rows_old": rows, "rows_removed": rows}
            _summarise(result, name, "removed", counts, n_schema, n_problems)
        else:
            _diff_table(olds[name], news[name], result)
    summary = pd.DataFrame.from_records(result.summary, columns=SUMMARY_COLUMNS)
    summary = summary.astype(
        {"table": pd.StringDtype(), "status": pd.StringDtype()}
        | dict.fromkeys(COUNT_COLUMNS, pd.Int64Dtype())
    )
    return PackageDiff(
        old=Side(old_pkg.path, old_pkg.version),
        new=Side(new_pkg.path, new_pkg.version),
        rows=_frame(result.rows, ROW_COLUMNS, ["table", "key", "change", "column"]),
        schema=_frame(result.schema, SCHEMA_COLUMNS, ["table", "change", "column"]),
        problems=_frame(result.problems.rows, PROBLEM_COLUMNS, PROBLEM_COLUMNS),
        summary=summary,
    )
