"""Shared helpers: the repository's data package, and broken copies of it."""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import shutil
import subprocess
import sys
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from indru_data.core.descriptor import DataPackage
from indru_data.release.build import descriptor_json

ROOT = Path(__file__).resolve().parents[1]
DESCRIPTOR = ROOT / "datapackage.json"


def copy_package(dest: Path) -> Path:
    """A copy of the repository's data package (descriptor, schemas, CSV, Parquet)."""
    for name in ("data", "schemas"):
        shutil.copytree(ROOT / name, dest / name)
    shutil.copy2(DESCRIPTOR, dest / "datapackage.json")
    return dest / "datapackage.json"


def read_rows(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def write_rows(path: Path, header: list[str], rows: list[dict[str, str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def rehash(descriptor: Path) -> None:
    """Record the current hashes, as if the edit had been made on purpose and rebuilt."""
    descriptor.write_bytes(descriptor_json(DataPackage(descriptor), None))


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    """`indru-data ARGS` run in this process, its exit code and output as a subprocess's.

    Most command tests are about what the command prints and returns, not about the process,
    and a fresh interpreter spends 1-2 s importing pandas, pandera and Frictionless. Tests of
    the process itself (imports, signals, limits, the console script) start a real one.

    What escapes main() other than SystemExit propagates and fails the test: a real process
    would have printed a traceback, which these tests refuse. The process's environment and
    working directory are this one's: set them with monkeypatch.setenv and monkeypatch.chdir.
    """
    from indru_data.cli import main

    stdout, stderr = io.StringIO(), io.StringIO()
    with (
        contextlib.redirect_stdout(stdout),
        contextlib.redirect_stderr(stderr),
        warnings.catch_warnings(record=True) as caught,
    ):
        # The filters of a fresh interpreter, and the warnings into stderr as it would print
        # them: pytest would otherwise collect them out of sight of the one-line-error checks.
        warnings.resetwarnings()
        for quiet in (
            DeprecationWarning,
            PendingDeprecationWarning,
            ImportWarning,
            ResourceWarning,
        ):
            warnings.simplefilter("ignore", quiet)
        try:
            code = main(list(args))
        except SystemExit as exc:  # argparse: --help and --version (0), usage errors (2)
            code = _exit_status(exc, stderr)
    for w in caught:
        stderr.write(warnings.formatwarning(w.message, w.category, w.filename, w.lineno, w.line))
    return subprocess.CompletedProcess(
        ["indru-data", *args], code, stdout.getvalue(), stderr.getvalue()
    )


def _exit_status(exc: SystemExit, stderr: io.StringIO) -> int:
    """The status a process ending with `exc` would have: None is 0, any other object is
    printed to stderr and is 1 (as the interpreter does)."""
    if exc.code is None:
        return 0
    if isinstance(exc.code, int):
        return exc.code
    print(exc.code, file=stderr)
    return 1


class BrokenCopy:
    """A copy of the real package that a test breaks in exactly one place."""

    def __init__(self, root: Path) -> None:
        self.descriptor = copy_package(root)
        self.root = root
        self._deferred = self._stale = False

    @contextlib.contextmanager
    def hashes_recorded_at_the_end(self) -> Iterator[None]:
        """Edits in the block re-record hashes once, at its end, not after each edit.

        For a batch of edits to many tables (test_faults.py): the hashes are a function of the
        files, so recording them once at the end gives the same descriptor. An edit with
        `keep_hash` inside the block must be the block's only kind of edit.
        """
        self._deferred, self._stale = True, False
        try:
            yield
        finally:
            self._deferred = False
            if self._stale:
                rehash(self.descriptor)

    def csv(self, table: str) -> Path:
        return self.root / "data" / f"{table}.csv"

    def edit(
        self,
        table: str,
        change: Callable[[list[str], list[dict[str, str]]], None],
        *,
        keep_hash: bool = False,
    ) -> None:
        """Apply `change(header, rows)` to a table's CSV; re-record hashes unless keep_hash."""
        header, rows = read_rows(self.csv(table))
        change(header, rows)
        write_rows(self.csv(table), header, rows)
        if keep_hash:
            return
        if self._deferred:
            self._stale = True
        else:
            rehash(self.descriptor)

    def set_cell(self, table: str, row: int, column: str, value: str, **kw: bool) -> None:
        """Set one cell; `row` is the 0-based data row (CSV line row + 2)."""

        def change(_h: list[str], rows: list[dict[str, str]]) -> None:
            rows[row][column] = value

        self.edit(table, change, **kw)

    def edit_schema(self, table: str, change: Callable[[dict[str, Any]], None]) -> None:
        """Apply `change(schema)` to a table's Table Schema."""
        path = self.root / "schemas" / f"{table}.schema.json"
        schema = json.loads(path.read_text(encoding="utf-8"))
        change(schema)
        path.write_text(json.dumps(schema, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")

    def edit_descriptor(self, change: Callable[[dict[str, Any]], None]) -> None:
        """Apply `change(descriptor)` to datapackage.json."""
        descriptor = json.loads(self.descriptor.read_text(encoding="utf-8"))
        change(descriptor)
        self.descriptor.write_text(
            json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
        )

    def set_version(self, version: str) -> None:
        self.edit_descriptor(lambda d: d.update(version=version))

    def rename_column(self, table: str, old: str, new: str) -> None:
        """Rename a column in the CSV header and in the schema."""

        def in_csv(header: list[str], rows: list[dict[str, str]]) -> None:
            header[header.index(old)] = new
            for row in rows:
                row[new] = row.pop(old)

        def in_schema(schema: dict[str, Any]) -> None:
            (field,) = [f for f in schema["fields"] if f["name"] == old]
            field["name"] = new

        self.edit(table, in_csv)
        self.edit_schema(table, in_schema)


@pytest.fixture
def broken(tmp_path: Path) -> BrokenCopy:
    return BrokenCopy(tmp_path)


# --- built once per test process (under pytest-xdist: once per worker that needs it) ----------


@pytest.fixture(scope="session")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The checkout built into a wheel (tests only read it)."""
    wheels = tmp_path_factory.mktemp("wheels")
    pip = [sys.executable, "-m", "pip"]
    subprocess.run(
        [*pip, "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(wheels), str(ROOT)],
        check=True,
    )
    (built,) = wheels.glob("indru_data-*.whl")
    return built


@pytest.fixture(scope="session")
def docs_build(tmp_path_factory: pytest.TempPathFactory) -> subprocess.CompletedProcess[str]:
    """`mkdocs build --strict` of the checkout into a temporary folder (`.args[-1]`).

    Only tests/test_site.py asks for it (the strict build and the browser tests of the built
    site): under `--dist loadfile` a file's tests share one worker, so the site is built once
    per run (a test there checks that no other file asks for it)."""
    pytest.importorskip("material", reason="needs mkdocs-material: pip install -e '.[docs]'")
    out = tmp_path_factory.mktemp("docs-site") / "site"
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    """Collect the fault matrix from the test reports (under xdist they come from the workers)."""
    if report.when != "call":
        return
    for name, value in report.user_properties:
        if name == "fault_case":
            from faults import RESULTS

            fault, table, caught = value
            RESULTS[(fault, table)] = caught


def pytest_terminal_summary(terminalreporter, exitstatus, config):  # type: ignore[no-untyped-def]
    """Print the fault-injection matrix: fault class x table -> caught / missed."""
    try:
        from faults import RESULTS
    except ImportError:
        return
    if not RESULTS:
        return
    faults = list(dict.fromkeys(f for f, _ in RESULTS))
    tables = list(dict.fromkeys(t for _, t in RESULTS))
    tr = terminalreporter
    tr.write_sep("=", "fault injection: fault class x table (C caught, M MISSED, . does not apply)")
    for i, t in enumerate(tables, start=1):
        tr.write_line(f"  t{i:<2} {t}")
    tr.write_line(
        f"{'fault':<36}" + "".join(f"{'t' + str(i):>4}" for i in range(1, len(tables) + 1))
    )
    for f in faults:
        cells = "".join(
            f"{'.' if (f, t) not in RESULTS else ('C' if RESULTS[f, t] else 'M'):>4}"
            for t in tables
        )
        tr.write_line(f"{f:<36}{cells}")
    caught = sum(1 for v in RESULTS.values() if v)
    tr.write_line(f"{caught} of {len(RESULTS)} fault cases caught and located")
