"""The GitHub Action for forks (action.yml) and `indru-data validate --format github`."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import ROOT, BrokenCopy

import indru_data
from indru_data.validation.annotations import annotation, render_github
from indru_data.validation.report import Failure

BIN = str(Path(sys.executable).parent)  # where this environment's indru-data command lives


def _action() -> dict[str, Any]:
    return yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))


def _step(name: str) -> dict[str, Any]:
    (step,) = [s for s in _action()["runs"]["steps"] if s.get("name") == name]
    return step


def _run_step(step: dict[str, Any], env: dict[str, str], cwd: Path, prelude: str = "") -> Any:
    """A step's `run` script through bash, as the runner does, with its env filled in."""
    assert step["shell"] == "bash"
    full = {**os.environ, "PATH": BIN + os.pathsep + os.environ["PATH"], **env}
    return subprocess.run(
        ["bash", "-e", "-c", prelude + step["run"]],
        cwd=cwd,
        env=full,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.fixture
def fork(tmp_path: Path) -> BrokenCopy:
    """A fork kept in a sub-folder of its repository, broken in three places."""
    copy = BrokenCopy(tmp_path / "pkg")
    copy.set_cell("trade_annual", 4, "reporter", "Foo")  # CSV line 6
    copy.set_cell("un_votes", 0, "votes_yes", "-3", keep_hash=True)  # line 2, and the hash
    return copy


def test_action_is_a_composite_that_runs_the_tested_command() -> None:
    action = _action()
    assert action["runs"]["using"] == "composite"
    assert "path" in action["inputs"] and "version" not in action["inputs"]
    validate = _step("Validate")
    assert validate["env"]["INDRU_DATA_PATH"] == "${{ inputs.path }}"
    assert validate["run"].strip() == 'indru-data validate "$INDRU_DATA_PATH" --format github'
    install = _step("Install indru-data")
    assert install["env"]["INDRU_DATA_SOURCE"] == "${{ github.action_path }}"
    # inputs go through the environment, never pasted into a script
    for step in action["runs"]["steps"]:
        assert "${{" not in step.get("run", "")


def test_install_step_installs_the_actions_own_checkout(tmp_path: Path) -> None:
    """Not PyPI (indru-data is not published there): the checkout at the ref in `uses:`."""
    # `python` is replaced by a function that prints its arguments: nothing is installed
    source = tmp_path / "actions" / "indru-data" / "v0.2.0"
    done = _run_step(
        _step("Install indru-data"),
        {"INDRU_DATA_SOURCE": str(source)},
        tmp_path,
        prelude='python() { echo "$@"; }\n',
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"-m pip install {source}"


@pytest.mark.slow
def test_validate_step_annotates_each_failure_at_its_csv_line(
    fork: BrokenCopy, tmp_path: Path
) -> None:
    done = _run_step(_step("Validate"), {"INDRU_DATA_PATH": "pkg/datapackage.json"}, tmp_path)
    assert done.returncode == 1, done.stderr
    lines = done.stdout.splitlines()
    errors = [line for line in lines if line.startswith("::error ")]
    assert len(errors) == len(lines) - 1 and "Traceback" not in done.stderr
    assert lines[-1].startswith("pkg/datapackage.json: ") and "failure(s)" in lines[-1]
    pattern = re.compile(r"::error file=([^,:]+)(?:,line=(\d+))?,title=([^:]+)::(.+)")
    parsed = [pattern.fullmatch(e) for e in errors]
    assert all(parsed), errors
    found = {(m[1], m[2], m[3]) for m in parsed if m}
    assert ("pkg/data/trade_annual.csv", "6", "trade_annual%3A constraint-error%3Aenum") in found
    assert ("pkg/data/un_votes.csv", "2", "un_votes%3A constraint-error%3Aminimum") in found
    assert ("pkg/data/un_votes.csv", None, "un_votes%3A hash-count") in found
    enum = next(m for m in parsed if m and m[1].endswith("trade_annual.csv"))
    assert "value 'Foo'" in enum[4] and "row 6" in enum[4]


@pytest.mark.slow
def test_valid_package_gives_no_annotation_and_build_check_passes(tmp_path: Path) -> None:
    BrokenCopy(tmp_path / "pkg")
    env = {"INDRU_DATA_PATH": "pkg"}
    done = _run_step(_step("Validate"), env, tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "::error" not in done.stdout and done.stdout.strip().endswith(": valid")
    check = _step("Check derived files")
    assert check["run"].strip() == 'indru-data build --check "$INDRU_DATA_PATH"'
    assert _run_step(check, env, tmp_path).returncode == 0


def test_annotations_escape_what_would_break_the_command(tmp_path: Path) -> None:
    failure = Failure(
        stage="package",
        table="t,1",
        file="data/a:b.csv",
        row=3,
        column="c",
        value="x\ny%",
        rule="r",
        message="broken: 100%\nsecond line",
    )
    line = annotation(failure, tmp_path, tmp_path / "datapackage.json", tmp_path)
    assert "\n" not in line
    assert line.startswith("::error file=data/a%3Ab.csv,line=3,title=t%2C1%3A r::")
    # a line break in a message is shown escaped (one failure, one line), then % is escaped
    assert "100%25\\nsecond line" in line


@pytest.mark.slow
def test_render_github_of_the_shipped_package(monkeypatch: pytest.MonkeyPatch) -> None:
    report = indru_data.validate()
    out = render_github(report, base=ROOT)
    assert out == f"datapackage.json: {sum(report.rows_checked.values())} rows checked: valid"
