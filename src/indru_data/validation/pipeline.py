"""The validation pipeline: one process, one pass, the stages in this order.

0. descriptor: Frictionless checks datapackage.json and its schema files against the Data
   Package profile (structure.py), once, before any data is read; a descriptor that fails
   stops validation there.
1. read files: each CSV's bytes (files.py): missing, too large, binary, not UTF-8, a
   byte-order mark, a carriage return, a cut-off last line. A file no parser may see stops
   here; the others go on.
2. structure: the header, each row's cell count, blank rows, the recorded hash and size
   (structure.py). Arrow reads each file it can vouch for (arrow_reader.py); the csv module
   walks any other and names what is wrong.
3. types: each cell typed as its field says; a cell that does not fit, or is not written in
   its type's canonical form, is named (cell_types.py, cells.py).
4. Pandera: the table's Pandera model: required, unique, enum, pattern, length, range
   (pandera_checks.py, pandera_model.py).
5. row rules: the table's x-checks and its primary key, one failure per failing row
   (row_rules.py).
6. cross-table: foreign keys, key lists, child counts, preferred rows, every source cited
   (cross_table.py).
7. Parquet agreement: each built Parquet file holds exactly its CSV's rows
   (parquet_agreement.py); only when no earlier stage found a failure in a row.

Stages 3 to 5 look at one table at a time; each table passes through them once. Every failure
goes into one Report (report.py), which names each cell once, from the first stage that saw it.
"""

from __future__ import annotations

import time
from pathlib import Path

import pandas as pd

from indru_data.core.descriptor import DataPackage, DescriptorError, Table, packaged
from indru_data.core.tableio import read_csv_text
from indru_data.validation import (
    arrow_reader,
    cell_types,
    cross_table,
    files,
    pandera_checks,
    parquet_agreement,
    row_rules,
    structure,
)
from indru_data.validation.report import Failure, Report, ValidationError
from indru_data.validation.row_rules import RuleError, build_rules


def validate(
    package: str | Path | None = None,
    *,
    check_parquet: bool = True,
    raise_on_error: bool = False,
) -> Report:
    """Validate a data package: the shipped one, or the datapackage.json at `package`.

    Returns a Report; with `raise_on_error=True` raises ValidationError when it is not valid.
    """
    try:
        pkg = DataPackage(package) if package is not None else packaged()
    except DescriptorError as exc:
        report = Report(str(package))
        report.add(Failure("package", None, str(package), None, None, None, "descriptor", str(exc)))
        return _finish(report, raise_on_error)
    report = Report(str(pkg.path))
    try:
        tables = pkg.tables  # refuses unsafe paths and unknown types before anything is read
    except DescriptorError as exc:
        report.add(
            Failure("package", None, pkg.path.name, None, None, None, "descriptor", str(exc))
        )
        return _finish(report, raise_on_error)
    _stages(pkg, tables, report, check_parquet)
    return _finish(report, raise_on_error)


def _stages(
    pkg: DataPackage, tables: dict[str, Table], report: Report, check_parquet: bool
) -> None:
    t0 = time.perf_counter()
    # 0. descriptor
    valid_descriptor = structure.add_descriptor_errors(pkg, report)
    report.seconds["descriptor"] = time.perf_counter() - t0
    if not valid_descriptor:
        return
    t0 = time.perf_counter()
    # 1. read files
    resources = {r.get("name"): r for r in pkg.descriptor.get("resources", [])}
    scans = {
        t.name: files.scan(
            t,
            _rel(t.path, pkg.root),
            report,
            arrow_reader.hash_algorithm(resources.get(t.name, {})),
        )
        for t in tables.values()
    }
    # 2. structure
    texts = structure.run(pkg, report, scans)
    t1 = time.perf_counter()
    report.seconds["structure"] = t1 - t0

    # 3-5. types, Pandera, row rules: one table at a time
    frames: dict[str, pd.DataFrame] = {}
    for table in tables.values():
        if scans[table.name].readable:
            typed = _table(table, _rel(table.path, pkg.root), texts, pkg.root, report)
            if typed is not None:
                frames[table.name] = typed
    t2 = time.perf_counter()
    report.seconds["tables"] = t2 - t1

    # 6. cross-table
    for table in tables.values():
        if table.name in frames:
            cross_table.table_rules(
                table, frames[table.name], frames, report, _rel(table.path, pkg.root)
            )
    if len(frames) == len(tables):  # which sources are cited is unknown while a table is unread
        cross_table.sources_used(pkg, frames, report)
    t3 = time.perf_counter()
    report.seconds["cross-table"] = t3 - t2

    # 7. Parquet agreement
    if check_parquet and len(frames) == len(tables) and not _has_row_failures(report):
        for table in tables.values():
            parquet_agreement.parquet_agrees(pkg, table, frames[table.name], report)
    report.seconds["parquet"] = time.perf_counter() - t3


def _table(
    table: Table,
    file: str,
    texts: dict[str, pd.DataFrame],
    root: Path,
    report: Report,
) -> pd.DataFrame | None:
    """Stages 3 to 5 on one table; the typed frame, or None when it could not be read or its
    rules not built."""
    try:
        text = texts.pop(table.name) if table.name in texts else read_csv_text(table.path)
    except (OSError, ValueError, UnicodeDecodeError, pd.errors.ParserError) as exc:
        report.fail("pandera", table.name, file, "unreadable", f"cannot read the CSV: {exc}")
        return None
    report.rows_checked.setdefault(table.name, len(text))
    if not _rules_usable(table, root, report):
        return None
    typed = cell_types.typed_frame(text, table, report, file, consume=True)
    del text
    pandera_checks.check_frame(typed, table, report, file)
    row_rules.check_rows(typed, table, report, file)
    return typed


def validate_frame(
    df: pd.DataFrame, table: str, *, package: str | Path | None = None
) -> pd.DataFrame:
    """Check a DataFrame (e.g. a modified copy of a table) against a table's rules.

    Foreign keys are checked against the package's other tables. Returns the frame typed as
    `load()` types it; raises ValidationError listing every failure otherwise.
    """
    from indru_data.core.dtypes import coerce_frame
    from indru_data.core.tableio import read_csv

    pkg = DataPackage(package) if package is not None else packaged()
    spec = pkg.table(table)
    report = Report(f"DataFrame checked as {table!r}")
    text = df.reset_index(drop=True).astype(object).where(df.reset_index(drop=True).notna(), None)
    typed = cell_types.typed_frame(text, spec, report, None)
    pandera_checks.check_frame(typed, spec, report, None)
    row_rules.check_rows(typed, spec, report, None)
    frames = {name: read_csv(t) for name, t in pkg.tables.items() if name != table}
    frames[table] = typed
    cross_table.table_rules(spec, typed, frames, report, None)
    report.rows_checked[table] = len(df)
    if not report.valid:
        raise ValidationError(report)
    return coerce_frame(typed, spec)


def _rules_usable(table: Table, root: Path, report: Report) -> bool:
    """Refuse a table whose x-checks cannot be read as rules (a hostile or mistyped schema)."""
    try:
        build_rules(table.checks, table.field_types)
    except RuleError as exc:
        file = _rel(table.schema_path, root)
        message = f"table {table.name!r}, {file}: {exc}"
        report.add(Failure("package", table.name, file, None, None, None, "x-checks", message))
        return False
    return True


def _has_row_failures(report: Report) -> bool:
    # A foreign key counts too: Frictionless reports it among the rows' errors.
    return any(
        f.stage in ("file", "structure", "pandera", "frictionless", "package")
        or f.rule == "foreign-key"
        for f in report.failures
    )


def _finish(report: Report, raise_on_error: bool) -> Report:
    if raise_on_error and not report.valid:
        raise ValidationError(report)
    return report


def _rel(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root))
    except ValueError:
        return str(path)
