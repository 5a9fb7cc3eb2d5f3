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
    table_split,
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
    workers: int = 1,
) -> Report:
    """Validate a data package: the shipped one, or the datapackage.json at `package`.

    Returns a Report; with `raise_on_error=True` raises ValidationError when it is not valid.
    `engine="reference"` has Frictionless read every file's structure row by row; the default
    ("auto") reads the files it can vouch for with Arrow instead (validation/arrow_stage.py), with
    the same failures at the same places (tests/test_differential.py). `workers=2` lets a
    forked child process check the last tables of a small package on Linux
    (validation/table_split.py), with the same report.
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

    def afresh() -> Report:  # with the descriptor check's answer known (descriptor_check.py)
        return validate(
            package,
            check_parquet=check_parquet,
            raise_on_error=raise_on_error,
            engine=engine,
            workers=workers,
        )

    try:
        report = _validate(
            pkg, tables, report, check_parquet=check_parquet, engine=engine, workers=workers
        )
    except frictionless_stage.VerdictNeeded:
        return afresh()
    finally:
        # An answer kept for this descriptor and not asked for (validation stopped on an error)
        # must not answer a later validation: the schema files it read may have changed by then.
        # (afresh() above has run, and taken its answer, before this.)
        descriptor_check.discard(pkg.descriptor, pkg.root)
    return _finish(report, raise_on_error)


def _validate(
    pkg: DataPackage,
    tables: dict[str, Table],
    report: Report,
    *,
    check_parquet: bool,
    engine: str,
    workers: int,
) -> Report:
    """The stages, in order, on a descriptor whose tables our guards accepted.

    With a child process (workers > 1, table_split.py), Frictionless's check of the descriptor
    is deferred: the child does it first, and its answer is asked for last. VerdictNeeded is
    raised when it says invalid, after the answer is kept for the validation afresh.
    """
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
    everything = len(readable) == len(tables)
    # A child started by the command (descriptor_check.start) may be checking it already.
    started = descriptor_check.pending(pkg.descriptor, pkg.root)
    deferred = (
        engine == "auto"
        and everything
        and (started or table_split.usable(workers, sum(s.size or 0 for s in scans.values())))
        and not descriptor_check.known(pkg.descriptor, pkg.root)
    )
    # Frictionless checks structure only when the later stages can check every cell as it
    # would; it does not run on a package whose files could not be read at all.
    structural, fast = (
        frictionless_stage.run(pkg, report, scans if engine == "auto" else None, deferred=deferred)
        if everything
        else (False, {})
    )
    t1 = time.perf_counter()
    report.seconds["frictionless"] = t1 - t0

    frames: dict[str, pd.DataFrame] = {}
    keys: dict[str, tuple[Any, ...] | None] = {}
    known: dict[str, memo.Entry | None] = {}
    for table in tables.values():
        if table.name in readable:
            keys[table.name] = memo.table_key(
                engine=engine,
                structural=structural,
                name=table.name,
                file=_rel(table.path, pkg.root),
                schema=table.schema,
                resource=resources.get(table.name, {}),
                digest=scans[table.name].memo_digest,
            )
            known[table.name] = memo.get(keys[table.name])
    todo = [t for t in tables.values() if t.name in known and known[t.name] is None]
    ask = deferred and not started and not descriptor_check.known(pkg.descriptor, pkg.root)
    child = _fork_last_tables(pkg, todo, scans, fast, structural, workers, check_parquet, ask)
    # With a child, each table's Parquet check is done as soon as its frame is typed, on the bet
    # that it will be wanted (no row failure anywhere): here while the child works, there in
    # the child. Without one, it is done below, only when wanted.
    parquet_found: dict[str, tuple[Failure, ...] | None] = {}
    try:
        for table in tables.values():
            if table.name not in readable:
                continue
            entry = known[table.name]
            if entry is None and child is not None and ("table", table.name) in child.names:
                answer = child.outcome(("table", table.name))  # None: done here instead
                if answer is not None:
                    entry, parquet_found[table.name] = answer
                    memo.put(keys[table.name], entry)
            if entry is not None:  # checked before in this process, or by the child: replay
                fast.pop(table.name, None)
                for failure in entry.failures:
                    report.add(failure)
                if entry.rows is not None:
                    report.rows_checked.setdefault(table.name, entry.rows)
                if entry.frame is not None:  # a new object: a later stage cannot alter the kept one
                    frames[table.name] = entry.frame.copy(deep=False)
                continue
            file = _rel(table.path, pkg.root)
            with report.recording(limit=memo.MAX_FAILURES + 1) as taken:
                typed, rows = _table_local(
                    table, file, fast, structural, pkg.root, report, scans[table.name].size
                )
            if typed is not None:
                frames[table.name] = typed
                if child is not None and check_parquet and not taken:
                    parquet_found[table.name] = _parquet_failures(pkg, table, typed)
            memo.put(
                keys[table.name], memo.Entry(tuple(taken), rows, typed, scans[table.name].size)
            )
    finally:
        if child is not None:
            child.abandon()
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
                found = parquet_found.get(table.name)
                if found is None:
                    parquet_check.parquet_agrees(pkg, table, frames[table.name], report)
                for failure in found or ():
                    report.add(failure)
                if report.failure_count == before:
                    memo.parquet_agrees(key)
    if deferred:
        t3 = time.perf_counter()
        found = child.outcome(descriptor_check.JOB) if child is not None and ask else None
        if found is None:  # the started child's answer, or (none, or it failed) checked here
            found = descriptor_check.errors(copy.deepcopy(pkg.descriptor), pkg.root)
        report.seconds["frictionless"] += time.perf_counter() - t3
        if found:
            descriptor_check.remember(pkg.descriptor, pkg.root, found)
            raise frictionless_stage.VerdictNeeded
    report.seconds["cross-table"] = time.perf_counter() - t2
    return report


def _fork_last_tables(
    pkg: DataPackage,
    todo: list[Table],
    scans: dict[str, Any],
    fast: dict[str, pd.DataFrame],
    structural: bool,
    workers: int,
    check_parquet: bool,
    descriptor: bool,
) -> table_split.Child | None:
    """A child process checking the descriptor (when asked) and the last of `todo`, or None."""
    sizes = [scans[t.name].size or 0 for t in todo]
    if not table_split.usable(workers, sum(sizes)):
        return None
    cut = table_split.split(
        [table_split.cost(len(t.fields), size) for t, size in zip(todo, sizes, strict=True)],
        table_split.DESCRIPTOR_COST if descriptor else 0,
    )
    theirs = {t.name: t for t in todo[cut:]}
    if not theirs and not descriptor:
        return None

    def work(job: tuple[str, ...]) -> Any:
        if job == descriptor_check.JOB:
            return descriptor_check.check(copy.deepcopy(pkg.descriptor), pkg.root)
        return _check_in_child(theirs[job[1]])

    def _check_in_child(table: Table) -> tuple[memo.Entry, tuple[Failure, ...] | None] | None:
        """The table's stages on a report of its own, all they offered it, and what its
        Parquet check would offer (None: not done, or too many)."""
        file, size = _rel(table.path, pkg.root), scans[table.name].size or 0
        scratch = Report("")
        with scratch.recording(limit=table_split.LIMIT) as taken:
            typed, rows = _table_local(table, file, fast, structural, pkg.root, scratch, size)
        if len(taken) >= table_split.LIMIT:
            return None  # more than it keeps: the parent checks this table itself
        parquet = (
            _parquet_failures(pkg, table, typed)
            if typed is not None and check_parquet and not taken
            else None
        )
        return memo.Entry(tuple(taken), rows, typed, size), parquet

    jobs = [descriptor_check.JOB] * descriptor + [("table", name) for name in theirs]
    pandera_stage.register_backends()  # once, here, rather than in both processes
    try:
        return table_split.Child(jobs, work)
    except OSError:  # no process or pipe to be had: everything is done here
        return None


def _parquet_failures(
    pkg: DataPackage, table: Table, typed: pd.DataFrame
) -> tuple[Failure, ...] | None:
    """What the Parquet check would add for this table, done before it is known to be wanted
    (None: too many to keep, or it raised: then it is done again, if wanted, where it raises
    as it always did). Only for a table whose own stages found nothing: any failure in its
    rows means no Parquet check at all."""
    scratch = Report("")
    try:
        with scratch.recording(limit=table_split.LIMIT) as taken:
            parquet_check.parquet_agrees(pkg, table, typed, scratch)
    except Exception:  # not ours to report here: done again if wanted
        return None
    return tuple(taken) if len(taken) < table_split.LIMIT else None


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
        build_rules(table.checks, table.field_types)
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
