"""Tests marked with one xdist_group run on one worker (tests/xdist_groups.py).

Without it, pytest 9 with pytest-xdist 3.8 spread every group over the workers, and each built
the group's shared set-up again (the fault matrix's copies took twice their time).
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent

SUITE = """
import os, pytest

@pytest.mark.xdist_group("shared")
@pytest.mark.parametrize("i", range(8))
def test_grouped(i):
    print("RAN", "grouped", os.environ["PYTEST_XDIST_WORKER"])

@pytest.mark.parametrize("i", range(8))
def test_free(i):
    pass
"""

CONFTEST = """
from xdist_groups import (
    pytest_collection_modifyitems, pytest_configure_node, pytest_unconfigure,
    pytest_xdist_make_scheduler,
)
"""


@pytest.mark.slow
def test_a_group_runs_on_one_worker(tmp_path: Path) -> None:
    (tmp_path / "test_suite.py").write_text(SUITE, encoding="utf-8")
    (tmp_path / "conftest.py").write_text(CONFTEST, encoding="utf-8")
    done = subprocess.run(
        [
            *(sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-n", "2"),
            *("--dist", "loadgroup", "-v", "-o", "addopts=", "-c", "/dev/null", str(tmp_path)),
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(HERE), "PATH": "/usr/bin:/bin"},
        timeout=120,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    grouped = re.findall(r"\[(gw\d)\] .* PASSED .*test_grouped", done.stdout)
    free = re.findall(r"\[(gw\d)\] .* PASSED .*test_free", done.stdout)
    assert len(grouped) == 8 and len(free) == 8, done.stdout
    assert len(set(grouped)) == 1, f"the group ran on {sorted(set(grouped))}"
    # the rest is still spread: both workers took part
    assert len(set(grouped) | set(free)) == 2, done.stdout
