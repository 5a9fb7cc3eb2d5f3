"""Snapshots of released versions: what a release keeps, writing it, and checking it later.

`indru-data release` keeps the package as releases/<version>/ (descriptor, schemas, one
Parquet file per table and SHA256SUMS); reading them back is indru_data.core.releases.
"""

from __future__ import annotations

from pathlib import Path

from indru_data.core.descriptor import DESCRIPTOR_NAME, DataPackage, packaged
from indru_data.core.releases import VersioningError, parse_version, releases_dir

RELEASE_SUMS = "SHA256SUMS"


def release_files(package: DataPackage) -> dict[str, bytes]:
    """What a release keeps, by path inside its folder: the descriptor as released, the
    schemas it names and one Parquet file per table (built from the CSV here, so a stale
    Parquet copy can never be released), plus SHA256SUMS over all of them.

    The CSV files are not kept: the Parquet files hold the same typed values (compact, and
    what `load(..., version=...)`, `diff` and `history` read); the descriptor still records
    each CSV's hash and size as released, and the release zip carries the CSVs themselves.
    """
    from indru_data.core.tableio import read_csv
    from indru_data.release.build import parquet_bytes

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
    from indru_data.core.files import confined, write_directory_atomic

    pkg = DataPackage(package) if package is not None else packaged()
    parse_version(pkg.version)
    dest = Path(folder) if folder is not None else releases_dir(pkg)
    target = dest / pkg.version
    inside = dest if folder is not None else pkg.root  # the folder named, or the package's
    confined(target, inside)
    if target.exists() and not replace:
        raise VersioningError(f"release {pkg.version} already exists: {target}")
    files = release_files(pkg)

    def fill(tmp: Path) -> None:
        for name, content in files.items():
            out = tmp / name
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_bytes(content)

    dest.mkdir(parents=True, exist_ok=True)
    write_directory_atomic(target, fill, inside=inside)
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
