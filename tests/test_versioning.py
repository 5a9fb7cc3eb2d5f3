"""The versioning policy: the repository keeps to it, and a change that breaks it is caught."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from conftest import DESCRIPTOR, ROOT, BrokenCopy, copy_package, read_rows

import indru_data
from indru_data.core.descriptor import DataPackage, UnknownTableError
from indru_data.core.releases import (
    VersioningError,
    is_development,
    list_releases,
    parse_version,
    release_version,
)
from indru_data.release.diff import diff
from indru_data.release.history import history
from indru_data.release.snapshots import snapshot_release, verify_release
from indru_data.release.versioning import Bump, bump_between, check, required_bump

RELEASES = ROOT / "releases"


# --- the repository ------------------------------------------------------------------------


def test_repository_keeps_to_the_versioning_policy() -> None:
    """Fails when the schemas break the last release without a MAJOR bump, or the data changed
    without the bump it needs: see docs/versioning.md for the release steps."""
    result = check(DESCRIPTOR, RELEASES)
    assert result.ok, result.to_text()
    assert result.actual >= result.required


def test_last_release_is_an_intact_copy() -> None:
    """Each release folder matches its SHA256SUMS (releases are frozen) and keeps one Parquet
    file per table of its descriptor, with the descriptor's schemas."""
    found = list_releases(RELEASES)
    assert found and found[0][0] == "0.1.0"
    for version, descriptor in found:
        assert verify_release(descriptor.parent) == [], version
        pkg = DataPackage(descriptor)
        for table in pkg.tables.values():
            assert table.parquet_path.is_file() and table.schema_path.is_file(), (version, table)
            assert len(indru_data.load(table.name, version=version)) > 0
    assert parse_version(found[-1][0]) <= parse_version(indru_data.__version__, dev=True)


# --- check() on copies -----------------------------------------------------------------------
# The copies are compared with a release taken from the package itself and numbered 0.1.0, so
# these tests do not depend on how far the repository has moved past its own last release.


@pytest.fixture(scope="module")
def baseline(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A releases folder whose only release, 0.1.0, is the current package (made once per
    module: the tests only read it)."""
    tmp_path = tmp_path_factory.mktemp("baseline")
    base = BrokenCopy(tmp_path / "baseline")
    base.set_version("0.1.0")
    folder = tmp_path / "releases"
    snapshot_release(base.descriptor, folder)
    return folder


@pytest.fixture
def unreleased(broken: BrokenCopy) -> BrokenCopy:
    """A copy of the package at the baseline's version, not yet changed."""
    broken.set_version("0.1.0")
    return broken


def _rename(c: BrokenCopy) -> None:
    c.rename_column("arms_transfers", "description", "weapon_description")


def _correct_value(c: BrokenCopy) -> None:
    c.set_cell("trade_annual", 0, "value_usd_mn", "12345.6")


def _add_row(c: BrokenCopy) -> None:
    c.edit("trade_annual", lambda _h, rows: rows.append({**rows[0], "trade_id": "zz-new"}))


@pytest.mark.slow
@pytest.mark.parametrize(
    ("change", "needs", "too_small", "enough"),
    [
        (_rename, Bump.MAJOR, "0.2.0", "1.0.0"),
        (_add_row, Bump.MINOR, "0.1.1", "0.2.0"),
        (_correct_value, Bump.PATCH, "0.1.0", "0.1.1"),
    ],
)
def test_check_demands_the_bump_the_change_needs(
    unreleased: BrokenCopy,
    baseline: Path,
    change: Callable[[BrokenCopy], None],
    needs: Bump,
    too_small: str,
    enough: str,
) -> None:
    copy = unreleased
    change(copy)

    same = check(copy.descriptor, baseline)
    assert not same.ok and same.required == needs and same.actual == Bump.NONE
    assert f"need a {needs.name} bump, but 0.1.0 is the same version" in same.to_text()

    copy.set_version(too_small)
    small = check(copy.descriptor, baseline)
    assert not small.ok and small.required == needs

    copy.set_version(enough)
    bumped = check(copy.descriptor, baseline)
    assert bumped.ok, bumped.to_text()
    assert bumped.required == needs


@pytest.mark.slow
def test_unchanged_package_passes_with_the_same_version(
    unreleased: BrokenCopy, baseline: Path
) -> None:
    result = check(unreleased.descriptor, baseline)
    assert result.ok and result.required == Bump.NONE and result.actual == Bump.NONE


@pytest.mark.slow
def test_a_version_below_the_release_fails(unreleased: BrokenCopy, baseline: Path) -> None:
    unreleased.set_version("0.0.9")
    result = check(unreleased.descriptor, baseline)
    assert not result.ok
    assert "version 0.0.9 is lower than 0.1.0" in result.to_text()


@pytest.mark.slow
def test_duplicate_keys_make_the_check_fail(unreleased: BrokenCopy, baseline: Path) -> None:
    unreleased.set_version("0.2.0")
    unreleased.edit("trade_annual", lambda _h, rows: rows.append(dict(rows[0])))
    result = check(unreleased.descriptor, baseline)
    assert not result.ok and "incomplete" in result.to_text()


# --- classification --------------------------------------------------------------------------


def _field(schema: dict[str, Any], name: str) -> dict[str, Any]:
    (f,) = [f for f in schema["fields"] if f["name"] == name]
    return f


def _vocabulary_removed(c: BrokenCopy) -> None:
    c.edit_schema("trade_annual", lambda s: _field(s, "flow")["constraints"]["enum"].pop())


def _vocabulary_added(c: BrokenCopy) -> None:
    c.edit_schema(
        "trade_annual", lambda s: _field(s, "flow")["constraints"]["enum"].append("services")
    )


def _retyped(c: BrokenCopy) -> None:
    c.edit_schema("trade_annual", lambda s: _field(s, "months_covered").update(type="number"))


def _unit_changed(c: BrokenCopy) -> None:
    c.edit_schema("trade_annual", lambda s: _field(s, "value_usd_mn").update({"x-unit": "USD bn"}))


def _column_added(c: BrokenCopy) -> None:
    def csv(header: list[str], rows: list[dict[str, str]]) -> None:
        header.append("remark")
        for r in rows:
            r["remark"] = ""

    c.edit("trade_annual", csv)
    c.edit_schema("trade_annual", lambda s: s["fields"].append({"name": "remark"}))


def _column_removed(c: BrokenCopy) -> None:
    c.edit_schema(
        "trade_annual", lambda s: s.update(fields=[f for f in s["fields"] if f["name"] != "notes"])
    )


def _row_removed(c: BrokenCopy) -> None:
    c.edit("trade_annual", lambda _h, rows: rows.pop())


def _key_changed(c: BrokenCopy) -> None:
    c.edit_schema("arms_transfers", lambda s: s.update(primaryKey=["sipri_deal_id"]))


def _table_removed(c: BrokenCopy) -> None:
    c.edit_descriptor(
        lambda d: d.update(resources=[r for r in d["resources"] if r["name"] != "arms_transfers"])
    )


@pytest.mark.slow
@pytest.mark.parametrize(
    ("change", "bump"),
    [
        (_vocabulary_removed, Bump.MAJOR),
        (_retyped, Bump.MAJOR),
        (_unit_changed, Bump.MAJOR),
        (_column_removed, Bump.MAJOR),
        (_key_changed, Bump.MAJOR),
        (_table_removed, Bump.MAJOR),
        (_vocabulary_added, Bump.MINOR),
        (_column_added, Bump.MINOR),
        (_row_removed, Bump.MINOR),
        (_add_row, Bump.MINOR),
        (_correct_value, Bump.PATCH),
    ],
)
def test_required_bump(
    broken: BrokenCopy, change: Callable[[BrokenCopy], None], bump: Bump
) -> None:
    change(broken)
    assert required_bump(diff(DESCRIPTOR, broken.descriptor)) == bump


@pytest.mark.slow
def test_the_largest_change_decides(broken: BrokenCopy) -> None:
    _correct_value(broken)
    _add_row(broken)
    assert required_bump(diff(DESCRIPTOR, broken.descriptor)) == Bump.MINOR
    _rename(broken)
    assert required_bump(diff(DESCRIPTOR, broken.descriptor)) == Bump.MAJOR


@pytest.mark.parametrize(
    ("old", "new", "bump"),
    [
        ("0.1.0", "1.0.0", Bump.MAJOR),
        ("0.1.0", "0.2.0", Bump.MINOR),
        ("0.1.0", "0.1.1", Bump.PATCH),
        ("0.1.0", "0.1.0", Bump.NONE),
        ("0.9.0", "0.10.0", Bump.MINOR),
    ],
)
def test_bump_between(old: str, new: str, bump: Bump) -> None:
    assert bump_between(old, new) == bump


@pytest.mark.parametrize("bad", ["1.0", "v1.0.0", "1.0.0-rc1", ""])
def test_versions_must_be_major_minor_patch(bad: str) -> None:
    with pytest.raises(VersioningError, match=re.escape("MAJOR.MINOR.PATCH")):
        parse_version(bad)


@pytest.mark.parametrize("bad", ["1.0.dev0", "1.0.0rc1.dev0", "1.0.0.post1.dev0", "1.0.0.dev0+x"])
def test_a_development_version_is_major_minor_patch_dev_n(bad: str) -> None:
    assert parse_version("0.3.0.dev0", dev=True).base_version == "0.3.0"
    with pytest.raises(VersioningError, match=re.escape("MAJOR.MINOR.PATCH")):
        parse_version("0.3.0.dev0")  # never a release
    with pytest.raises(VersioningError, match=re.escape("or MAJOR.MINOR.PATCH.devN")):
        parse_version(bad, dev=True)


@pytest.mark.parametrize(
    ("old", "new", "bump"),
    [
        ("0.2.0", "0.3.0.dev0", Bump.MINOR),
        ("0.2.0", "1.0.0.dev2", Bump.MAJOR),
        ("0.2.0", "0.2.1.dev0", Bump.PATCH),
    ],
)
def test_a_development_version_counts_as_the_release_it_leads_to(
    old: str, new: str, bump: Bump
) -> None:
    assert bump_between(old, new) == bump
    assert release_version(new) == new.split(".dev")[0]
    assert is_development(new) and not is_development(release_version(new))


def test_a_development_version_of_a_release_is_lower_than_it() -> None:
    with pytest.raises(VersioningError, match=re.escape("version 0.2.0.dev0 is lower than 0.2.0")):
        bump_between("0.2.0", "0.2.0.dev0")


@pytest.mark.slow
def test_check_accepts_a_development_version(unreleased: BrokenCopy, baseline: Path) -> None:
    _add_row(unreleased)
    unreleased.set_version("0.2.0.dev0")
    result = check(unreleased.descriptor, baseline)
    assert result.ok and result.actual == Bump.MINOR, result.to_text()
    unreleased.set_version("0.1.1.dev0")
    assert not check(unreleased.descriptor, baseline).ok


# --- releases/ -------------------------------------------------------------------------------


@pytest.mark.slow
def test_snapshot_release_keeps_parquet_and_refuses_to_overwrite(tmp_path: Path) -> None:
    from indru_data.core.tableio import read_csv, read_parquet

    copy = BrokenCopy(tmp_path / "pkg")
    copy.set_cell("un_votes", 0, "notes", "edited after the last build")  # Parquet now stale
    descriptor = copy.descriptor
    folder = tmp_path / "releases"
    copy.set_version("0.3.0.dev0")
    with pytest.raises(VersioningError, match=re.escape("is not MAJOR.MINOR.PATCH")):
        snapshot_release(descriptor, folder)  # a development version is never kept
    copy.set_version("0.3.0")
    target = snapshot_release(descriptor, folder)
    assert target == folder / "0.3.0"
    assert (target / "datapackage.json").read_bytes() == descriptor.read_bytes()
    kept = DataPackage(target)
    for table in DataPackage(descriptor).tables.values():
        assert (target / "schemas" / table.schema_path.name).read_bytes() == (
            table.schema_path.read_bytes()
        )
        assert not (target / table.path.relative_to(descriptor.parent)).exists()  # no CSV
        # built from the CSV, not copied from a possibly stale Parquet file
        assert read_parquet(kept.table(table.name)).equals(read_csv(table)), table.name
    assert verify_release(target) == []
    assert not diff(descriptor, target).has_changes
    with pytest.raises(VersioningError, match="already exists"):
        snapshot_release(descriptor, folder)
    (target / "data" / "parquet" / "un_votes.parquet").write_bytes(b"x")
    assert "differs from SHA256SUMS" in verify_release(target)[0]


def test_releases_sort_by_version_not_by_name(tmp_path: Path) -> None:
    folder = tmp_path / "releases"
    for version in ("0.9.0", "0.10.0", "0.2.0"):
        c = BrokenCopy(tmp_path / version)
        c.set_version(version)
        snapshot_release(c.descriptor, folder)
    assert [v for v, _ in list_releases(folder)] == ["0.2.0", "0.9.0", "0.10.0"]


def test_a_release_folder_must_match_its_version(tmp_path: Path) -> None:
    copy_package(tmp_path / "releases" / "9.9.9")  # a folder name the package's version is not
    with pytest.raises(
        VersioningError, match=re.escape(f"says version '{indru_data.__version__}'")
    ):
        list_releases(tmp_path / "releases")


# --- history ---------------------------------------------------------------------------------


@pytest.mark.slow
def test_history_follows_rows_through_releases(tmp_path: Path) -> None:
    """0.1.0; then 0.2.0 changes row 0 and adds a row; then the working copy removes row 1."""
    folder = tmp_path / "releases"
    first = BrokenCopy(tmp_path / "v1")
    first.set_version("0.1.0")
    snapshot_release(first.descriptor, folder)

    second = BrokenCopy(tmp_path / "v2")
    _correct_value(second)
    _add_row(second)
    second.set_version("0.2.0")
    snapshot_release(second.descriptor, folder)

    current = BrokenCopy(tmp_path / "current")
    _correct_value(current)

    def remove_second_add_one(_h: list[str], rows: list[dict[str, str]]) -> None:
        rows.append({**rows[0], "trade_id": "zz-new"})
        del rows[1]

    current.edit("trade_annual", remove_second_add_one)
    current.set_version("0.2.0")

    _, rows = read_rows(first.csv("trade_annual"))
    h = history("trade_annual", package=current.descriptor, releases=folder).set_index("key")
    unreleased = "0.2.0+unreleased"
    assert list(h.columns) == ["first_version", "last_changed_version", "removed_in_version"]
    assert h.loc[rows[0]["trade_id"]].tolist() == ["0.1.0", "0.2.0", pd.NA]
    assert h.loc["zz-new"].tolist() == ["0.2.0", "0.2.0", pd.NA]
    assert h.loc[rows[2]["trade_id"]].tolist() == ["0.1.0", "0.1.0", pd.NA]
    assert h.loc[rows[1]["trade_id"]].tolist() == ["0.1.0", "0.1.0", unreleased]
    assert len(h) == len(rows) + 1
    assert h.index[-1] == rows[1]["trade_id"]  # removed rows come after the current ones


def test_history_of_the_repository() -> None:
    h = history("arms_transfers", package=DESCRIPTOR, releases=RELEASES)
    keys = indru_data.load("arms_transfers", "csv", package=DESCRIPTOR)["transfer_id"]
    assert h["key"].tolist()[: len(keys)] == keys.tolist()
    assert h["first_version"].notna().all()
    assert indru_data.history("arms_transfers", package=DESCRIPTOR, releases=RELEASES).equals(h)


def test_history_needs_a_releases_folder(tmp_path: Path) -> None:
    with pytest.raises(VersioningError, match="no releases folder"):
        history("trade_annual", package=DESCRIPTOR, releases=tmp_path / "nowhere")
    with pytest.raises(UnknownTableError):
        history("trade", package=DESCRIPTOR, releases=RELEASES)


def test_documented_release_commands_run_from_the_checkout() -> None:
    """docs/versioning.md: `indru-data diff <last> . --format markdown`, by version number."""
    import subprocess
    import sys

    doc = (ROOT / "docs" / "versioning.md").read_text(encoding="utf-8")
    last = list_releases(RELEASES)[-1][0]
    assert "indru-data diff <last> ." in doc and "indru-data release" in doc
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "indru_data.cli",
            "diff",
            last,
            ".",
            "--format",
            "markdown",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith(("Changes from data package version", "No changes from"))
    assert f"version {last} to {indru_data.__version__}" in out.stdout
