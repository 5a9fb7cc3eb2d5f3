"""The descriptor check in a child process (validation/descriptor_check.py) changes nothing found.

`indru-data validate` starts Frictionless's check of the descriptor in a child process and asks
for its answer after the other stages. Each test compares a validation with that child against
one without, on the shipped package and on copies whose descriptor Frictionless refuses.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import copy_package

from indru_data.cli import main
from indru_data.core.descriptor import DataPackage
from indru_data.validation import arrow_stage, descriptor_check, memo, validate

BROKEN: dict[str, Callable[[dict[str, Any]], None]] = {
    "licenses-not-a-list": lambda d: d.__setitem__("licenses", "CC-BY-4.0"),
    "resource-title-a-number": lambda d: d["resources"][0].__setitem__("title", 5),
    "resource-name-pattern": lambda d: d["resources"][1].__setitem__("name", "Bad Name!"),
}


def _copy(tmp_path: Path, change: Callable[[dict[str, Any]], None] | None) -> Path:
    path = copy_package(tmp_path / "pkg")
    if change is not None:
        descriptor = json.loads(path.read_text(encoding="utf-8"))
        change(descriptor)
        path.write_text(json.dumps(descriptor, indent=2), encoding="utf-8")
    return path


def _found(path: Path | None, *, child: bool) -> dict[str, Any]:
    """The report of one fresh validation (nothing replayed), seconds left out."""
    memo.forget()
    descriptor_check.cancel()
    if child:
        pkg = DataPackage(path) if path is not None else DataPackage()
        assert descriptor_check.start(pkg.descriptor, pkg.root)
        assert descriptor_check.pending(pkg.descriptor, pkg.root)
    report = validate(path)
    if child:
        assert not descriptor_check._PENDING, "the child's answer was never asked for"
    found = report.to_dict()
    found.pop("seconds")
    found["structure"] = dict(report.structure)
    return found


@pytest.fixture(autouse=True)
def _two_cpus(monkeypatch: pytest.MonkeyPatch) -> None:
    # The child is started only where a second CPU is free; these tests run it anywhere.
    monkeypatch.setattr(descriptor_check, "_usable_cpus", lambda: 2)


def test_shipped_package_same_with_the_child() -> None:
    assert _found(None, child=True) == _found(None, child=False)
    assert _found(None, child=True)["valid"]


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_invalid_descriptor_same_with_the_child(tmp_path: Path, case: str) -> None:
    path = _copy(tmp_path, BROKEN[case])
    without = _found(path, child=False)
    assert not without["valid"]
    assert any(f["stage"] == "frictionless" and f["table"] is None for f in without["failures"])
    assert _found(path, child=True) == without


def test_invalid_descriptor_and_bad_cells_same_with_the_child(tmp_path: Path) -> None:
    """What the later stages found on the bet that the descriptor is valid is thrown away."""
    path = _copy(tmp_path, BROKEN["licenses-not-a-list"])
    csv = path.parent / "data" / "summits.csv"
    lines = csv.read_text(encoding="utf-8").splitlines(keepends=True)
    key = lines[2].split(",", 1)[0]
    csv.write_text(lines[0] + key + "," + lines[1].split(",", 1)[1] + "".join(lines[2:]), "utf-8")
    without = _found(path, child=False)
    assert any(f["rule"] == "primary-key" for f in without["failures"])
    assert _found(path, child=True) == without


@pytest.mark.parametrize("case", [None, "licenses-not-a-list"])
@pytest.mark.parametrize("extra_cell", [False, True])
def test_frictionless_reads_the_files_same_with_the_child(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, case: str | None, extra_cell: bool
) -> None:
    """The answer is asked for before Frictionless reads a file: every file (no table on the
    fast path), or one whose row has a cell too many (the fast path leaves it to Frictionless)."""
    path = _copy(tmp_path, BROKEN[case] if case else None)
    if extra_cell:
        csv = path.parent / "data" / "summits.csv"
        lines = csv.read_text(encoding="utf-8").splitlines(keepends=True)
        csv.write_text(lines[0] + lines[1].replace(",", ",,", 1) + "".join(lines[2:]), "utf-8")
    else:
        monkeypatch.setattr(arrow_stage, "FAST_FROM_BYTES", 10**12)
    without = _found(path, child=False)
    assert "frictionless" in without["structure"].values() or case is not None
    assert _found(path, child=True) == without


def test_a_failed_child_is_replaced_by_the_check_here(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _copy(tmp_path, BROKEN["licenses-not-a-list"])
    without = _found(path, child=False)
    for child in ("import sys; sys.exit(3)", "print('not json')", "print('[1, 2]')"):
        monkeypatch.setattr(descriptor_check, "CHILD", child)
        assert _found(path, child=True) == without


def test_the_child_imports_nothing_from_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A stranger's checkout is the working directory: its modules must not run."""
    marker = tmp_path / "ran"
    evil = f"open({str(marker)!r}, 'w').close()\n"
    work = tmp_path / "checkout"
    work.mkdir()
    for name in ("json.py", "frictionless.py", "frictionless_plugin.py", "jsonschema.py"):
        (work / name).write_text(evil, encoding="utf-8")
    import frictionless  # noqa: F401 - this process's own copy, imported before the chdir

    monkeypatch.chdir(work)
    monkeypatch.syspath_prepend(str(work))  # as `python -m` puts the working directory first

    def no_fallback(*_: object) -> None:
        raise AssertionError("the child failed: the check ran here")

    monkeypatch.setattr(descriptor_check, "check_here", no_fallback)
    pkg = DataPackage()
    assert descriptor_check.start(pkg.descriptor, pkg.root)
    assert descriptor_check.errors(pkg.descriptor, pkg.root) == []
    assert not marker.exists()


def test_one_cpu_starts_no_child(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(descriptor_check, "_usable_cpus", lambda: 1)
    pkg = DataPackage()
    assert not descriptor_check.start(pkg.descriptor, pkg.root)
    assert not descriptor_check.pending(pkg.descriptor, pkg.root)


def test_cancel_ends_the_child() -> None:
    pkg = DataPackage()
    assert descriptor_check.start(pkg.descriptor, pkg.root)
    (child, _), *_ = descriptor_check._PENDING.values()
    descriptor_check.cancel()
    assert child.poll() is not None
    assert not descriptor_check._PENDING


def test_the_command_gives_what_main_gives(tmp_path: Path) -> None:
    """`indru-data validate` as its own process (with the child) against main([...]) (without)."""
    path = _copy(tmp_path, BROKEN["resource-title-a-number"])
    memo.forget()
    code = "from indru_data.cli import main; import sys; sys.exit(main())"
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    done = subprocess.run(
        [sys.executable, "-c", code, "validate", str(path), "--format", "json"],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )
    own = json.loads(done.stdout)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        status = main(["validate", str(path), "--format", "json"])
    here = json.loads(out.getvalue())
    assert done.returncode == status == 1
    for report in (own, here):
        report.pop("seconds")
    assert own == here
