"""`indru-data new-table NAME` (CONTRIBUTING.md, "Adding a table"): scaffold, then a valid package."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import copy_package

import indru_data
from indru_data.cli import main
from indru_data.core.descriptor import DataPackage
from indru_data.validation import validate


def test_new_table_gives_a_valid_package_with_the_table(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    descriptor = copy_package(tmp_path)
    code = main(
        ["new-table", "port_calls", "--package", str(descriptor), "--grain", "One row per call."]
    )
    out = capsys.readouterr().out
    assert code == 0, out
    assert "wrote" in out and "CONTRIBUTING.md" in out
    schema = json.loads((tmp_path / "schemas" / "port_calls.schema.json").read_text())
    assert schema["x-grain"] == "One row per call."
    assert schema["primaryKey"] == ["record_id"]
    assert (tmp_path / "data" / "port_calls.csv").read_text() == "record_id,source_id,notes\n"
    assert (tmp_path / "data" / "parquet" / "port_calls.parquet").is_file()  # built
    pkg = DataPackage(descriptor)
    assert "port_calls" in pkg.tables
    resource = next(r for r in pkg.descriptor["resources"] if r["name"] == "port_calls")
    assert resource["hash"].startswith("sha256:") and resource["bytes"] == 26  # stamped
    report = validate(descriptor)
    assert report.valid, report.to_text()
    frame = indru_data.load("port_calls", package=descriptor)
    assert list(frame.columns) == ["record_id", "source_id", "notes"] and frame.empty


def test_the_scaffolded_table_checks_its_rows(tmp_path: Path) -> None:
    """A row added to the new table is checked like any other: its source must resolve."""
    descriptor = copy_package(tmp_path)
    assert main(["new-table", "port_calls", "--package", str(descriptor)]) == 0
    csv = tmp_path / "data" / "port_calls.csv"
    csv.write_text(csv.read_text() + "call-1,no-such-source,\n")
    report = validate(descriptor)
    assert not report.valid
    assert any(f.table == "port_calls" and f.column == "source_id" for f in report.failures)


@pytest.mark.parametrize(
    ("name", "message"),
    [("trade_annual", "already exists"), ("Bad-Name", "table name"), ("x", "table name")],
)
def test_new_table_refuses_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, message: str
) -> None:
    descriptor = copy_package(tmp_path)
    before = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    assert main(["new-table", name, "--package", str(descriptor)]) == 1
    assert message in capsys.readouterr().err
    after = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    assert after == before


def test_a_failed_build_puts_everything_back(tmp_path: Path) -> None:
    """An invalid package is refused by build; the scaffold's own files are removed again."""
    descriptor = copy_package(tmp_path)
    sources = tmp_path / "data" / "sources.csv"
    sources.write_text(sources.read_text() + "broken\n")  # the package is now invalid
    before = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    assert main(["new-table", "port_calls", "--package", str(descriptor)]) == 1
    after = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    assert after == before
