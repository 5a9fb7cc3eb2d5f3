"""The versioning policy of the data package, checked against the last release kept in releases/.

Semantic versioning, applied to data (see docs/versioning.md):

- MAJOR: a change that can break a user's code: a table, column or vocabulary value removed,
  a column renamed or retyped or its unit changed, a primary key changed.
- MINOR: something added or withdrawn that existing code still reads: a table, column or
  vocabulary value added, rows added or removed.
- PATCH: corrections of values in existing rows.
- NONE: nothing in the data or schemas changed.

`check()` compares the current package with the newest release in releases/ and says whether
the version was bumped enough; `history()` follows each row through every release.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import IntEnum
from pathlib import Path
from typing import Any

import pandas as pd

from .descriptor import DESCRIPTOR_NAME, DataPackage, DescriptorError, packaged
from .diff import (
    COLUMN_ADDED,
    COLUMN_REMOVED,
    COLUMN_RENAMED,
    COLUMN_RETYPED,
    PRIMARY_KEY_CHANGED,
    ROW_ADDED,
    ROW_CHANGED,
    ROW_REMOVED,
    TABLE_ADDED,
    TABLE_REMOVED,
    UNIT_CHANGED,
    VOCABULARY_ADDED,
    VOCABULARY_REMOVED,
    PackageDiff,
    diff,
    read_table,
    row_keys,
)

RELEASES_DIR = "releases"

MAJOR_CHANGES = frozenset(
    {
        TABLE_REMOVED,
        COLUMN_REMOVED,
        COLUMN_RENAMED,
        COLUMN_RETYPED,
        UNIT_CHANGED,
        VOCABULARY_REMOVED,
        PRIMARY_KEY_CHANGED,
    }
)
MINOR_CHANGES = frozenset({TABLE_ADDED, COLUMN_ADDED, VOCABULARY_ADDED})

_VERSION = re.compile(r"(\d+)\.(\d+)\.(\d+)")


class VersioningError(Exception):
    """A version that is not MAJOR.MINOR.PATCH, or a releases/ folder that cannot be used."""


class Bump(IntEnum):
    """How much a version must go up; ordered, so max() of several is the one needed."""

    NONE = 0
    PATCH = 1
    MINOR = 2
    MAJOR = 3


def parse_version(version: str) -> tuple[int, int, int]:
    match = _VERSION.fullmatch(version.strip())
    if not match:
        raise VersioningError(f"version {version!r} is not MAJOR.MINOR.PATCH (e.g. 0.2.0)")
    major, minor, patch = (int(g) for g in match.groups())
    return major, minor, patch


def bump_between(old: str, new: str) -> Bump:
    """The bump from version `old` to `new`; raises VersioningError when `new` is lower."""
    a, b = parse_version(old), parse_version(new)
    if b < a:
        raise VersioningError(f"version {new} is lower than {old}")
    if b[0] > a[0]:
        return Bump.MAJOR
    if b[1] > a[1]:
        return Bump.MINOR
    return Bump.PATCH if b[2] > a[2] else Bump.NONE


def required_bump(d: PackageDiff) -> Bump:
    """The smallest bump the changes in `d` need under the policy above."""
    return max((bump for bump, _ in _reasons(d)), default=Bump.NONE)


def reasons(d: PackageDiff) -> list[str]:
    """Why `required_bump(d)` is what it is: the changes that call for it, one line each."""
    need = required_bump(d)
    return [why for bump, why in _reasons(d) if bump == need and bump != Bump.NONE]


def _reasons(d: PackageDiff) -> list[tuple[Bump, str]]:
    from .diff_render import describe_schema_change

    out: list[tuple[Bump, str]] = []
    for change in d.schema.astype(object).to_dict(orient="records"):
        kind = change["change"]
        bump = Bump.MAJOR if kind in MAJOR_CHANGES else Bump.MINOR
        if kind in MAJOR_CHANGES or kind in MINOR_CHANGES:
            out.append((bump, f"{change['table']}: {describe_schema_change(change)}"))
    for row in d.summary.astype(object).to_dict(orient="records"):
        if row["status"] not in ("changed", "unchanged"):
            continue  # a whole table added or removed is a schema change above
        added, removed = _count(row["rows_added"]), _count(row["rows_removed"])
        cells, rows = _count(row["cells_changed"]), _count(row["rows_changed"])
        if added:
            out.append((Bump.MINOR, f"{row['table']}: {added} row(s) added"))
        if removed:
            out.append((Bump.MINOR, f"{row['table']}: {removed} row(s) removed"))
        if cells:
            out.append((Bump.PATCH, f"{row['table']}: {cells} value(s) changed in {rows} row(s)"))
    return out


def _count(value: Any) -> int:
    return 0 if value is None or value is pd.NA else int(value)


# --- releases/ ---------------------------------------------------------------------------


def releases_dir(package: DataPackage) -> Path:
    """The releases/ folder beside a package's datapackage.json (a checkout of indru-data)."""
    return package.root / RELEASES_DIR


def list_releases(folder: str | Path) -> list[tuple[str, Path]]:
    """Every release in `folder` as (version, datapackage.json), oldest first.

    A release is a sub-folder named by its version holding a datapackage.json whose version
    is that name.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise VersioningError(
            f"no releases folder at {folder}; a checkout of indru-data keeps one "
            "(see docs/versioning.md), or pass releases=PATH"
        )
    found: list[tuple[tuple[int, int, int], str, Path]] = []
    for sub in folder.iterdir():
        descriptor = sub / DESCRIPTOR_NAME
        if not (sub.is_dir() and _VERSION.fullmatch(sub.name) and descriptor.is_file()):
            continue
        stated = DataPackage(descriptor).version
        if stated != sub.name:
            raise VersioningError(f"{descriptor} says version {stated!r}, its folder {sub.name!r}")
        found.append((parse_version(sub.name), sub.name, descriptor))
    if not found:
        raise VersioningError(f"no release (a folder such as 0.1.0/{DESCRIPTOR_NAME}) in {folder}")
    return [(version, path) for _, version, path in sorted(found)]


RELEASE_SUMS = "SHA256SUMS"


def release_files(package: DataPackage) -> dict[str, bytes]:
    """What a release keeps, by path inside its folder: the descriptor as released, the
    schemas it names and one Parquet file per table (built from the CSV here, so a stale
    Parquet copy can never be released), plus SHA256SUMS over all of them.

    The CSV files are not kept: the Parquet files hold the same typed values (compact, and
    what `load(..., version=...)`, `diff` and `history` read); the descriptor still records
    each CSV's hash and size as released, and the release zip carries the CSVs themselves.
    """
    from .build import parquet_bytes
    from .tableio import read_csv

    files: dict[str, bytes] = {DESCRIPTOR_NAME: package.path.read_bytes()}
    for table in package.tables.values():
        files[table.schema_path.relative_to(package.root).as_posix()] = (
            table.schema_path.read_bytes()
        )
        parquet = f"data/parquet/{table.name}.parquet"
        files[parquet] = parquet_bytes(read_csv(table), table)
    files[RELEASE_SUMS] = sha256sums(files)
    return files


def sha256sums(files: dict[str, bytes]) -> bytes:
    """`sha256sum` format, sorted by path: `sha256sum -c SHA256SUMS` checks it."""
    import hashlib

    lines = [f"{hashlib.sha256(files[name]).hexdigest()}  {name}\n" for name in sorted(files)]
    return "".join(lines).encode("utf-8")


def snapshot_release(
    package: str | Path | None = None,
    folder: str | Path | None = None,
    *,
    replace: bool = False,
) -> Path:
    """Keep a package as releases/<version>/ (see release_files); returns the new folder.

    Refuses to overwrite an existing release unless `replace=True`. Written whole or not at
    all. The descriptor's resources must name Parquet files at data/parquet/<table>.parquet.
    """
    from ._files import write_directory_atomic

    pkg = DataPackage(package) if package is not None else packaged()
    parse_version(pkg.version)
    dest = Path(folder) if folder is not None else releases_dir(pkg)
    target = dest / pkg.version
    if target.exists() and not replace:
        raise VersioningError(f"release {pkg.version} already exists: {target}")
    files = release_files(pkg)

    def fill(tmp: Path) -> None:
        for name, content in files.items():
            out = tmp / name
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_bytes(content)

    dest.mkdir(parents=True, exist_ok=True)
    write_directory_atomic(target, fill)
    return target


def verify_release(folder: str | Path) -> list[str]:
    """Problems with a release folder: files that differ from its SHA256SUMS, or are missing."""
    import hashlib

    folder = Path(folder)
    sums = folder / RELEASE_SUMS
    if not sums.is_file():
        return [f"{folder}: no {RELEASE_SUMS}"]
    problems = []
    listed = set()
    for line in sums.read_text(encoding="utf-8").splitlines():
        digest, name = line.split("  ", 1)
        listed.add(name)
        path = folder / name
        if not path.is_file():
            problems.append(f"{path}: missing")
        elif hashlib.sha256(path.read_bytes()).hexdigest() != digest:
            problems.append(f"{path}: differs from {RELEASE_SUMS}")
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        name = path.relative_to(folder).as_posix()
        if name != RELEASE_SUMS and name not in listed:
            problems.append(f"{path}: not listed in {RELEASE_SUMS}")
    return problems


def released_versions(package: DataPackage | None = None) -> list[str]:
    """The versions kept in the releases folder of a package (the shipped one by default)."""
    folder = releases_dir(package or packaged())
    return [v for v, _ in list_releases(folder)] if folder.is_dir() else []


def resolve_package(ref: str | Path) -> Path:
    """A package given as a path, or as a version number: a release, or the current version.

    "0.1.0" is releases/0.1.0 of the shipped package (inside the wheel, or in a checkout);
    the current version, when it is not released yet, is the shipped package itself. A
    path that exists always wins.
    """
    path = Path(ref)
    if path.exists() or not _VERSION.fullmatch(str(ref).strip()):
        return path
    version = str(ref).strip()
    pkg = packaged()
    release = releases_dir(pkg) / version / DESCRIPTOR_NAME
    if release.is_file():
        return release
    if version == pkg.version:
        return pkg.path
    known = released_versions(pkg)
    raise DescriptorError(
        f"no release {version} (released: {', '.join(known) or 'none'}; "
        f"current version {pkg.version}) and no such path"
    )


# --- the check ---------------------------------------------------------------------------


@dataclass
class VersionCheck:
    """The current package compared with the last release: is its version bumped enough?"""

    release: str
    current: str
    required: Bump
    actual: Bump
    reasons: list[str]
    diff: PackageDiff
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def to_text(self) -> str:
        head = (
            f"last release {self.release}, current version {self.current}: "
            f"changes need {self.required.name}, version bump is {self.actual.name}"
        )
        lines = [head + (": ok" if self.ok else "")]
        lines += [f"  {p}" for p in self.problems]
        if self.reasons and not self.ok:
            lines.append("  because:")
            lines += [f"    {r}" for r in self.reasons[:20]]
            if len(self.reasons) > 20:
                lines.append(f"    … and {len(self.reasons) - 20} more")
        return "\n".join(lines)


def check(
    package: str | Path | None = None,
    releases: str | Path | None = None,
) -> VersionCheck:
    """Compare a package (the shipped/checked-out one by default) with its last release.

    Problems: the version is lower than the release's, or bumped less than the changes need,
    or (for the repository's own package) datapackage.json's version differs from
    indru_data.__version__, or the comparison was incomplete (e.g. duplicate keys).
    """
    pkg = DataPackage(package) if package is not None else packaged()
    folder = Path(releases) if releases is not None else releases_dir(pkg)
    release_version, release_path = list_releases(folder)[-1]
    d = diff(release_path, pkg.path)
    need = required_bump(d)
    problems: list[str] = []
    try:
        actual = bump_between(release_version, pkg.version)
    except VersioningError as exc:
        actual = Bump.NONE
        problems.append(str(exc))
    if package is None:
        from ._version import __version__

        if pkg.version != __version__:
            problems.append(
                f"datapackage.json says version {pkg.version}, indru_data.__version__ is "
                f"{__version__}; run `indru-data build` after changing src/indru_data/_version.py"
            )
    if actual < need and not problems:
        what = "the same version" if actual == Bump.NONE else f"only a {actual.name} bump"
        problems.append(
            f"the data changed since release {release_version} in ways that need a "
            f"{need.name} bump, but {pkg.version} is {what}"
        )
    if not d.problems.empty:
        problems.append(
            f"the comparison with release {release_version} is incomplete: "
            f"{len(d.problems)} problem(s), see `indru-data diff {release_path.parent} {pkg.root}`"
        )
    return VersionCheck(release_version, pkg.version, need, actual, reasons(d), d, problems)


# --- history -----------------------------------------------------------------------------


def history(
    table: str,
    *,
    package: str | Path | None = None,
    releases: str | Path | None = None,
) -> pd.DataFrame:
    """For each row of a table: the first version it appeared in and the last it changed in.

    Walks the releases in releases/ oldest first, then the current package (labelled with its
    version, or `<version>+unreleased` when it differs from a release of the same version).
    Columns: key (the primary key as text, see indru_data.diff.row_keys), first_version,
    last_changed_version, removed_in_version (missing while the row is still there). Rows
    of the current package come first, in file order, then rows removed along the way. A
    column added or removed for the whole table does not count as a change of every row.
    """
    pkg = DataPackage(package) if package is not None else packaged()
    pkg.table(table)  # raises UnknownTableError with the valid choices
    folder = Path(releases) if releases is not None else releases_dir(pkg)
    snapshots = list_releases(folder)
    if diff(snapshots[-1][1], pkg.path, tables=[table]).has_changes:
        label = pkg.version
        if label in {v for v, _ in snapshots}:
            label = f"{label}+unreleased"
        snapshots.append((label, pkg.path))
    return _walk(table, snapshots)


@dataclass
class _Life:
    first: str
    last_changed: str
    removed_in: str | None = None


def _walk(table: str, snapshots: list[tuple[str, Path]]) -> pd.DataFrame:
    lives: dict[str, _Life] = {}
    previous: Path | None = None  # the last snapshot that had the table
    for label, path in snapshots:
        pkg = DataPackage(path)
        if table not in pkg.tables:
            for life in lives.values():
                life.removed_in = life.removed_in or label
            previous = None
            continue
        d = diff(previous, path, tables=[table]) if previous is not None else None
        if d is not None and (d.schema["change"] == PRIMARY_KEY_CHANGED).any():
            lives = {}  # rows are known by another key from here on: start again
        if d is None or not lives:
            _arrive(lives, _keys(pkg, table), label)
        else:
            for row in d.rows.astype(object).to_dict(orient="records"):
                key = row["key"]
                if row["change"] == ROW_ADDED:
                    _arrive(lives, [key], label)
                elif row["change"] == ROW_REMOVED and key in lives:
                    lives[key].removed_in = label
                elif row["change"] == ROW_CHANGED and key in lives:
                    lives[key].last_changed = label
        previous = path
    current = _keys(DataPackage(snapshots[-1][1]), table) if previous is not None else []
    order = list(dict.fromkeys(current)) + [k for k in lives if k not in set(current)]
    frame = pd.DataFrame(
        {
            "key": order,
            "first_version": [lives[k].first for k in order],
            "last_changed_version": [lives[k].last_changed for k in order],
            "removed_in_version": [lives[k].removed_in for k in order],
        }
    )
    return frame.astype(pd.StringDtype())


def _keys(pkg: DataPackage, table: str) -> list[str]:
    spec = pkg.table(table)
    frame = read_table(spec)
    if frame is None:
        raise DescriptorError(f"{table}: cannot read {spec.path}")
    return row_keys(frame, spec.primary_key).tolist()


def _arrive(lives: dict[str, _Life], keys: list[str], label: str) -> None:
    """Rows present in `label`: new ones start here, ones that were removed come back."""
    for key in keys:
        life = lives.get(key)
        if life is None:
            lives[key] = _Life(label, label)
        elif life.removed_in is not None:
            life.removed_in = None
            life.last_changed = label
