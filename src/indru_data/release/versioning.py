"""The versioning policy of the data package, checked against the last release kept in releases/.

Semantic versioning, applied to data (see docs/versioning.md):

- MAJOR: a change that can break a user's code: a table, column or vocabulary value removed,
  a column renamed or retyped or its unit changed, a primary key changed.
- MINOR: something added or withdrawn that existing code still reads: a table, column or
  vocabulary value added, rows added or removed.
- PATCH: corrections of values in existing rows.
- NONE: nothing in the data or schemas changed.

`check()` compares the current package with the newest release in releases/ and says whether
the version was bumped enough. Reading releases is indru_data.core.releases, writing them
indru_data.release.snapshots, each row's history indru_data.release.history.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum
from pathlib import Path
from typing import Any

import pandas as pd

from indru_data.core.descriptor import DataPackage, packaged
from indru_data.core.releases import (
    VersioningError,
    list_releases,
    parse_version,
    releases_dir,
)
from indru_data.release.changes import (
    COLUMN_ADDED,
    COLUMN_REMOVED,
    COLUMN_RENAMED,
    COLUMN_RETYPED,
    PRIMARY_KEY_CHANGED,
    TABLE_ADDED,
    TABLE_REMOVED,
    UNIT_CHANGED,
    VOCABULARY_ADDED,
    VOCABULARY_REMOVED,
    PackageDiff,
)
from indru_data.release.diff import diff

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


class Bump(IntEnum):
    """How much a version must go up; ordered, so max() of several is the one needed."""

    NONE = 0
    PATCH = 1
    MINOR = 2
    MAJOR = 3


def bump_between(old: str, new: str) -> Bump:
    """The bump from version `old` to `new`; raises VersioningError when `new` is lower.

    `new` may be a development version: 0.3.0.dev0 after release 0.2.0 is a MINOR bump (the
    release it leads to), while 0.2.0.dev0 after 0.2.0 is lower than the release.
    """
    a, b = parse_version(old), parse_version(new, dev=True)
    if b < a:
        raise VersioningError(f"version {new} is lower than {old}")
    if b.major > a.major:
        return Bump.MAJOR
    if b.minor > a.minor:
        return Bump.MINOR
    return Bump.PATCH if b.micro > a.micro else Bump.NONE


def required_bump(d: PackageDiff) -> Bump:
    """The smallest bump the changes in `d` need under the policy above."""
    return max((bump for bump, _ in _reasons(d)), default=Bump.NONE)


def reasons(d: PackageDiff) -> list[str]:
    """Why `required_bump(d)` is what it is: the changes that call for it, one line each."""
    need = required_bump(d)
    return [why for bump, why in _reasons(d) if bump == need and bump != Bump.NONE]


def _reasons(d: PackageDiff) -> list[tuple[Bump, str]]:
    from indru_data.release.changes import describe_schema_change

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
        from indru_data._version import __version__

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
