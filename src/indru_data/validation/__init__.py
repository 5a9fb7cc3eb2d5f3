"""Validation of a data package: Frictionless, then Pandera, then cross-table rules.

This subpackage imports pandera and frictionless; nothing outside it does, so `import indru_data`
and `load()` stay cheap.
"""

from __future__ import annotations

import copy
import time
from pathlib import Path
from typing import Any

import pandas as pd

from indru_data.core.descriptor import DataPackage, DescriptorError, Table, packaged
from indru_data.core.tableio import read_csv_text
from indru_data.validation import (
    arrow_stage,
    crosstable,
    descriptor_check,
    file_stage,
    frictionless_stage,
    memo,
    pandera_stage,
    parquet_check,
    typing_stage,
)
from indru_data.validation.report import Failure, Report, ValidationError
from indru_data.validation.rules import RuleError, build_rules

__all__ = ["Failure", "Report", "ValidationError", "validate", "validate_frame"]

ENGINES = ("auto", "reference")


def validate(
    package: str | Path | None = None,
    *,
    check_parquet: bool = True,
    raise_on_error: bool = False,
    engine: str = "auto",
) -> Report:
    """Validate a data package: the shipped one, or the datapackage.json at `package`.

    Returns a Report; with `raise_on_error=True` raises ValidationError when it is not valid.
    `engine="reference"` has Frictionless read every file's structure row by row; the default
    ("auto") reads the files it can vouch for with Arrow instead (validation/arrow_stage.py), with
    the same failures at the same places (tests/test_differential.py).
    """
    if engine not in ENGINES:
        raise ValueError(f"engine must be one of {', '.join(ENGINES)}, not {engine!r}")
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

    # A child started by the CLI may be checking the descriptor (descriptor_check.py): its
    # answer is asked for last, and a descriptor it finds invalid is validated afresh.
    deferred = engine == "auto" and descriptor_check.pending(pkg.descriptor, pkg.root)
    try:
        report = _validate(
            pkg, tables, report, check_parquet=check_parquet, engine=engine, deferred=deferred
        )
    except frictionless_stage.VerdictNeeded:
        return validate(
            package, check_parquet=check_parquet, raise_on_error=raise_on_error, engine=engine
        )
    if deferred and descriptor_check.pending(pkg.descriptor, pkg.root):
        t = time.perf_counter()
        found = descriptor_check.errors(copy.deepcopy(pkg.descriptor), pkg.root)
        report.seconds["frictionless"] += time.perf_counter() - t
        if found:
            descriptor_check.remember(pkg.descriptor, pkg.root, found)
            return validate(
                package, check_parquet=check_parquet, raise_on_error=raise_on_error, engine=engine
            )
    return _finish(report, raise_on_error)


def _validate(
    pkg: DataPackage,
    tables: dict[str, Table],
    report: Report,
    *,
    check_parquet: bool,
    engine: str,
    deferred: bool,
) -> Report:
    """The stages, in order, on a descriptor whose tables our guards accepted."""
    t0 = time.perf_counter()
    resources = {r.get("name"): r for r in pkg.descriptor.get("resources", [])}
    scans = {
        t.name: file_stage.scan(
            t,
            _rel(t.path, pkg.root),
            report,
            arrow_stage.hash_algorithm(resources.get(t.name, {})) if engine == "auto" else None,
        )
        for t in tables.values()
    }
    readable = {name for name, scan in scans.items() if scan.readable}
    # Frictionless checks structure only when the later stages can check every cell as it
    # would; it does not run on a package whose files could not be read at all.
    structural, fast = (
        frictionless_stage.run(pkg, report, scans if engine == "auto" else None, deferred=deferred)
        if len(readable) == len(tables)
        else (False, {})
    )
    t1 = time.perf_counter()
    report.seconds["frictionless"] = t1 - t0

    frames: dict[str, pd.DataFrame] = {}
    keys: dict[str, tuple[Any, ...] | None] = {}
    for table in tables.values():
        if table.name not in readable:
            continue
        file = _rel(table.path, pkg.root)
        keys[table.name] = key = memo.table_key(
            engine=engine,
            structural=structural,
            name=table.name,
            file=file,
            schema=table.schema,
            resource=resources.get(table.name, {}),
            digest=scans[table.name].memo_digest,
        )
        known = memo.get(key)
        if known is not None:  # the same table, checked before in this process: replay it
            fast.pop(table.name, None)
            for failure in known.failures:
                report.add(failure)
            if known.rows is not None:
                report.rows_checked.setdefault(table.name, known.rows)
            if known.frame is not None:  # a new object: a later stage cannot alter the kept one
                frames[table.name] = known.frame.copy(deep=False)
            continue
        with report.recording(limit=memo.MAX_FAILURES + 1) as taken:
            typed, rows = _table_local(
                table, file, fast, structural, pkg.root, report, scans[table.name].size
            )
        if typed is not None:
            frames[table.name] = typed
        memo.put(key, memo.Entry(tuple(taken), rows, typed, scans[table.name].size))
    t2 = time.perf_counter()
    report.seconds["pandera"] = t2 - t1

    for table in pkg.tables.values():
        if table.name not in frames:
            continue
        file = _rel(table.path, pkg.root)
        crosstable.table_rules(table, frames[table.name], frames, report, file)
    if len(frames) == len(tables):  # which sources are cited is unknown while a table is unread
        crosstable.sources_used(pkg, frames, report)
    if check_parquet and not _has_row_failures(report) and len(readable) == len(tables):
        for table in pkg.tables.values():
            if table.name in frames:
                key = memo.parquet_key(keys.get(table.name), table.parquet_path)
                if memo.parquet_agreed(key):
                    continue
                before = report.failure_count
                parquet_check.parquet_agrees(pkg, table, frames[table.name], report)
                if report.failure_count == before:
                    memo.parquet_agrees(key)
    report.seconds["cross-table"] = time.perf_counter() - t2
    return report


def _table_local(
    table: Table,
    file: str,
    fast: dict[str, pd.DataFrame],
    structural: bool,
    root: Path,
    report: Report,
    size: int | None = None,
) -> tuple[pd.DataFrame | None, int | None]:
    """The stages that look at one table only: its cells typed, its Pandera model, its rules.

    Returns the typed frame (None when the CSV could not be read or its rules not built) and
    the rows read.
    """
    try:
        text = fast.pop(table.name) if table.name in fast else read_csv_text(table.path)
    except (OSError, ValueError, UnicodeDecodeError, pd.errors.ParserError) as exc:
        report.fail("pandera", table.name, file, "unreadable", f"cannot read the CSV: {exc}")
        return None, None
    rows = len(text)
    report.rows_checked.setdefault(table.name, rows)
    if not _rules_usable(table, root, report):
        return None, rows
    typed = typing_stage.typed_frame(
        text, table, report, file, frictionless_cells=structural, consume=True
    )
    del text
    # The same frame checked before (by the other engine, say): its failures are replayed.
    key = memo.checked_key(table.name, file, table.schema, size)
    known = memo.checked(key, typed)
    if known is not None:
        for failure in known:
            report.add(failure)
        return typed, rows
    with report.recording(limit=memo.MAX_FAILURES + 1) as taken:
        pandera_stage.check_frame(typed, table, report, file)
    memo.check_done(key, typed, tuple(taken), size or 0)
    return typed, rows


def validate_frame(
    df: pd.DataFrame, table: str, *, package: str | Path | None = None
) -> pd.DataFrame:
    """Check a DataFrame (e.g. a modified copy of a table) against a table's rules.

    Foreign keys are checked against the package's other tables. Returns the frame typed as
    `load()` types it; raises ValidationError listing every failure otherwise.
    """
    from indru_data.core.dtypes import coerce_frame

    pkg = DataPackage(package) if package is not None else packaged()
    spec = pkg.table(table)
    report = Report(f"DataFrame checked as {table!r}")
    text = df.reset_index(drop=True).astype(object).where(df.reset_index(drop=True).notna(), None)
    typed = typing_stage.typed_frame(text, spec, report, None)
    pandera_stage.check_frame(typed, spec, report, None)
    from indru_data.core.tableio import read_csv

    frames = {name: read_csv(t) for name, t in pkg.tables.items() if name != table}
    frames[table] = typed
    crosstable.table_rules(spec, typed, frames, report, None)
    report.rows_checked[table] = len(df)
    if not report.valid:
        raise ValidationError(report)
    return coerce_frame(typed, spec)


def _rules_usable(table: Table, root: Path, report: Report) -> bool:
    """Refuse a table whose x-checks cannot be read as rules (a hostile or mistyped schema)."""
    try:
        build_rules(table.checks, set(table.field_names))
    except RuleError as exc:
        file = _rel(table.schema_path, root)
        message = f"table {table.name!r}, {file}: {exc}"
        report.add(Failure("package", table.name, file, None, None, None, "x-checks", message))
        return False
    return True


def _has_row_failures(report: Report) -> bool:
    # A foreign key counts too: Frictionless reported it before it read structure only.
    return any(
        f.stage in ("file", "pandera", "frictionless", "package") or f.rule == "foreign-key"
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
