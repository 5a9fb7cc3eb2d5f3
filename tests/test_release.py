"""`indru-data release` and its zip: refusals, what it writes, and a zip that is reproducible
and a valid Frictionless data package."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
import zipfile
from pathlib import Path

import pytest
from conftest import ROOT, BrokenCopy

from indru_data.core.citation import read_citation
from indru_data.core.releases import list_releases
from indru_data.release.publish import ReleaseError, dated_changelog, release, release_zip
from indru_data.release.snapshots import snapshot_release, verify_release

DATE = "2030-01-02"


@pytest.fixture(scope="module")
def release_zip_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return release_zip(output=tmp_path_factory.mktemp("zip") / "r.zip", date=DATE)


@pytest.mark.slow
def test_zip_is_byte_identical_on_rebuild(release_zip_path: Path, tmp_path: Path) -> None:
    again = release_zip(output=tmp_path / "again.zip", date=DATE)
    assert again.read_bytes() == release_zip_path.read_bytes()
    other_day = release_zip(output=tmp_path / "other.zip", date="2030-01-03")
    assert other_day.read_bytes() != again.read_bytes()  # the date is the only input besides files


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
    bad = Package(str(tmp_path / "bad.zip")).validate()
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
    wb = load_workbook(book)
    assert "codebook" in wb.sheetnames and "trade_annual" in wb.sheetnames
    assert str(wb.properties.created).startswith("2030-01-02")


def test_dated_changelog() -> None:
    text = "# Changelog\n\n## 1.2.0 — unreleased\n\nx\n\n## 1.1.0 — 2029-01-01\n"
    assert "## 1.2.0 — 2030-01-02\n" in dated_changelog(text, "1.2.0", DATE)
    with pytest.raises(ReleaseError, match="no entry"):
        dated_changelog(text, "1.3.0", DATE)


# --- the command on a copy of the checkout ---------------------------------------------------


@pytest.fixture
def checkout(tmp_path: Path) -> BrokenCopy:
    """A copy of the package as a checkout at a new version 9.0.0, with the repository's last
    release kept beside it."""
    copy = BrokenCopy(tmp_path / "repo")
    shutil.copytree(ROOT / "releases", copy.root / "releases")
    for name in ("CITATION.cff",):
        shutil.copy2(ROOT / name, copy.root / name)
    (copy.root / "docs").mkdir()
    shutil.copy2(ROOT / "docs" / "codebook.md", copy.root / "docs" / "codebook.md")
    (copy.root / "CHANGELOG.md").write_text("# Changelog\n\n## 9.0.0 — unreleased\n\n- x\n")
    copy.set_version("9.0.0")
    return copy


@pytest.mark.slow
def test_release_writes_the_snapshot_the_dates_and_the_zip(checkout: BrokenCopy) -> None:
    done = release(checkout.root, date=DATE)
    assert done.version == "9.0.0" and done.snapshot == checkout.root / "releases" / "9.0.0"
    assert verify_release(done.snapshot) == []
    assert [v for v, _ in list_releases(checkout.root / "releases")][-1] == "9.0.0"
    assert "## 9.0.0 — 2030-01-02" in (checkout.root / "CHANGELOG.md").read_text()
    cff = read_citation(checkout.root / "CITATION.cff")
    assert (cff["version"], str(cff["date-released"])) == ("9.0.0", DATE)
    assert done.zip == checkout.root / "dist" / "indru-data-9.0.0.zip" and done.zip.is_file()
    with pytest.raises(ReleaseError, match="already released"):
        release(checkout.root, date=DATE)


@pytest.mark.slow
def test_release_turns_a_development_version_into_the_release(checkout: BrokenCopy) -> None:
    """9.0.0.dev0 in _version.py, datapackage.json and CITATION.cff becomes 9.0.0 in all
    three; the snapshot, the zip and releases/index.json name 9.0.0 with the zip's SHA-256."""
    import hashlib

    from indru_data.core.descriptor import DataPackage
    from indru_data.core.releases import read_release_index
    from indru_data.release.build import build
    from indru_data.release.publish import VERSION_FILE

    checkout.set_version("9.0.0.dev0")
    version_file = checkout.root / VERSION_FILE
    version_file.parent.mkdir(parents=True)
    version_file.write_text('"""The version."""\n\n__version__ = "9.0.0.dev0"\n')
    build(checkout.descriptor)
    assert read_citation(checkout.root / "CITATION.cff")["version"] == "9.0.0.dev0"
    done = release(checkout.root, date=DATE)
    assert done.version == "9.0.0" and done.snapshot.name == "9.0.0"
    assert version_file.read_text() == '"""The version."""\n\n__version__ = "9.0.0"\n'
    assert DataPackage(checkout.descriptor).version == "9.0.0"
    assert DataPackage(done.snapshot).version == "9.0.0"
    cff = read_citation(checkout.root / "CITATION.cff")
    assert (cff["version"], str(cff["date-released"])) == ("9.0.0", DATE)
    assert "## 9.0.0 — 2030-01-02" in (checkout.root / "CHANGELOG.md").read_text()
    assert done.zip.name == "indru-data-9.0.0.zip"
    record = read_release_index(checkout.root / "releases")["9.0.0"]
    assert record.date == DATE
    assert record.zip_sha256 == hashlib.sha256(done.zip.read_bytes()).hexdigest()
    assert list(read_release_index(checkout.root / "releases"))[-1] == "9.0.0"
    assert build(checkout.descriptor, check=True) == []  # the tree is consistent afterwards


def _unchanged(checkout: BrokenCopy) -> dict[str, bytes]:
    return {
        str(p.relative_to(checkout.root)): p.read_bytes()
        for p in sorted(checkout.root.rglob("*"))
        if p.is_file()
    }


@pytest.mark.slow
def test_release_refuses_an_invalid_package_and_writes_nothing(checkout: BrokenCopy) -> None:
    checkout.set_cell("trade_annual", 0, "value_usd_mn", "-5")
    # `indru-data build` refuses an invalid package now, so bring Parquet up to date by hand:
    # the release must be refused for the invalid value, not for stale files.
    from indru_data.core.descriptor import DataPackage
    from indru_data.core.tableio import read_csv, write_parquet

    table = DataPackage(checkout.descriptor).table("trade_annual")
    write_parquet(read_csv(table), table)
    before = _unchanged(checkout)
    with pytest.raises(ReleaseError, match="not valid"):
        release(checkout.root, date=DATE)
    assert _unchanged(checkout) == before


@pytest.mark.slow
def test_release_refuses_stale_files_and_a_missing_entry(checkout: BrokenCopy) -> None:
    checkout.set_cell("un_votes", 0, "notes", "edited, Parquet not rebuilt")
    with pytest.raises(ReleaseError, match="stale"):
        release(checkout.root, date=DATE)
    from indru_data.release.build import build

    build(checkout.descriptor)
    (checkout.root / "CHANGELOG.md").write_text("# Changelog\n\n## 8.0.0 — 2029-01-01\n")
    before = _unchanged(checkout)
    with pytest.raises(ReleaseError, match="no entry"):
        release(checkout.root, date=DATE)
    assert _unchanged(checkout) == before


@pytest.mark.slow
def test_release_refuses_a_version_not_bumped_enough(checkout: BrokenCopy, tmp_path: Path) -> None:
    """Last release 9.0.0 kept beside it; 9.0.1 adds a vocabulary value, which needs MINOR."""
    snapshot_release(checkout.descriptor, checkout.root / "releases")

    def add_value(schema: dict[str, object]) -> None:
        (field,) = [f for f in schema["fields"] if f["name"] == "india_vote"]  # type: ignore[attr-defined]
        field["constraints"]["enum"].append("not_present")

    checkout.edit_schema("un_votes", add_value)
    checkout.set_version("9.0.1")
    from indru_data.release.build import build

    build(checkout.descriptor)
    (checkout.root / "CHANGELOG.md").write_text("# Changelog\n\n## 9.0.1 — unreleased\n")
    with pytest.raises(ReleaseError, match="MINOR"):
        release(checkout.root, date=DATE)


def test_cli_release_outside_a_checkout_is_a_one_line_error(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import indru_data.release.publish as rel
    from indru_data.cli import main

    def refuse(**_kw: object) -> None:
        raise ReleaseError("version 0.2.0 is already released: releases/0.2.0")

    monkeypatch.setattr(rel, "release", refuse)
    assert main(["release", "--date", DATE]) == 1
    err = capsys.readouterr().err
    assert err.startswith("indru-data: error: version 0.2.0 is already released")
