"""A child process checking the descriptor and the last tables (validation/table_split.py).

`validate(workers=2)` (what `indru-data validate` asks for) forks a child that runs
Frictionless's check of the descriptor and the table-local stages of the last tables, and asks
for the descriptor's answer after the other stages. Each test compares a validation with the
child against one without it. tests/test_faults.py does the same on all 25 fault copies.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import copy_package, read_rows, rehash, write_rows

import indru_data.validation as validation
from indru_data.cli import main
from indru_data.validation import arrow_stage, descriptor_check, memo, table_split, validate

BROKEN: dict[str, Callable[[dict[str, Any]], None]] = {
    "licenses-not-a-list": lambda d: d.__setitem__("licenses", "CC-BY-4.0"),
    "resource-title-a-number": lambda d: d["resources"][0].__setitem__("title", 5),
}


def _copy(tmp_path: Path, change: Callable[[dict[str, Any]], None] | None = None) -> Path:
    path = copy_package(tmp_path / "pkg")
    if change is not None:
        descriptor = json.loads(path.read_text(encoding="utf-8"))
        change(descriptor)
        path.write_text(json.dumps(descriptor, indent=2), encoding="utf-8")
    return path


def _found(path: Path | None, *, workers: int, started: bool = False) -> dict[str, Any]:
    """The report of one fresh validation (nothing replayed), seconds left out. `started`: a
    child checks the descriptor from before validation starts, as `indru-data validate` has."""
    memo.forget()
    descriptor_check.forget()
    if started:
        pkg = validation.DataPackage(path) if path is not None else validation.DataPackage()
        assert descriptor_check.start(pkg.descriptor, pkg.root, 2)
    report = validate(path, workers=workers)
    assert not descriptor_check._PENDING and not descriptor_check._KNOWN
    found = report.to_dict()
    found.pop("seconds")
    found["structure"] = dict(report.structure)
    return found


def _same(path: Path | None, *, started: bool = True) -> dict[str, Any]:
    """The report without a child, and the same with one (with the descriptor's check started
    early too, as the command does, unless `started` is False)."""
    without = _found(path, workers=1)
    assert _found(path, workers=2) == without
    if started:
        assert _found(path, workers=2, started=True) == without
        assert _found(path, workers=1, started=True) == without
    return without


@pytest.fixture
def forks(monkeypatch: pytest.MonkeyPatch) -> list[table_split.Child]:
    """The children started, so that a test knows one was."""
    started: list[table_split.Child] = []
    original = table_split.Child.__init__

    def init(self: table_split.Child, *args: Any) -> None:
        original(self, *args)
        started.append(self)

    monkeypatch.setattr(table_split.Child, "__init__", init)
    return started


def _last_table(path: Path) -> str:
    return json.loads(path.read_text(encoding="utf-8"))["resources"][-1]["name"]


def test_shipped_package_same_with_the_child(forks: list[table_split.Child]) -> None:
    assert _same(None)["valid"]
    # workers=2: the check and some tables; started: the check, then the tables; workers=1
    # started: the check alone.
    assert [len(f.names) > 2 for f in forks] == [True, False, True, False]
    assert [("descriptor",) in f.names for f in forks] == [True, True, False, True]
    assert all(f.status == 0 for f in forks)


@pytest.mark.parametrize("case", ["licenses-not-a-list"])
def test_invalid_descriptor_same_with_the_child(
    tmp_path: Path, case: str, forks: list[table_split.Child]
) -> None:
    without = _same(_copy(tmp_path, BROKEN[case]))
    assert not without["valid"]
    assert any(f["stage"] == "frictionless" and f["table"] is None for f in without["failures"])
    assert forks, "no child: the deferred answer was not tested"


def test_invalid_descriptor_and_bad_rows_same_with_the_child(tmp_path: Path) -> None:
    """What the later stages found on the bet that the descriptor is valid is thrown away."""
    path = _copy(tmp_path, BROKEN["licenses-not-a-list"])
    csv = path.parent / "data" / f"{_last_table(path)}.csv"
    header, rows = read_rows(csv)
    rows[1][header[0]] = rows[0][header[0]]  # a duplicate key in the child's last table
    write_rows(csv, header, rows)
    rehash(path)
    without = _same(path, started=False)
    assert any(f["rule"] == "primary-key" for f in without["failures"])


@pytest.mark.parametrize(("case", "extra_cell"), [(None, True), ("licenses-not-a-list", False)])
def test_frictionless_reads_the_files_same_with_the_child(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, case: str | None, extra_cell: bool
) -> None:
    """The descriptor is checked before Frictionless reads a file: every file (no table on the
    fast path), or one whose row has a cell too many (left to Frictionless by the fast path)."""
    path = _copy(tmp_path, BROKEN[case] if case else None)
    if extra_cell:
        csv = path.parent / "data" / "summits.csv"
        lines = csv.read_text(encoding="utf-8").splitlines(keepends=True)
        csv.write_text(lines[0] + lines[1].replace(",", ",,", 1) + "".join(lines[2:]), "utf-8")
    else:
        monkeypatch.setattr(arrow_stage, "FAST_FROM_BYTES", 10**12)
    without = _same(path)
    assert "frictionless" in without["structure"].values() or case is not None


def _broken_last_table(tmp_path: Path, rows_broken: int) -> Path:
    """A copy whose last table has `rows_broken` rows with an unknown vocabulary value."""
    path = _copy(tmp_path)
    table = validation.DataPackage(path).table(_last_table(path))
    field = next(f for f in table.fields if f.enum)
    csv = table.path
    header, rows = read_rows(csv)
    for row in rows[:rows_broken]:
        row[field.name] = "not-in-the-vocabulary"
    write_rows(csv, header, rows)
    rehash(path)
    return path


def _in_the_child(
    monkeypatch: pytest.MonkeyPatch, module: Any, name: str, action: Callable[[], None]
) -> None:
    """Make module.name do `action` first when called in a child process (not in this one)."""
    parent, real = os.getpid(), getattr(module, name)

    def patched(*args: Any) -> Any:
        if os.getpid() != parent:
            action()
        return real(*args)

    monkeypatch.setattr(module, name, patched)


@pytest.mark.parametrize(
    ("misbehaves", "status"),
    [(lambda: os._exit(7), 7), (lambda: time.sleep(600), -9)],  # dies; hangs and is killed
    ids=["dies", "hangs"],
)
def test_a_child_that_fails_is_replaced_by_this_process(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    forks: list[table_split.Child],
    misbehaves: Callable[[], None],
    status: int,
) -> None:
    path = _broken_last_table(tmp_path, 2)
    without = _found(path, workers=1)
    _in_the_child(monkeypatch, validation, "_parquet_failures", misbehaves)
    monkeypatch.setattr(table_split, "WAIT_SECONDS", 1)
    monkeypatch.setattr(table_split, "WAIT_FACTOR", 0)
    started = time.monotonic()
    assert _found(path, workers=2) == without
    assert time.monotonic() - started < 60
    assert forks and forks[-1].status == status


def test_a_table_with_too_many_failures_is_checked_here(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, forks: list[table_split.Child]
) -> None:
    path = _broken_last_table(tmp_path, 5)
    monkeypatch.setattr(table_split, "LIMIT", 3)
    without = _found(path, workers=1)
    assert without["failure_count"] >= 5
    assert _found(path, workers=2) == without
    assert forks and forks[-1].status == 0


def test_no_child_where_it_is_not_worth_it(
    monkeypatch: pytest.MonkeyPatch, forks: list[table_split.Child]
) -> None:
    assert not table_split.usable(1, 1000)
    assert not table_split.usable(2, table_split.MAX_BYTES + 1)
    monkeypatch.setattr(sys, "platform", "darwin")
    assert not table_split.usable(2, 1000)
    _found(None, workers=2)
    assert not forks


@pytest.mark.parametrize(
    ("costs", "extra", "cut"),
    [
        ([1, 1, 1, 1], 0, 2),
        ([1, 1, 1, 1], 2, 3),
        ([5, 1, 1, 1], 0, 1),
        ([1], 0, 1),  # one table: nothing to share
        ([1, 1], 10, 2),  # the child has enough with the descriptor
    ],
)
def test_split_balances_the_two_sides(costs: list[int], extra: int, cut: int) -> None:
    assert table_split.split(costs, extra) == cut


def test_plugins_are_not_looked_for_in_the_working_directory(tmp_path: Path) -> None:
    """Frictionless imports any module named frictionless_* on the path as a plugin; run as
    `python -m`, the working directory (a stranger's checkout) is on the path."""
    marker = tmp_path / "ran"
    work = tmp_path / "checkout"
    work.mkdir()
    (work / "frictionless_evil.py").write_text(f"open({str(marker)!r}, 'w').close()\n", "utf-8")
    code = (
        "import sys; from indru_data.validation import descriptor_check as d\n"
        "from indru_data.core.descriptor import DataPackage\n"
        "p = DataPackage(); assert '' in sys.path or sys.path[0] in ('', '.')\n"
        "print(d.check(p.descriptor, p.root))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=work, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
    assert not marker.exists()


def _unsafe_path(d: dict[str, Any]) -> None:
    d["resources"][0]["path"] = "../outside.csv"


def _nul_in_a_csv(path: Path) -> None:
    (path.parent / "data" / "summits.csv").write_bytes(b"summit_id\x00\n")


@pytest.mark.parametrize(
    "case", ["valid", "refused by Frictionless", "unsafe path", "NUL in a CSV", "not JSON"]
)
def test_the_command_gives_what_main_gives(tmp_path: Path, case: str) -> None:
    """`indru-data validate` as its own process (with the children) against main([...])
    (without), on the package and on copies broken before, in and after the descriptor."""
    changes = {
        "refused by Frictionless": BROKEN["resource-title-a-number"],
        "unsafe path": _unsafe_path,
    }
    path = _copy(tmp_path, changes.get(case))
    if case == "NUL in a CSV":
        _nul_in_a_csv(path)
    if case == "not JSON":
        path.write_text("{not json", encoding="utf-8")
    memo.forget()
    code = "from indru_data.cli import main; import sys; sys.exit(main())"
    done = subprocess.run(
        [sys.executable, "-c", code, "validate", str(path), "--format", "json"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    own = json.loads(done.stdout)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        status = main(["validate", str(path), "--format", "json"])
    assert done.returncode == status == (0 if case == "valid" else 1)
    here = json.loads(out.getvalue())
    for report in (own, here):
        report.pop("seconds")
    assert own == here


def test_no_process_to_be_had(monkeypatch: pytest.MonkeyPatch) -> None:
    without = _found(None, workers=1)

    def no_fork() -> int:
        raise OSError("Resource temporarily unavailable")

    monkeypatch.setattr(os, "fork", no_fork)
    assert _found(None, workers=2) == without


def test_an_answer_not_asked_for_is_not_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A validation that stops on an error leaves no answer behind for a later one, whose
    schema files may have changed."""
    monkeypatch.setattr(arrow_stage, "FAST_FROM_BYTES", 10**12)  # answered before the tables

    def broken(*_: object) -> None:
        raise RuntimeError("a stage failed")

    monkeypatch.setattr(validation.crosstable, "sources_used", broken)
    memo.forget()
    with pytest.raises(RuntimeError):
        validate(workers=2)
    assert not descriptor_check._KNOWN


def test_a_started_child_that_dies_is_replaced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _copy(tmp_path, BROKEN["licenses-not-a-list"])
    without = _found(path, workers=1)
    _in_the_child(monkeypatch, descriptor_check, "check", lambda: os._exit(7))
    assert _found(path, workers=2, started=True) == without


def test_a_started_child_nobody_asks_is_ended(tmp_path: Path) -> None:
    """A file that cannot be read stops validation before the descriptor check is wanted."""
    path = _copy(tmp_path)
    (path.parent / "data" / "summits.csv").write_bytes(b"\x00\xff not text")
    without = _found(path, workers=1)
    assert not without["valid"]
    assert _found(path, workers=2, started=True) == without  # and no child is left
