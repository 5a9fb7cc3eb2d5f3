"""`indru-data export`: the tables as SQLite, Excel, JSON Lines, CSV or Parquet for other tools.

One rule for every format:

- An existing target (file or folder) is refused unless `overwrite=True` (`--force`); a file
  format never replaces a folder, nor a folder format a file.
- Every format is written to a temporary file or folder beside the target and moved into
  place only when complete, so a failed or interrupted export leaves the previous target (or
  nothing) behind, never a half-written database or workbook, and no temporary file.
- Written files get the mode the umask gives, like any other tool's.
- Values are exported exactly. In the workbook, text that a spreadsheet would read as a
  formula (`=...`) is stored as a text cell, never as a formula, and not altered. The CSV
  files are the package's own, byte for byte; `spreadsheet_safe=True`
  (`--spreadsheet-safe`) instead prefixes such text cells with an apostrophe (the OWASP
  advice against CSV injection), which changes those values.
"""

from __future__ import annotations

import csv
import json
import shutil
import sqlite3
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from indru_data.core.descriptor import DataPackage, Table, packaged
from indru_data.core.files import WriteRefused, confined, write_atomic, write_directory_atomic
from indru_data.core.load import load

FORMATS = ("sqlite", "xlsx", "jsonl", "csv", "parquet")
# A spreadsheet treats text starting with these as a formula; exported text must never run.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
SQL_TYPES = {"integer": "INTEGER", "number": "REAL", "boolean": "INTEGER"}


class ExportError(Exception):
    """The export could not be written; nothing was left behind."""


def _tables(package: DataPackage, names: Iterable[str] | None) -> list[Table]:
    chosen = list(names) if names else package.table_names
    return [package.table(n) for n in chosen]


def _frame(package: DataPackage, table: Table) -> pd.DataFrame:
    return load(table.name, package=None if package is packaged() else package.path)


def _rows(package: DataPackage, table: Table, preferred_only: bool) -> pd.DataFrame:
    """The table's rows, or only its preferred ones (tables without the flag are whole)."""
    frame = _frame(package, table)
    if preferred_only and "preferred" in frame.columns:
        frame = frame[frame["preferred"].fillna(False).astype(bool)].reset_index(drop=True)
    return frame


def _ordered(tables: list[Table]) -> list[Table]:
    """Referenced tables first, so SQLite can enforce foreign keys while rows go in."""
    by_name = {t.name: t for t in tables}
    done: list[Table] = []

    def visit(t: Table, seen: frozenset[str] = frozenset()) -> None:
        if t in done or t.name in seen:
            return
        for fk in t.foreign_keys:
            target = by_name.get(fk["reference"].get("resource", t.name))
            if target is not None and target is not t:
                visit(target, seen | {t.name})
        done.append(t)

    for t in tables:
        visit(t)
    return done


def sql_name(name: str) -> str:
    """An SQL identifier quoted so that no name from a schema can end it (`"` is doubled)."""
    return '"' + str(name).replace('"', '""') + '"'


def _sqlite_ddl(table: Table, present: set[str]) -> str:
    cols = []
    for f in table.fields:
        null = " NOT NULL" if f.required else ""
        cols.append(f"  {sql_name(f.name)} {SQL_TYPES.get(f.type, 'TEXT')}{null}")
    if table.primary_key:
        cols.append("  PRIMARY KEY (" + ", ".join(map(sql_name, table.primary_key)) + ")")
    for fk in table.foreign_keys:
        target = fk["reference"].get("resource") or table.name
        if target not in present:
            continue
        src = ", ".join(map(sql_name, fk["fields"]))
        dst = ", ".join(map(sql_name, fk["reference"]["fields"]))
        cols.append(f"  FOREIGN KEY ({src}) REFERENCES {sql_name(target)} ({dst})")
    return f"CREATE TABLE {sql_name(table.name)} (\n" + ",\n".join(cols) + "\n)"


def _sql_value(v: object) -> object:
    if v is None or v is pd.NA or (isinstance(v, float) and pd.isna(v)) or v is pd.NaT:
        return None
    if isinstance(v, pd.Timestamp):
        return v.date().isoformat()
    if isinstance(v, bool):
        return int(v)
    if hasattr(v, "item"):
        return v.item()
    return v


def to_sqlite(
    package: DataPackage, tables: list[Table], path: Path, *, preferred_only: bool = False
) -> None:
    present = {t.name for t in tables}

    def write(tmp: Path) -> None:
        tmp.unlink(missing_ok=True)
        con = sqlite3.connect(tmp)
        try:
            con.execute("PRAGMA foreign_keys = ON")
            for table in _ordered(tables):
                con.execute(_sqlite_ddl(table, present))
                frame = _rows(package, table, preferred_only)
                marks = ", ".join("?" for _ in table.fields)
                rows = [tuple(_sql_value(v) for v in row) for row in frame.itertuples(index=False)]
                con.executemany(f"INSERT INTO {sql_name(table.name)} VALUES ({marks})", rows)
            con.commit()
        finally:
            con.close()

    write_atomic(path, write, inside=path.parent)


def is_formula_like(value: object) -> bool:
    """Text that a spreadsheet would read as a formula when it opens a CSV file."""
    return isinstance(value, str) and value.startswith(FORMULA_PREFIXES)


def neutralise(value: object) -> object:
    """Formula-like text gets a leading apostrophe (the CSV `spreadsheet_safe` mode)."""
    return "'" + value if is_formula_like(value) else value  # type: ignore[operator]


def _append(ws, values: list[object]) -> None:  # type: ignore[no-untyped-def]
    """Append a row; text is always a text cell, so `=cmd|...` is kept as it is and never runs.

    openpyxl turns a string starting with "=" into a formula; the cell is set back to a
    string, and marked with Excel's quote prefix so that editing it keeps it text. The cells
    are made here and appended, not looked up after appending: `ws[ws.max_row]` scans every
    cell of the sheet, which made a sheet's rows quadratic to write.
    """
    from openpyxl.cell.cell import Cell

    cells = []
    for value in values:
        cell = Cell(ws, value=value)
        if isinstance(cell.value, str) and cell.data_type != "s":
            cell.data_type = "s"
        if is_formula_like(cell.value):
            cell.quotePrefix = True
        cells.append(cell)
    ws.append(cells)


def to_xlsx(
    package: DataPackage, tables: list[Table], path: Path, *, preferred_only: bool = False
) -> None:
    try:
        from openpyxl import Workbook
    except ImportError:
        raise ExportError(
            "Excel export needs openpyxl: pip install 'openpyxl>=3.1' (the package's 'excel' extra)"
        ) from None
    from indru_data.core.load import fields as field_docs

    def write(tmp: Path) -> None:
        wb = Workbook()
        wb.remove(wb.active)
        for table in tables:
            frame = _rows(package, table, preferred_only)
            ws = wb.create_sheet(table.name[:31])
            _append(ws, list(frame.columns))
            for row in frame.itertuples(index=False):
                _append(ws, [_sql_value(v) for v in row])
        ws = wb.create_sheet("codebook")
        _append(
            ws, ["table", "column", "type", "unit", "required", "allowed_values", "description"]
        )
        for table in tables:
            doc = field_docs(table.name, None if package is packaged() else package.path)
            for r in doc.itertuples(index=False):
                _append(ws, [_sql_value(v) for v in (table.name, *r)])
        wb.save(tmp)

    write_atomic(path, write, inside=path.parent)


def _jsonable(v: object) -> object:
    v = _sql_value(v)
    return bool(v) if isinstance(v, bool) else v


def _safe_csv(source: Path, target: Path, table: Table) -> None:
    """The CSV with formula-like text cells prefixed by an apostrophe (numbers untouched)."""
    text_columns = {f.name for f in table.fields if f.type == "string"}
    with source.open(newline="", encoding="utf-8") as src:
        rows = list(csv.reader(src))
    header = rows[0] if rows else []
    chosen = [i for i, name in enumerate(header) if name in text_columns]
    with target.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(header)
        for row in rows[1:]:
            for i in chosen:
                if i < len(row):
                    row[i] = neutralise(row[i])  # type: ignore[call-overload]
            writer.writerow(row)


def to_directory(
    package: DataPackage,
    tables: list[Table],
    path: Path,
    fmt: str,
    *,
    spreadsheet_safe: bool = False,
    preferred_only: bool = False,
) -> None:
    """One file per table (jsonl, csv or parquet) in a folder, moved into place whole."""

    def fill(tmp: Path) -> None:
        for table in tables:
            target = tmp / f"{table.name}.{fmt}"
            if fmt == "jsonl":
                frame = _rows(package, table, preferred_only)
                with target.open("w", encoding="utf-8") as out:
                    for rec in frame.to_dict("records"):
                        record = {k: _jsonable(v) for k, v in rec.items()}
                        out.write(json.dumps(record, ensure_ascii=False) + "\n")
            elif fmt == "csv" and spreadsheet_safe:
                _safe_csv(table.path, target, table)
            elif fmt == "csv":
                shutil.copyfile(table.path, target)
            else:
                shutil.copyfile(table.parquet_path, target)

    write_directory_atomic(path, fill, inside=path.parent)


FILE_FORMATS = ("sqlite", "xlsx")


def _check_target(out: Path, fmt: str, overwrite: bool) -> None:
    """The one overwrite rule, checked before anything is read or written."""
    import os

    parent = out.parent
    if not parent.is_dir():
        raise ExportError(f"directory {parent} does not exist")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise ExportError(f"cannot write in {parent}: permission denied")
    try:  # a target that is a symlink to another place is not followed (nor replaced)
        confined(out, parent)
    except WriteRefused as exc:
        raise ExportError(str(exc)) from None
    if not (out.exists() or out.is_symlink()):
        return
    if fmt in FILE_FORMATS and out.is_dir():
        raise ExportError(f"{out} is a directory; {fmt} is written to a file")
    if fmt not in FILE_FORMATS and not out.is_dir():
        raise ExportError(f"{out} exists and is not a directory; {fmt} is written to a directory")
    if not overwrite:
        raise ExportError(f"{out} already exists; use --force (overwrite=True) to replace it")


def export(
    fmt: str,
    output: str | Path,
    *,
    tables: Iterable[str] | None = None,
    package: str | Path | None = None,
    overwrite: bool = False,
    spreadsheet_safe: bool = False,
    preferred_only: bool = False,
) -> Path:
    """Export tables (all by default) to `output`; returns the path written.

    sqlite and xlsx write one file; jsonl, csv and parquet write a directory with one file per
    table. An existing target is refused unless `overwrite=True`. The SQLite database declares
    primary and foreign keys (enable them with `PRAGMA foreign_keys = ON` when you modify it).
    `spreadsheet_safe=True` (csv only) prefixes formula-like text with an apostrophe.
    `preferred_only=True` keeps one row per observation (see `load(preferred_only=True)`).
    Raises ExportError, with nothing written, for every problem with the target or the package.
    """
    if fmt not in FORMATS:
        raise ExportError(f"unknown format {fmt!r}; valid formats: {', '.join(FORMATS)}")
    if spreadsheet_safe and fmt != "csv":
        raise ExportError("spreadsheet_safe applies to the csv format only")
    out = Path(output)
    _check_target(out, fmt, overwrite)
    try:
        pkg = DataPackage(package) if package is not None else packaged()
        chosen = _tables(pkg, tables)
        stale = pkg.edited_since_build([t.name for t in chosen])
        if stale:
            # CSV exports copy the edited file, the others read the Parquet copy built before
            # the edit: one export would mix two states of the data.
            raise ExportError(
                f"{', '.join(stale)}: the CSV changed since the last `indru-data build` (its "
                f"hash differs from {pkg.path.name}'s); run `indru-data build "
                f"{pkg.path}` first, then export"
            )
        if fmt == "sqlite":
            to_sqlite(pkg, chosen, out, preferred_only=preferred_only)
        elif fmt == "xlsx":
            to_xlsx(pkg, chosen, out, preferred_only=preferred_only)
        else:
            to_directory(
                pkg,
                chosen,
                out,
                fmt,
                spreadsheet_safe=spreadsheet_safe,
                preferred_only=preferred_only,
            )
    except PermissionError as exc:
        raise ExportError(f"permission denied: {exc.filename or exc}") from None
    except IsADirectoryError as exc:
        raise ExportError(f"{exc.filename or out} is a directory") from None
    except FileNotFoundError as exc:
        raise ExportError(f"file not found: {exc.filename or exc}") from None
    except OSError as exc:  # a read-only file system, a full disk, ...
        raise ExportError(f"cannot export to {out}: {exc.strerror or exc}") from None
    return out
