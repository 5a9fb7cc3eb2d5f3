"""Loading tables as typed pandas DataFrames."""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import fields as dataclass_fields
from functools import lru_cache
from pathlib import Path
from typing import Literal

import pandas as pd

from indru_data.core.descriptor import DataPackage, Table, packaged

Format = Literal["parquet", "csv"]
FORMATS = ("parquet", "csv")


def _file_state(path: Path) -> tuple[int, int] | None:
    """The file's modification time and size: part of the cache key, so that a file edited
    since the last call (a fork's CSV in a notebook) is read again, not served stale."""
    try:
        st = path.stat()
    except OSError:
        return None  # the read below raises the error a user can act on
    return st.st_mtime_ns, st.st_size


@lru_cache(maxsize=64)
def _cached(
    descriptor: Path, name: str, fmt: str, state: tuple[int, int] | None = None
) -> pd.DataFrame:
    package = packaged() if descriptor == packaged().path else DataPackage(descriptor)
    table = package.table(name)
    from indru_data.core.tableio import read_csv, read_parquet

    return read_parquet(table) if fmt == "parquet" else read_csv(table)


BACKENDS = ("pandas", "polars")


def load(
    name: str,
    format: Format = "parquet",
    *,
    package: str | Path | None = None,
    backend: Literal["pandas", "polars"] = "pandas",
    preferred_only: bool = False,
    version: str | None = None,
) -> pd.DataFrame:
    """Load one table as a typed DataFrame.

    Parameters
    ----------
    name:
        A table name, see `tables()`.
    format:
        "parquet" (default, fast) or "csv" (the hand-edited source); both give identical frames.
    package:
        Path of another datapackage.json (a fork or extension); the shipped package by default.
    backend:
        "pandas" (default) or "polars" (needs polars: `pip install '.[polars]'` in a clone; reads the
        Parquet file with its Arrow types: dates as Date, vocabularies as Categorical).
    preferred_only:
        Keep one row per observation: the row marked `preferred` by the preferred-row rule
        (`describe` shows each table's observation key). Tables without an observation key hold
        one row per observation already and are returned whole.
    version:
        A released version, e.g. "0.1.0": the table as that release shipped it (releases are
        kept inside the package as Parquet, so `format` must be "parquet"). See
        `indru_data.core.releases.released_versions()`.

    Each call returns a fresh copy, so changing it never changes what the next call returns.
    """
    if format not in FORMATS:
        raise ValueError(f"unknown format {format!r}; valid formats: {', '.join(FORMATS)}")
    if backend not in BACKENDS:
        raise ValueError(f"unknown backend {backend!r}; valid backends: {', '.join(BACKENDS)}")
    if version is not None:
        if package is not None:
            raise ValueError("give package= or version=, not both")
        pkg = _release(version)
        if format == "csv" and not pkg.table(name).path.is_file():
            raise ValueError(f"release {version} is kept as Parquet only; use format='parquet'")
    else:
        pkg = DataPackage(package) if package is not None else packaged()
    table = pkg.table(name)  # raises UnknownTableError with the valid choices
    keep = preferred_only and "preferred" in table.field_names
    if backend == "polars":
        frame = _load_polars(table, format)
        return frame.filter(frame["preferred"]) if keep else frame  # type: ignore[return-value]
    source = table.parquet_path if format == "parquet" else table.path
    frame = _cached(pkg.path, name, format, _file_state(Path(source)))
    if keep:
        frame = frame[frame["preferred"].fillna(False).astype(bool)].reset_index(drop=True)
    else:
        frame = frame.copy()
    frame.attrs = metadata(pkg, table)
    return frame


def metadata(pkg: DataPackage, table: Table) -> dict[str, str | None]:
    """What `df.attrs` holds on every loaded frame: table, version, licence, citation, package
    and the table's preferred-row rule in one sentence."""
    from indru_data.core.citation import CITATION_NAME, citation_path, short_citation

    licenses = pkg.descriptor.get("licenses") or []
    first = licenses[0] if licenses and isinstance(licenses[0], dict) else {}
    own = pkg.root / CITATION_NAME
    if own.is_file():
        citation = short_citation(pkg.version, path=own)
    elif pkg.descriptor.get("name") == packaged().descriptor.get("name"):
        citation = short_citation(pkg.version, path=citation_path())  # a release of ours
    else:
        citation = (
            f"{pkg.descriptor.get('title') or pkg.descriptor.get('name')}, version {pkg.version}"
        )
    return {
        "table": table.name,
        "title": table.title,
        "version": pkg.version,
        "license": first.get("name"),
        "citation": citation,
        "package": str(pkg.path),
        "preferred_rule": table.preferred_rule,
    }


def _release(version: str) -> DataPackage:
    from indru_data.core.descriptor import DescriptorError
    from indru_data.core.releases import is_version, plain_version, resolve_package

    version = plain_version(version)
    if not is_version(version, dev=True):
        raise ValueError(f"version {version!r} is not MAJOR.MINOR.PATCH (e.g. 0.1.0)")
    try:
        return DataPackage(resolve_package(version))
    except DescriptorError as exc:
        raise ValueError(str(exc)) from None


def _load_polars(table: Table, fmt: str):  # type: ignore[no-untyped-def]
    try:
        import polars as pl
    except ImportError:
        raise ImportError(
            "backend='polars' needs polars: pip install 'polars>=1.0' (the package's 'polars' extra)"
        ) from None
    import pyarrow.parquet as pq

    if fmt == "csv":
        from indru_data.core.tableio import frame_to_arrow, read_csv

        return pl.from_arrow(frame_to_arrow(read_csv(table), table))
    return pl.from_arrow(pq.read_table(table.parquet_path))


def path(name: str, format: Format = "parquet", *, package: str | Path | None = None) -> Path:
    """Path of a table's Parquet or CSV file, for DuckDB, Polars, Spark or R to read directly.

    >>> import duckdb, indru_data
    >>> duckdb.sql(f"SELECT * FROM '{indru_data.path('trade_annual')}'")
    """
    if format not in FORMATS:
        raise ValueError(f"unknown format {format!r}; valid formats: {', '.join(FORMATS)}")
    pkg = DataPackage(package) if package is not None else packaged()
    table = pkg.table(name)
    return table.parquet_path if format == "parquet" else table.path


def tables(package: str | Path | None = None) -> list[str]:
    """Names of the tables in the package, in descriptor order."""
    pkg = DataPackage(package) if package is not None else packaged()
    return pkg.table_names


@dataclass(frozen=True, repr=False)
class TableInfo(Table):
    """A Table whose repr is one short line (the full schema is in `.schema` and `.fields`)."""

    def __repr__(self) -> str:
        key = ", ".join(self.primary_key)
        return (
            f"<TableInfo {self.name!r}: {self.title}; {len(self.fields)} columns; "
            f"key ({key}); {self.path.name}>"
        )


def table_info(name: str, package: str | Path | None = None) -> TableInfo:
    """A table's metadata: title, description, grain, primary key and fields with their documentation."""
    pkg = DataPackage(package) if package is not None else packaged()
    table = pkg.table(name)
    return TableInfo(**{f.name: getattr(table, f.name) for f in dataclass_fields(Table)})


def fields(name: str, package: str | Path | None = None) -> pd.DataFrame:
    """The field documentation of a table: name, type, unit, required, allowed values, description."""
    table = table_info(name, package)
    rows = [
        {
            "name": f.name,
            "type": f.type,
            "unit": f.unit,
            "required": f.required,
            "allowed_values": ", ".join(map(str, f.enum)) if f.enum else None,
            "description": f.description,
        }
        for f in table.fields
    ]
    return pd.DataFrame(rows).astype(
        {
            "name": "string",
            "type": "string",
            "unit": "string",
            "allowed_values": "string",
            "description": "string",
        }
    )
