"""Each row's life through the releases: the version it arrived in, last changed in, left in."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from indru_data.core.descriptor import DataPackage, DescriptorError, packaged
from indru_data.core.releases import list_releases, releases_dir
from indru_data.release.changes import (
    PRIMARY_KEY_CHANGED,
    ROW_ADDED,
    ROW_CHANGED,
    ROW_REMOVED,
)
from indru_data.release.diff import diff
from indru_data.release.diff_input import read_table, row_keys


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
