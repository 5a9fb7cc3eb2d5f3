"""The fork server behind the docs' shell examples (tests/forkserver.py) gives what a real
`indru-data` process gives: exit status, standard output and error, redirections, the
environment and working directory of the command."""

from __future__ import annotations

import json
import os
import shlex
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import BrokenCopy, cli
from forkserver import serving

import indru_data

pytestmark = pytest.mark.slow  # a server process and real commands


@pytest.fixture(scope="module")
def forked(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A folder holding an `indru-data` that forwards to a running fork server."""
    tmp = tmp_path_factory.mktemp("forkserver")
    (tmp / "bin").mkdir()
    with serving(tmp, tmp / "bin", str(Path(indru_data.__file__).parent)):
        yield tmp / "bin"


def shell(script: str, cwd: Path, bin_dir: Path | None = None) -> subprocess.CompletedProcess[str]:
    path = os.pathsep.join([*([str(bin_dir)] if bin_dir else []), os.environ["PATH"]])
    return subprocess.run(
        ["bash", "-c", script],
        cwd=cwd,
        env={**os.environ, "PATH": path},
        capture_output=True,
        text=True,
    )


@pytest.mark.parametrize(
    "args",
    [
        ["--version"],
        ["describe", "no_such_table"],
        ["validate", "datapackage.json", "--no-parquet"],
        ["validate", "no/such/datapackage.json"],
        ["nonsense"],
    ],
)
def test_a_forked_command_gives_what_main_gives(
    args: list[str], forked: Path, broken: BrokenCopy, monkeypatch: pytest.MonkeyPatch
) -> None:
    broken.set_cell("trade_annual", 3, "value_usd_mn", "-5")
    fork = shell(shlex.join(["indru-data", *args]), broken.root, forked)
    monkeypatch.chdir(broken.root)
    real = cli(*args)
    assert (fork.returncode, fork.stdout, fork.stderr) == (
        real.returncode,
        real.stdout,
        real.stderr,
    )


def test_redirections_and_the_environment_reach_the_command(
    forked: Path, broken: BrokenCopy
) -> None:
    for row in (3, 4):
        broken.set_cell("trade_annual", row, "value_usd_mn", "-5")
    out = shell(
        "indru-data validate datapackage.json --format json > report.json || echo exit $?;"
        "INDRU_DATA_MAX_FAILURES=1 indru-data validate --no-parquet datapackage.json",
        broken.root,
        forked,
    )
    assert out.stdout.startswith("exit 1\n"), out.stdout + out.stderr
    report = json.loads((broken.root / "report.json").read_text(encoding="utf-8"))
    assert not report["valid"] and report["descriptor"].endswith("datapackage.json")
    assert "... and 1 more failure(s)" in out.stdout  # the setting read when validation starts
