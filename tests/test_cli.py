"""The indru-data command as a user types it."""

from __future__ import annotations

import json

import pytest
from conftest import cli


def test_list() -> None:
    out = cli("list")
    assert out.returncode == 0
    assert "trade_annual" in out.stdout and "sources" in out.stdout
    rows = json.loads(cli("list", "--format", "json").stdout)
    assert {r["name"] for r in rows} >= {"sources", "trade_annual"}
    assert all(r["rows"] > 0 for r in rows)
    # coverage is the period the rows describe, not a data vintage or other date column
    lines = {line.split()[0]: line for line in out.stdout.splitlines() if line.strip()}
    assert lines["unga_agreement"].endswith("1946 to 2019"), lines["unga_agreement"]
    assert lines["relationship_panel"].split()[-3] == "1992", lines["relationship_panel"]


def test_describe() -> None:
    out = cli("describe", "trade_annual")
    assert out.returncode == 0
    assert "value_usd_mn" in out.stdout and "fiscal_year_india" in out.stdout


def test_unknown_table_is_one_line_with_choices() -> None:
    out = cli("describe", "trade")
    assert out.returncode == 2
    assert out.stderr.strip().count("\n") == 0
    assert "valid tables: sources, trade_annual, " in out.stderr
    assert "Traceback" not in out.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["--help"],
        ["list", "--help"],
        ["describe", "--help"],
        ["validate", "--help"],
        ["build", "--help"],
        ["diff", "--help"],
    ],
)
def test_help_everywhere(args: list[str]) -> None:
    out = cli(*args)
    assert out.returncode == 0 and "usage:" in out.stdout


def test_bad_arguments() -> None:
    out = cli("validate", "--format", "xml")
    assert out.returncode == 2 and "invalid choice" in out.stderr
    out = cli("frobnicate")
    assert out.returncode == 2 and "Traceback" not in out.stderr


@pytest.mark.slow
def test_build_check_passes_on_the_repository() -> None:
    out = cli("build", "--check")
    assert out.returncode == 0, out.stdout


def test_missing_package_path(tmp_path) -> None:  # type: ignore[no-untyped-def]
    out = cli("list", "--package", str(tmp_path / "missing.json"))
    assert out.returncode == 2 and "not found" in out.stderr and "Traceback" not in out.stderr
