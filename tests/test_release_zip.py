"""The release zip: reproducible byte for byte, complete with checksums, a valid Frictionless
data package, with its database and workbook. (Apart from tests/test_release.py so that the
two run on different workers.)"""

from __future__ import annotations

import hashlib
import io
import sqlite3
import zipfile
from pathlib import Path

import pytest
from conftest import ROOT

from indru_data.core.citation import read_citation
from indru_data.release.publish import release_zip

DATE = "2030-01-02"


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The checkout's wheel at the release date, built once: the release zip carries it."""
    from indru_data.release.publish import build_wheel

    return build_wheel(ROOT, tmp_path_factory.mktemp("wheel"), DATE)


@pytest.fixture(scope="module")
def release_zip_path(tmp_path_factory: pytest.TempPathFactory, wheel: Path) -> Path:
    return release_zip(output=tmp_path_factory.mktemp("zip") / "r.zip", date=DATE, wheel=wheel)


@pytest.mark.slow
def test_zip_is_byte_identical_on_rebuild(
    release_zip_path: Path, wheel: Path, tmp_path: Path
) -> None:
    again = release_zip(output=tmp_path / "again.zip", date=DATE, wheel=wheel)
    assert again.read_bytes() == release_zip_path.read_bytes()
    # The date is the only input besides the files: every entry, and the workbook's own
    # timestamps, carry the release date rather than the time the zip was made.
    with zipfile.ZipFile(again) as z:
        assert {i.date_time for i in z.infolist()} == {(2030, 1, 2, 0, 0, 0)}
        (book,) = [n for n in z.namelist() if n.endswith(".xlsx")]
        with zipfile.ZipFile(io.BytesIO(z.read(book))) as x:
            assert {i.date_time for i in x.infolist()} == {(2030, 1, 2, 0, 0, 0)}
            assert b"2030-01-02T00:00:00Z" in x.read("docProps/core.xml")


@pytest.mark.slow
def test_zip_holds_everything_with_checksums(release_zip_path: Path) -> None:
    with zipfile.ZipFile(release_zip_path) as z:
        names = z.namelist()
        version = read_citation(ROOT / "CITATION.cff")["version"]
        for want in (
            "datapackage.json",
            "data/trade_annual.csv",
            "schemas/trade_annual.schema.json",
            f"indru-data-{version}.sqlite",
            f"indru-data-{version}.xlsx",
            "CITATION.cff",
            "codebook.md",
            "SHA256SUMS",
        ):
            assert want in names, want
        assert z.read("data/trade_annual.csv") == (ROOT / "data" / "trade_annual.csv").read_bytes()
        sums = z.read("SHA256SUMS").decode().splitlines()
        assert len(sums) == len(names) - 1
        for line in sums:
            digest, name = line.split("  ", 1)
            assert hashlib.sha256(z.read(name)).hexdigest() == digest, name
        assert all(i.date_time == (2030, 1, 2, 0, 0, 0) for i in z.infolist())


@pytest.mark.slow
def test_zip_is_a_valid_frictionless_package(release_zip_path: Path, tmp_path: Path) -> None:
    from frictionless import Package

    report = Package(str(release_zip_path)).validate()
    assert report.valid, report.flatten(["type", "message"])[:5]
    assert len(report.tasks) >= 17 and all(t.stats["rows"] > 0 for t in report.tasks)
    # and the check can fail: a zip whose CSV was edited after its hash was recorded
    with (
        zipfile.ZipFile(release_zip_path) as src,
        zipfile.ZipFile(tmp_path / "bad.zip", "w") as dst,
    ):
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "data/un_votes.csv":
                data = data.replace(b",abstain,", b",abstaiN,", 1)
            dst.writestr(info, data)
    # (the edited table alone: the whole package was validated above)
    bad = Package(str(tmp_path / "bad.zip")).get_resource("un_votes").validate()
    assert not bad.valid
    types = {e["type"] for t in bad.to_dict()["tasks"] for e in t["errors"]}
    assert {"hash-count", "constraint-error"} <= types, types


@pytest.mark.slow
def test_zip_database_and_workbook(release_zip_path: Path, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    with zipfile.ZipFile(release_zip_path) as z:
        z.extractall(tmp_path)
    (db,) = tmp_path.glob("*.sqlite")
    con = sqlite3.connect(db)
    fks = con.execute("PRAGMA foreign_key_list(trade_annual)").fetchall()
    assert any(fk[2] == "sources" for fk in fks)
    (book,) = tmp_path.glob("*.xlsx")
    wb = load_workbook(book, read_only=True)  # names and properties only: no cell is parsed
    assert "codebook" in wb.sheetnames and "trade_annual" in wb.sheetnames
    assert str(wb.properties.created).startswith("2030-01-02")


@pytest.mark.slow
def test_the_zip_carries_the_wheel_built_at_the_release_date(
    release_zip_path: Path, wheel: Path
) -> None:
    """For people without git: the release's wheel, in the zip and in SHA256SUMS, its file
    times the release date (the same checkout and date give the same wheel)."""
    with zipfile.ZipFile(wheel) as w:
        assert {i.date_time[:3] for i in w.infolist()} == {(2030, 1, 2)}
        assert any(n.endswith("data/trade_annual.csv") for n in w.namelist())
    with zipfile.ZipFile(release_zip_path) as z:
        assert z.read(wheel.name) == wheel.read_bytes()
        sums = z.read("SHA256SUMS").decode()
        assert f"{hashlib.sha256(wheel.read_bytes()).hexdigest()}  {wheel.name}" in sums
