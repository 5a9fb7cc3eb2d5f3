"""`import indru_data`, load() and `indru-data list` must not pay for pandera or frictionless."""

from __future__ import annotations

import subprocess
import sys

import pytest
from conftest import DESCRIPTOR, ROOT

HEAVY = ("pandera", "frictionless")

PROBE = """
import sys
{code}
heavy = [m for m in {heavy!r} if m in sys.modules]
print(",".join(heavy))
"""


def run(code: str) -> str:
    out = subprocess.run(
        [sys.executable, "-c", PROBE.format(code=code, heavy=HEAVY)],
        capture_output=True,
        text=True,
        check=True,
    )
    return out.stdout.strip().splitlines()[-1] if out.stdout.strip() else ""


def test_import_is_light() -> None:
    assert run("import indru_data") == ""


def test_load_is_light() -> None:
    assert run("import indru_data\nfor t in indru_data.tables(): indru_data.load(t)") == ""


def test_diff_is_light() -> None:
    code = f"import indru_data\nd = indru_data.diff({str(DESCRIPTOR)!r}, {str(ROOT)!r})\n"
    assert run(code + "assert not d.has_changes") == ""


def test_csv_load_and_field_docs_are_light() -> None:
    code = (
        "import indru_data\nfor t in indru_data.tables():\n"
        "    indru_data.load(t, 'csv'); indru_data.fields(t); indru_data.load(t)"
    )
    assert run(code) == ""


@pytest.mark.parametrize(
    "args",
    [["--help"], ["list"], ["list", "--format", "json"], ["--version"], ["describe", "un_votes"]],
)
def test_cli_process_never_imports_them(args: list[str]) -> None:
    """The command as a user runs it: every module the whole process imports is listed."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "indru_data.cli", *args],
        capture_output=True,
        text=True,
        check=True,
    )
    imported = {
        line.rsplit("|", 1)[-1].strip().split(".")[0]
        for line in done.stderr.splitlines()
        if line.startswith("import time:")
    }
    assert "indru_data" in imported  # the probe sees the package's own imports
    assert not imported & set(HEAVY), sorted(imported & set(HEAVY))


def test_cli_list_and_help_are_light() -> None:
    code = (
        "from indru_data.cli import main\nimport contextlib, io\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n    main(['list'])\n"
        "    try:\n        main(['--help'])\n    except SystemExit:\n        pass"
    )
    assert run(code) == ""


@pytest.mark.slow
def test_validate_does_import_them() -> None:
    # the probe itself can fail: validation really loads both libraries
    assert run("import indru_data\nindru_data.validate()") == "pandera,frictionless"
