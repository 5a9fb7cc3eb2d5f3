"""`indru-data serve`: the tables in Datasette, read-only, on this machine (issue 16).

pip install '.[explore]' && indru-data serve   # in a clone

The SQLite export (primary and foreign keys declared, so a row links to its source and to
related rows) is written into a new temporary folder, never into the packaged data. That copy
gets, for the explorer only:

- a `source_url` column in every table that cites a source, holding the cited source's URL,
  which Datasette shows as a link (it links any cell that is exactly one http(s) URL);
- a full-text index (SQLite FTS5) over each table's free-text columns, so the search box
  finds "Rosneft";
- Datasette metadata generated from the schemas: table and column descriptions with units and
  vocabularies, licence, data version, facets suited to each table, `sources.title` as the
  label of links to sources.

The copy also shows booleans as `true` and `false` (SQLite stores them as 1 and 0), so cells,
facets and filters read as words.

Datasette is started with the database immutable (`-i`), bound to 127.0.0.1 unless told
otherwise, with its default SQL time limit and no plugins of ours. Three templates and a style
sheet (explore_assets/) change how it reads, not what it does: on a table's page the rows come
first, one line each (a long cell is cut), with the column descriptions folded below them; a
row's own page lists one column per line, its value whole beside what the column holds; the
full-text indexes are not listed as hidden tables.
"""

from __future__ import annotations

import json
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from indru_data.core.descriptor import DataPackage, Field, Table, packaged
from indru_data.core.markup import safe_url
from indru_data.outputs.export import sql_name

DB_NAME = "indru"
INSTALL_HINT = (
    "the explorer needs Datasette: pip install 'datasette>=0.65' (the package's 'explore' extra)"
)
MAX_FACETS = 4  # one line of facets: the rows start on the first screen
# Columns whose values are identifiers or codes, not prose worth a full-text index.
NOT_PROSE_SUFFIXES = ("_id", "_ids", "_precision", "_flags")
SOURCE_URL = "source_url"
ASSETS = Path(__file__).with_name("explore_assets")
STATIC_MOUNT = "indru-assets"  # served at /indru-assets/
STYLE_SHEET = f"/{STATIC_MOUNT}/indru-explorer.css"
# Characters of a cell shown in the table view before "…"; the row's own page shows it whole.
TRUNCATE_CELLS = 140
FACET_VALUES = 5  # values listed per facet before "…"


class ExploreError(Exception):
    """The explorer could not be prepared or started."""


def require_datasette() -> None:
    try:
        import datasette  # noqa: F401
    except ImportError:
        raise ExploreError(INSTALL_HINT) from None


def text_columns(table: Table) -> list[str]:
    """The free-text columns of a table: strings without a vocabulary, not keys or codes."""
    keys = set(table.primary_key)
    for fk in table.foreign_keys:
        keys.update(fk["fields"])
    out = []
    for f in table.fields:
        if f.type != "string" or f.enum or f.enum_descriptions or f.name in keys:
            continue
        if f.name.endswith(NOT_PROSE_SUFFIXES) or "pattern" in f.constraints:
            continue
        out.append(f.name)
    return out


def _distinct(con: sqlite3.Connection, table: str, column: str) -> int:
    query = f"SELECT COUNT(DISTINCT {sql_name(column)}) FROM {sql_name(table)}"
    return int(con.execute(query).fetchone()[0])


def number_formats(table: Table, con: sqlite3.Connection) -> dict[str, int]:
    """Decimals per numeric column, for the table page's template (templates/_table.html):
    thousands separators and one number of decimals per column, as on the docs site."""
    import pandas as pd

    from indru_data.core.number_format import column_decimals

    formats = {}
    for f in table.fields:
        if f.type not in ("integer", "number"):
            continue
        query = f"SELECT {sql_name(f.name)} FROM {sql_name(table.name)}"
        values = pd.Series([row[0] for row in con.execute(query)], dtype="float64")
        d = column_decimals(values, f.name)
        if d is not None:
            formats[f.name] = d
    return formats


def facets(table: Table, con: sqlite3.Connection) -> list[str]:
    """Facets suited to a table, at most MAX_FACETS, in column order: `preferred` first in
    rank, then its vocabularies (jurisdiction, flow, topic…), short code lists (supplier,
    country), one year column (a window's or order's), then yes/no flags."""

    def rank(f: Field) -> int | None:
        if f.name == "preferred":
            return -1
        if f.name.endswith(("_precision", "_qualifier")) or f.name in table.primary_key:
            return None
        if f.enum:
            return 0
        if f.type == "string" and f.name.endswith(("supplier", "country")):
            return 1 if _distinct(con, table.name, f.name) <= 40 else None
        if f.type == "integer" and f.name.endswith("year"):
            return 2 if _distinct(con, table.name, f.name) <= 60 else None
        if f.type == "boolean" and "estimate" not in f.name:
            return 3
        return None

    ranked = [(r, i, f) for i, f in enumerate(table.fields) if (r := rank(f)) is not None]
    years = [f for r, _, f in ranked if r == 2]
    # one year column: the end of a window, else the first one
    year = next((f for f in years if "end" in f.name), years[0] if years else None)
    ranked = [(r, i, f) for r, i, f in ranked if r != 2 or f is year]
    chosen = sorted(ranked, key=lambda t: (t[0], t[1]))[:MAX_FACETS]
    return [f.name for _, _, f in sorted(chosen, key=lambda t: t[1])]


def _column_doc(f: Field) -> str:
    parts = [f.description.strip()]
    if f.unit:
        parts.append(f"Unit: {f.unit}.")
    values = f.enum or list(f.enum_descriptions)
    if f.type == "boolean":
        parts.append("Values: true, false.")
    elif values:
        shown = ", ".join(str(v) for v in values[:12]) + (", …" if len(values) > 12 else "")
        parts.append(f"Values: {shown}.")
    return " ".join(p for p in parts if p)


def metadata(package: DataPackage, con: sqlite3.Connection) -> dict[str, Any]:
    """Datasette metadata generated from the descriptor and the schemas."""
    d = package.descriptor
    licences = d.get("licenses")
    first = licences[0] if isinstance(licences, list) and licences else None
    data_licence = first if isinstance(first, dict) else {}
    tables: dict[str, Any] = {}
    for table in package.tables.values():
        columns = {f.name: _column_doc(f) for f in table.fields}
        if SOURCE_URL in _columns(con, table.name):
            columns[SOURCE_URL] = (
                "The address of the cited source (sources.url), added by the explorer as a link."
            )
        about = table.description
        if table.grain:
            about += f" {table.grain}"
        entry: dict[str, Any] = {
            "title": table.title,
            "description": about,
            "columns": columns,
            "facets": facets(table, con),
            "number_formats": number_formats(table, con),
        }
        if text_columns(table):
            entry["fts_table"] = f"{table.name}_fts"
            entry["fts_pk"] = "rowid"
        if table.name == "sources":
            entry["label_column"] = "title"
        tables[table.name] = entry
    version = package.version
    return {
        "title": f"{d.get('title', 'indru-data')} — data version {version}",
        "description": (
            f"{d.get('description', '')} Data package version {version}. "
            "Read-only: this explorer runs on your machine over a copy of the packaged tables."
        ),
        "license": data_licence.get("title") or data_licence.get("name", ""),
        # Datasette makes these links on every page: only an http(s) address becomes one.
        "license_url": safe_url(data_licence.get("path")) or "",
        "source": f"indru-data {version} (datapackage.json)",
        "source_url": safe_url(d.get("homepage")) or "",
        "databases": {DB_NAME: {"tables": tables}},
        "extra_css_urls": [STYLE_SHEET],
    }


def _columns(con: sqlite3.Connection, table: str) -> list[str]:
    return [r[1] for r in con.execute(f"PRAGMA table_info({sql_name(table)})")]


def _add_source_urls(con: sqlite3.Connection, package: DataPackage) -> None:
    if "sources" not in package.tables:
        return
    for table in package.tables.values():
        cites = any(
            fk["fields"] == ["source_id"] and fk["reference"].get("resource") == "sources"
            for fk in table.foreign_keys
        )
        if table.name == "sources" or not cites:
            continue
        con.execute(f'ALTER TABLE "{table.name}" ADD COLUMN "{SOURCE_URL}" TEXT')
        con.execute(
            f'UPDATE "{table.name}" SET "{SOURCE_URL}" = (SELECT url FROM sources '
            f'WHERE sources.source_id = "{table.name}".source_id)'
        )


def _booleans_as_words(con: sqlite3.Connection, package: DataPackage) -> None:
    """Boolean cells as `true` / `false` (the export stores 1 / 0); empty cells stay empty."""
    for table in package.tables.values():
        for f in table.fields:
            if f.type == "boolean":
                col = sql_name(f.name)
                con.execute(
                    f"UPDATE {sql_name(table.name)} SET {col} = "
                    f"CASE {col} WHEN 1 THEN 'true' WHEN 0 THEN 'false' END"
                )


def _add_full_text(con: sqlite3.Connection, package: DataPackage) -> None:
    for table in package.tables.values():
        cols = text_columns(table)
        if not cols:
            continue
        quoted = ", ".join(map(sql_name, cols))
        fts = f"{table.name}_fts"
        con.execute(f'CREATE VIRTUAL TABLE "{fts}" USING FTS5 ({quoted}, content="{table.name}")')
        con.execute(
            f'INSERT INTO "{fts}" (rowid, {quoted}) SELECT rowid, {quoted} FROM "{table.name}"'
        )


def prepare(folder: str | Path, package: DataPackage | None = None) -> tuple[Path, Path]:
    """Write the explorer's database and metadata into `folder`; returns both paths.

    Only `folder` is written to: the packaged CSV and Parquet files are read, never changed.
    """
    from indru_data.core.files import confined, write_atomic
    from indru_data.outputs.export import export

    pkg = package or packaged()
    out = Path(folder)
    db = confined(out / f"{DB_NAME}.db", out)
    meta_path = confined(out / "metadata.json", out)
    out.mkdir(parents=True, exist_ok=True)
    db.unlink(missing_ok=True)
    export("sqlite", db, package=None if pkg is packaged() else pkg.path)
    con = sqlite3.connect(db)
    try:
        _add_source_urls(con, pkg)
        _add_full_text(con, pkg)
        _booleans_as_words(con, pkg)
        con.commit()
        meta = metadata(pkg, con)
    finally:
        con.close()
    text = json.dumps(meta, indent=2, ensure_ascii=False) + "\n"
    write_atomic(meta_path, lambda tmp: tmp.write_text(text, encoding="utf-8"), inside=out)
    return db, meta_path


def datasette_command(db: Path, meta: Path, host: str, port: int) -> list[str]:
    """The Datasette command line: immutable database, our metadata, loopback by default."""
    return [
        sys.executable,
        "-m",
        "datasette",
        "serve",
        "-i",
        str(db),
        "-m",
        str(meta),
        "--host",
        host,
        "--port",
        str(port),
        "--setting",
        "default_page_size",
        "50",
        "--setting",
        "default_facet_size",
        str(FACET_VALUES),
        "--setting",
        "truncate_cells_html",
        str(TRUNCATE_CELLS),
        "--template-dir",
        str(ASSETS / "templates"),
        "--static",
        f"{STATIC_MOUNT}:{ASSETS / 'static'}",
    ]


def _run(command: list[str]) -> int:
    """Run Datasette until it exits, or until Ctrl-C or SIGTERM, which stop it too."""

    def stop(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, stop)
    proc = subprocess.Popen(command)
    try:
        return proc.wait()
    except KeyboardInterrupt:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        return 0
    finally:
        signal.signal(signal.SIGTERM, previous)


def serve(
    host: str = "127.0.0.1",
    port: int = 8001,
    *,
    folder: str | Path | None = None,
    package: DataPackage | None = None,
) -> int:
    """Prepare the database and run Datasette until interrupted; returns its exit code."""
    require_datasette()
    tmp = None if folder is not None else tempfile.mkdtemp(prefix="indru-data-explore-")
    where = Path(folder) if folder is not None else Path(tmp)  # type: ignore[arg-type]
    try:
        db, meta = prepare(where, package)
        print(f"indru-data explorer: http://{host}:{port}/{DB_NAME} (Ctrl-C to stop)", flush=True)
        return _run(datasette_command(db, meta, host, port))
    finally:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)


__all__ = ["facets", "metadata", "prepare", "serve", "text_columns"]
