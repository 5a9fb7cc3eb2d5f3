"""The released versions kept beside a package: finding them and reading one by its number.

A checkout of indru-data (and the wheel, inside `_package/`) keeps every release as
releases/<version>/, written by `indru-data release` (indru_data.release.snapshots). This
module only reads them, so that `load(version=...)` and `diff("0.1.0", "0.2.0")` work from
any directory; deciding what a release must contain belongs to the release layer.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from packaging.version import InvalidVersion, Version

from indru_data.core.descriptor import (
    DESCRIPTOR_NAME,
    DataPackage,
    DescriptorError,
    did_you_mean,
    packaged,
)

RELEASES_DIR = "releases"
# releases/index.json: each release's date and the SHA-256 of its release zip (what a citation
# names); written by `indru-data release`, read by cite().
RELEASE_INDEX = "index.json"


class VersioningError(Exception):
    """A version that is not MAJOR.MINOR.PATCH, or a releases/ folder that cannot be used."""


def parse_version(version: str, *, dev: bool = False) -> Version:
    """`version` as a packaging Version, refused unless it is plain MAJOR.MINOR.PATCH.

    packaging.version parses (and orders) versions; our policy is narrower than PEP 440: a
    data release is three numbers, with no pre-, post- or dev-release part, so that a
    folder name, the descriptor's version and the package's version are one and the same.
    With `dev=True`, a PEP 440 development version MAJOR.MINOR.PATCH.devN is accepted too:
    what an unreleased tree carries (`indru-data release` turns 0.3.0.dev0 into 0.3.0).
    """
    text = version.strip()
    try:
        parsed = Version(text)
    except InvalidVersion:
        parsed = None
    plain = (
        parsed is not None
        and len(parsed.release) == 3
        and str(parsed) == text
        and parsed.pre is None
        and parsed.post is None
        and parsed.local is None
    )
    if not plain or (parsed is not None and parsed.dev is not None and not dev):
        what = "MAJOR.MINOR.PATCH or MAJOR.MINOR.PATCH.devN" if dev else "MAJOR.MINOR.PATCH"
        raise VersioningError(f"version {version!r} is not {what} (e.g. 0.2.0)")
    assert parsed is not None
    return parsed


def plain_version(text: str) -> str:
    """A version as people write it ("v0.2.0", " 0.2.0 ") as the package writes it ("0.2.0")."""
    text = str(text).strip()
    return text[1:] if text[:1] in ("v", "V") and text[1:2].isdigit() else text


def is_version(text: str, *, dev: bool = False) -> bool:
    """Whether `text` is a plain MAJOR.MINOR.PATCH version (see parse_version); with
    `dev=True`, a development version MAJOR.MINOR.PATCH.devN counts too."""
    try:
        parse_version(text, dev=dev)
    except VersioningError:
        return False
    return True


def is_development(version: str) -> bool:
    """Whether `version` is a development version (MAJOR.MINOR.PATCH.devN): not released."""
    return is_version(version, dev=True) and not is_version(version)


def release_version(version: str) -> str:
    """The release a version leads to: 0.3.0.dev0 -> 0.3.0; a release is itself."""
    return parse_version(version, dev=True).base_version


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
    found: list[tuple[Version, str, Path]] = []
    for sub in folder.iterdir():
        descriptor = sub / DESCRIPTOR_NAME
        if not (sub.is_dir() and is_version(sub.name) and descriptor.is_file()):
            continue
        stated = DataPackage(descriptor).version
        if stated != sub.name:
            raise VersioningError(f"{descriptor} says version {stated!r}, its folder {sub.name!r}")
        found.append((parse_version(sub.name), sub.name, descriptor))
    if not found:
        raise VersioningError(f"no release (a folder such as 0.1.0/{DESCRIPTOR_NAME}) in {folder}")
    return [(version, path) for _, version, path in sorted(found)]


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
    if path.exists() or not is_version(plain_version(str(ref)), dev=True):
        return path
    version = plain_version(str(ref))
    pkg = packaged()
    release = releases_dir(pkg) / version / DESCRIPTOR_NAME
    if release.is_file():
        return release
    if version == pkg.version:
        return pkg.path
    known = released_versions(pkg)
    raise DescriptorError(
        f"no release {version}{did_you_mean(version, [*known, pkg.version])} and no such "
        f"path; released: {', '.join(known) or 'none'}; current version {pkg.version}"
    )


@dataclass(frozen=True)
class ReleaseRecord:
    """A release as a citation identifies it: version, date and the SHA-256 of its zip."""

    version: str
    date: str
    zip: str
    zip_sha256: str
    note: str = ""

    def to_dict(self) -> dict[str, str]:
        d = {
            "version": self.version,
            "date": self.date,
            "zip": self.zip,
            "zip_sha256": self.zip_sha256,
        }
        if self.note:
            d["note"] = self.note
        return d


def read_release_index(folder: str | Path) -> dict[str, ReleaseRecord]:
    """releases/index.json as {version: ReleaseRecord}, oldest first ({} when there is none)."""
    path = Path(folder) / RELEASE_INDEX
    if not path.is_file():
        return {}
    try:
        data: Any = json.loads(path.read_text(encoding="utf-8"))
        rows = data["releases"]
        records = [
            ReleaseRecord(
                version=str(r["version"]),
                date=str(r["date"]),
                zip=str(r["zip"]),
                zip_sha256=str(r["zip_sha256"]),
                note=str(r.get("note", "")),
            )
            for r in rows
        ]
    except (ValueError, KeyError, TypeError) as exc:
        raise VersioningError(f"{path}: not a release index ({exc})") from None
    for r in records:
        parse_version(r.version)
    return {r.version: r for r in sorted(records, key=lambda r: parse_version(r.version))}


def release_records(package: DataPackage | None = None) -> dict[str, ReleaseRecord]:
    """The release index of a package (the shipped one by default): every released version's
    date and zip checksum."""
    return read_release_index(releases_dir(package or packaged()))
