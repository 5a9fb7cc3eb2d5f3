"""`indru-data export`: the tables as SQLite, Excel, JSON Lines, CSV or Parquet for other tools.

Every format is written to a temporary file and moved into place only when complete, so a
failed export never leaves a half-written database or workbook behind.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import tempfile
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from .descriptor import DataPackage, Table, packaged
from .load import load
from .tableio import write_atomic

FORMATS = ("sqlite", "xlsx", "jsonl", "csv", "parquet")
# A spreadsheet treats text starting with these as a formula; exported text must never run.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
SQL_TYPES = {"integer": "INTEGER", "year": "INTEGER", "number": "REAL", "boolean": "INTEGER"}


class ExportError(Exception):
    """The export could not be written; nothing was left behind."""


def _tables(package: DataPackage, names: Iterable[str] | None) -> list[Table]:
    chosen = list(names) if names else package.table_names
    return [package.table(n) for n in chosen]


def _frame(package: DataPackage, table: Table) -> pd.DataFrame:
    return load(table.name, package=None if package is packaged() else package.path)


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


def _sqlite_ddl(table: Table, present: set[str]) -> str:
    cols = []
    for f in table.fields:
        null = " NOT NULL" if f.required else ""
        cols.append(f'  "{f.name}" {SQL_TYPES.get(f.type, "TEXT")}{null}')
    if table.primary_key:
        cols.append("  PRIMARY KEY (" + ", ".join(f'"{k}"' for k in table.primary_key) + ")")
    for fk in table.foreign_keys:
        target = fk["reference"].get("resource") or table.name
        if target not in present:
            continue
        src = ", ".join(f'"{c}"' for c in fk["fields"])
        dst = ", ".join(f'"{c}"' for c in fk["reference"]["fields"])
        cols.append(f'  FOREIGN KEY ({src}) REFERENCES "{target}" ({dst})')
    return f'CREATE TABLE "{table.name}" (\n' + ",\n".join(cols) + "\n)"


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


def to_sqlite(package: DataPackage, tables: list[Table], path: Path) -> None:
    present = {t.name for t in tables}

    def write(tmp: Path) -> None:
        tmp.unlink(missing_ok=True)
        con = sqlite3.connect(tmp)
        try:
            con.execute("PRAGMA foreign_keys = ON")
            for table in _ordered(tables):
                con.execute(_sqlite_ddl(table, present))
                frame = _frame(package, table)
                marks = ", ".join("?" for _ in table.fields)
                rows = [tuple(_sql_value(v) for v in row) for row in frame.itertuples(index=False)]
                con.executemany(f'INSERT INTO "{table.name}" VALUES ({marks})', rows)
            con.commit()
        finally:
            con.close()

    write_atomic(path, write)


def neutralise(value: object) -> object:
    """Text a spreadsheet would read as a formula gets a leading apostrophe (shown, never run)."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def to_xlsx(package: DataPackage, tables: list[Table], path: Path) -> None:
    try:
        from openpyxl import Workbook
    except ImportError:
        raise ExportError("Excel export needs openpyxl: pip install 'indru-data[excel]'") from None
    from .load import fields as field_docs

    def write(tmp: Path) -> None:
        wb = Workbook()
        wb.remove(wb.active)
        for table in tables:
            frame = _frame(package, table)
            ws = wb.create_sheet(table.name[:31])
            ws.append(list(frame.columns))
            for row in frame.itertuples(index=False):
                ws.append([neutralise(_sql_value(v)) for v in row])
        ws = wb.create_sheet("codebook")
        ws.append(["table", "column", "type", "unit", "required", "allowed_values", "description"])
        for table in tables:
            doc = field_docs(table.name, None if package is packaged() else package.path)
            for r in doc.itertuples(index=False):
                ws.append([neutralise(_sql_value(v)) for v in (table.name, *r)])
        wb.save(tmp)

    write_atomic(path, write)


def _jsonable(v: object) -> object:
    v = _sql_value(v)
    return bool(v) if isinstance(v, bool) else v


def to_directory(package: DataPackage, tables: list[Table], path: Path, fmt: str) -> None:
    """One file per table (jsonl, csv or parquet) in a new directory, moved into place whole."""
    if path.exists() and any(path.iterdir()):
        raise ExportError(f"{path} exists and is not empty; choose a new directory")
    tmp = Path(
        tempfile.mkdtemp(prefix=f".{path.name}.", dir=path.parent if path.parent.exists() else None)
    )
    try:
        for table in tables:
            frame = _frame(package, table)
            target = tmp / f"{table.name}.{fmt}"
            if fmt == "jsonl":
                with target.open("w", encoding="utf-8") as out:
                    for rec in frame.to_dict("records"):
                        out.write(
                            json.dumps(
                                {k: _jsonable(v) for k, v in rec.items()}, ensure_ascii=False
                            )
                            + "\n"
                        )
            elif fmt == "csv":
                shutil.copyfile(table.path, target)
            else:
                shutil.copyfile(table.parquet_path, target)
        if path.exists():
            path.rmdir()
        shutil.move(str(tmp), str(path))
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def export(
    fmt: str,
    output: str | Path,
    *,
    tables: Iterable[str] | None = None,
    package: str | Path | None = None,
) -> Path:
    """Export tables (all by default) to `output`; returns the path written.

    sqlite and xlsx write one file; jsonl, csv and parquet write a directory with one file per
    table. The SQLite database declares primary and foreign keys (enable them with
    `PRAGMA foreign_keys = ON` when you modify it).
    """
    if fmt not in FORMATS:
        raise ExportError(f"unknown format {fmt!r}; valid formats: {', '.join(FORMATS)}")
    pkg = DataPackage(package) if package is not None else packaged()
    chosen = _tables(pkg, tables)
    out = Path(output)
    if not out.parent.exists():
        raise ExportError(f"directory {out.parent} does not exist")
    if fmt == "sqlite":
        to_sqlite(pkg, chosen, out)
    elif fmt == "xlsx":
        to_xlsx(pkg, chosen, out)
    else:
        to_directory(pkg, chosen, out, fmt)
    return out
