"""`indru-data release`: publish the current version of the data in one command.

In a checkout of indru-data, with the version already set in `src/indru_data/_version.py` and
`indru-data build` run, `release()`:

1. refuses when the version is already released, when a derived file is stale (run
   `indru-data build`), when the package is not valid, when the version is not bumped enough
   for what changed since the last release, or when CHANGELOG.md has no entry for it;
2. dates the CHANGELOG entry (`## 0.2.0 — unreleased` becomes `## 0.2.0 — 2026-12-03`) and
   writes the version and date into CITATION.cff;
3. keeps the release in `releases/<version>/` (descriptor, schemas, one Parquet file per
   table, SHA256SUMS), which the wheel carries so that `load(..., version=...)`, `history()`
   and `diff("0.1.0", "0.2.0")` work after a plain `pip install`;
4. writes `dist/indru-data-<version>.zip` for people who do not use Python (see
   `release_zip`), byte-identical when rebuilt from the same files with the same library
   versions; in a checkout of the code it holds the package's wheel too, so that people
   without git can `pip install` the release from the zip alone.
"""

from __future__ import annotations

import io
import os
import re
import tempfile
import zipfile
from dataclasses import dataclass
from datetime import date as Date
from datetime import datetime, timezone
from pathlib import Path

from indru_data.core.descriptor import DESCRIPTOR_NAME, DataPackage, packaged

CHANGELOG = "CHANGELOG.md"
ZIP_FILE_MODE = 0o644


class ReleaseError(Exception):
    """The release was refused; nothing was written."""


@dataclass(frozen=True)
class Released:
    version: str
    date: str
    snapshot: Path
    zip: Path
    changed: list[Path]


def release_date(value: str | None = None) -> str:
    """The date given (YYYY-MM-DD), else SOURCE_DATE_EPOCH's, else today's (UTC)."""
    if value:
        try:
            return Date.fromisoformat(value).isoformat()
        except ValueError:
            raise ReleaseError(f"date {value!r} is not YYYY-MM-DD") from None
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = (
        datetime.fromtimestamp(int(epoch), timezone.utc) if epoch else datetime.now(timezone.utc)
    )
    return moment.date().isoformat()


def dated_changelog(text: str, version: str, date: str) -> str:
    """CHANGELOG text with the heading of `version` dated; refuses when there is none."""
    heading = re.compile(rf"^## {re.escape(version)}(?: — .*)?$", re.MULTILINE)
    match = heading.search(text)
    if not match:
        raise ReleaseError(f"{CHANGELOG} has no entry '## {version} — unreleased'; write it first")
    return text[: match.start()] + f"## {version} — {date}" + text[match.end() :]


# --- the zip -------------------------------------------------------------------------------


def _entry(name: str, content: bytes, when: tuple[int, int, int]) -> tuple[zipfile.ZipInfo, bytes]:
    info = zipfile.ZipInfo(name, date_time=(*when, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    info.create_system = 3  # Unix, so the mode below is read as one
    info.external_attr = (0o100000 | ZIP_FILE_MODE) << 16
    return info, content


def _zip_bytes(entries: list[tuple[str, bytes]], when: tuple[int, int, int]) -> bytes:
    """A zip whose bytes depend only on the entries and the date (fixed times, modes, order)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        for name, content in entries:
            info, data = _entry(name, content, when)
            z.writestr(info, data, compresslevel=9)
    return buffer.getvalue()


_CORE_DATES = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)")


def _stable_xlsx(path: Path, date: str) -> bytes:
    """The workbook with its creation/modification times set to the release date and its zip
    entries written with fixed times: openpyxl stamps the current time in both."""
    when = Date.fromisoformat(date)
    stamp = f"{date}T00:00:00Z".encode()
    entries = []
    with zipfile.ZipFile(path) as z:
        for info in z.infolist():
            data = z.read(info)
            if info.filename == "docProps/core.xml":
                data = _CORE_DATES.sub(rb"\g<1>" + stamp + rb"\g<2>", data)
            entries.append((info.filename, data))
    return _zip_bytes(entries, (when.year, when.month, when.day))


def release_zip(
    package: str | Path | None = None,
    output: str | Path | None = None,
    *,
    date: str,
    overwrite: bool = False,
    wheel: Path | None = None,
) -> Path:
    """The release zip: a Frictionless data package (datapackage.json at its root, with the
    CSV files and schemas it names) plus the SQLite database with its keys, the Excel workbook
    with its codebook sheet, CITATION.cff, the codebook, the `wheel` when given, and
    SHA256SUMS.

    Byte-identical for the same files, date and library versions (zip times, modes and order
    are fixed; the workbook's timestamps are the release date). Returns the zip's path
    (default: dist/indru-data-<version>.zip beside the package).
    """
    import tempfile

    from indru_data.core.files import confined, write_atomic
    from indru_data.outputs.export import to_sqlite, to_xlsx
    from indru_data.release.snapshots import sha256sums

    pkg = DataPackage(package) if package is not None else packaged()
    version = pkg.version
    out = Path(output) if output is not None else pkg.root / "dist" / f"indru-data-{version}.zip"
    # The zip goes into the package's dist/ or the folder the caller named, nowhere else.
    inside = out.parent if output is not None else pkg.root
    confined(out, inside)
    if out.exists() and not overwrite:
        raise ReleaseError(f"{out} already exists")
    files: dict[str, bytes] = {DESCRIPTOR_NAME: pkg.path.read_bytes()}
    for table in pkg.tables.values():
        for path in (table.path, table.schema_path):
            files[path.relative_to(pkg.root).as_posix()] = path.read_bytes()
    tables = list(pkg.tables.values())
    with tempfile.TemporaryDirectory() as tmp:
        db, xlsx = Path(tmp) / "db.sqlite", Path(tmp) / "book.xlsx"
        to_sqlite(pkg, tables, db)
        to_xlsx(pkg, tables, xlsx)
        files[f"indru-data-{version}.sqlite"] = db.read_bytes()
        files[f"indru-data-{version}.xlsx"] = _stable_xlsx(xlsx, date)
    for name, where in (("CITATION.cff", pkg.root), ("codebook.md", pkg.root / "docs")):
        if (where / name).is_file():
            files[name] = (where / name).read_bytes()
    if wheel is not None:
        files[wheel.name] = wheel.read_bytes()
    files["SHA256SUMS"] = sha256sums(files)
    when = Date.fromisoformat(date)
    content = _zip_bytes(list(files.items()), (when.year, when.month, when.day))
    write_atomic(out, lambda tmp: tmp.write_bytes(content), inside=inside)
    return out


# --- the command -----------------------------------------------------------------------------


def _refuse_unless_ready(pkg: DataPackage, version: str, released: str, shipped: bool) -> None:
    from indru_data.core.releases import releases_dir
    from indru_data.release.build import BuildError, build
    from indru_data.release.versioning import check
    from indru_data.validation import validate

    if pkg.version != version:
        raise ReleaseError(
            f"datapackage.json says {pkg.version}, __version__ is {version}: run `indru-data build`"
        )
    if (releases_dir(pkg) / released).exists():
        raise ReleaseError(
            f"version {released} is already released: {releases_dir(pkg) / released}"
        )
    try:
        stale = build(None if shipped else pkg.path, check=True)
    except BuildError as exc:
        raise ReleaseError(str(exc)) from None
    if stale:
        names = ", ".join(str(p.relative_to(pkg.root)) for p in stale)
        raise ReleaseError(f"derived files are stale ({names}): run `indru-data build` first")
    report = validate(pkg.path)
    if not report.valid or not report.rows_checked:
        raise ReleaseError("the package is not valid:\n" + report.to_text())
    if any(releases_dir(pkg).glob(f"*/{DESCRIPTOR_NAME}")):
        result = check(None if shipped else pkg.path)
        if not result.ok:
            raise ReleaseError(result.to_text())


VERSION_FILE = Path("src") / "indru_data" / "_version.py"
_VERSION_ASSIGNMENT = re.compile(r'^__version__ = "[^"]*"$', re.MULTILINE)


def with_package_version(text: str, version: str) -> str:
    """The text of `_version.py` with `__version__` set to `version` (comments kept)."""
    if not _VERSION_ASSIGNMENT.search(text):
        raise ReleaseError(f'{VERSION_FILE} has no line `__version__ = "..."`')
    return _VERSION_ASSIGNMENT.sub(f'__version__ = "{version}"', text, count=1)


def release(
    root: str | Path | None = None,
    *,
    date: str | None = None,
    dist: str | Path | None = None,
) -> Released:
    """Release the current version of a checkout (this one by default); see the module doc.

    The version is `__version__` for this checkout, the descriptor's for another `root`. A
    development version is released as the version it leads to: 0.3.0.dev0 becomes 0.3.0 in
    `src/indru_data/_version.py`, datapackage.json, CITATION.cff and the generated files.
    Everything is checked before anything is written.
    """
    from indru_data._version import __version__
    from indru_data.core.citation import CITATION_NAME, with_version
    from indru_data.core.files import confined, write_atomic
    from indru_data.core.releases import parse_version, release_version, releases_dir
    from indru_data.release.build import plan
    from indru_data.release.snapshots import snapshot_release

    shipped = root is None
    pkg = packaged() if shipped else DataPackage(root)
    changelog, citation = pkg.root / CHANGELOG, pkg.root / CITATION_NAME
    if not (changelog.is_file() and citation.is_file()):
        raise ReleaseError(
            f"`indru-data release` runs in a checkout of indru-data ({CHANGELOG} and "
            f"{CITATION_NAME} beside datapackage.json), not in {pkg.root}"
        )
    version = __version__ if shipped else pkg.version
    parse_version(version, dev=True)
    released = release_version(version)
    when = release_date(date)
    _refuse_unless_ready(pkg, version, released, shipped)
    new_changelog = dated_changelog(changelog.read_text(encoding="utf-8"), released, when)
    new_citation = with_version(citation.read_text(encoding="utf-8"), released, when)
    version_file = pkg.root / VERSION_FILE
    texts: dict[Path, str] = {changelog: new_changelog, citation: new_citation}
    if version_file.is_file():
        texts[version_file] = with_package_version(
            version_file.read_text(encoding="utf-8"), released
        )
    # The derived files (descriptor, codebook, loaders) with the released version; computed
    # before the first write, as everything else.
    derived = [o for o in plan(pkg, released) if not o.same and o.path not in texts]

    # Every target is checked before the first write: a symlinked releases/, dist/, CHANGELOG.md
    # or CITATION.cff must not carry the release out of the checkout.
    out = Path(dist) if dist is not None else pkg.root / "dist"
    confined(releases_dir(pkg) / released, pkg.root)
    for path in [*texts, *(o.path for o in derived)]:
        confined(path, pkg.root)
    confined(out / f"indru-data-{released}.zip", out if dist is not None else pkg.root)
    with_code = (pkg.root / "pyproject.toml").is_file() and (pkg.root / VERSION_FILE).is_file()
    if with_code:
        _refuse_without_builder()
    changed: list[Path] = []
    for o in derived:
        o.write(inside=pkg.root)
        changed.append(o.path)
    snapshot = snapshot_release(pkg.path, releases_dir(pkg))
    changed.insert(0, snapshot)
    for path, text in texts.items():
        write_atomic(path, lambda tmp, t=text: tmp.write_text(t, encoding="utf-8"), inside=pkg.root)
        changed.append(path)
    with tempfile.TemporaryDirectory() as tmp:
        wheel = build_wheel(pkg.root, Path(tmp), when) if with_code else None
        zipped = release_zip(
            pkg.path, out / f"indru-data-{released}.zip", date=when, overwrite=True, wheel=wheel
        )
    changed.append(record_release(releases_dir(pkg), released, when, zipped))
    return Released(released, when, snapshot, zipped, changed)


def _refuse_without_builder() -> None:
    import importlib.util

    if importlib.util.find_spec("hatchling") is None:
        raise ReleaseError(
            "the release zip holds the wheel, built here with hatchling, which is not "
            "installed: pip install -e '.[test]'"
        )


def build_wheel(root: Path, folder: Path, date: str) -> Path:
    """The checkout at `root` built into a wheel in `folder`, its file times the release date
    (SOURCE_DATE_EPOCH), with the build backend installed here (no network)."""
    import subprocess
    import sys

    epoch = int(datetime.fromisoformat(f"{date}T00:00:00+00:00").timestamp())
    env = {**os.environ, "SOURCE_DATE_EPOCH": str(epoch)}
    pip = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q"]
    done = subprocess.run(
        [*pip, "-w", str(folder), str(root)], env=env, capture_output=True, text=True
    )
    built = sorted(folder.glob("indru_data-*.whl"))
    if done.returncode != 0 or len(built) != 1:
        raise ReleaseError(f"the wheel could not be built: {done.stderr.strip()[-500:]}")
    return built[0]


def record_release(folder: Path, version: str, date: str, zipped: Path, note: str = "") -> Path:
    """Add (or replace) `version` in releases/index.json with its date and the SHA-256 of its
    release zip; returns the index's path."""
    import hashlib
    import json

    from indru_data.core.files import write_atomic
    from indru_data.core.releases import (
        RELEASE_INDEX,
        ReleaseRecord,
        parse_version,
        read_release_index,
    )

    records = read_release_index(folder)
    records[version] = ReleaseRecord(
        version, date, zipped.name, hashlib.sha256(zipped.read_bytes()).hexdigest(), note
    )
    ordered = sorted(records.values(), key=lambda r: parse_version(r.version))
    text = json.dumps({"releases": [r.to_dict() for r in ordered]}, indent=2, ensure_ascii=False)
    path = folder / RELEASE_INDEX
    write_atomic(path, lambda tmp: tmp.write_text(text + "\n", encoding="utf-8"), inside=folder)
    return path
