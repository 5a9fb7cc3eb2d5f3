"""`indru-data release` and its zip: refusals, what it writes, and a zip that is reproducible
and a valid Frictionless data package."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
from conftest import ROOT, BrokenCopy

from indru_data.core.citation import read_citation
from indru_data.core.releases import list_releases
from indru_data.release.publish import ReleaseError, dated_changelog, release
from indru_data.release.snapshots import snapshot_release, verify_release

DATE = "2030-01-02"


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
def test_release_turns_a_development_version_into_the_release(checkout: BrokenCopy) -> None:
    """9.0.0.dev0 in _version.py, datapackage.json and CITATION.cff becomes 9.0.0 in all
    three; the snapshot (verified), the dated CHANGELOG, the zip and releases/index.json name
    9.0.0 with the zip's SHA-256; a second release of 9.0.0 is refused."""

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
    assert done.version == "9.0.0" and done.snapshot == checkout.root / "releases" / "9.0.0"
    assert verify_release(done.snapshot) == []
    assert [v for v, _ in list_releases(checkout.root / "releases")][-1] == "9.0.0"
    assert version_file.read_text() == '"""The version."""\n\n__version__ = "9.0.0"\n'
    assert DataPackage(checkout.descriptor).version == "9.0.0"
    assert DataPackage(done.snapshot).version == "9.0.0"
    cff = read_citation(checkout.root / "CITATION.cff")
    assert (cff["version"], str(cff["date-released"])) == ("9.0.0", DATE)
    assert "## 9.0.0 — 2030-01-02" in (checkout.root / "CHANGELOG.md").read_text()
    assert done.zip == checkout.root / "dist" / "indru-data-9.0.0.zip" and done.zip.is_file()
    record = read_release_index(checkout.root / "releases")["9.0.0"]
    assert record.date == DATE
    assert record.zip_sha256 == hashlib.sha256(done.zip.read_bytes()).hexdigest()
    assert list(read_release_index(checkout.root / "releases"))[-1] == "9.0.0"
    assert build(checkout.descriptor, check=True) == []  # the tree is consistent afterwards
    with pytest.raises(ReleaseError, match="already released"):
        release(checkout.root, date=DATE)


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
