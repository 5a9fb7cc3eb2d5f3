"""`indru-data new-table NAME`: the start of a new table, valid from its first commit.

Writes the three things a table is (CONTRIBUTING.md, "Adding a table"): a Table Schema in
schemas/NAME.schema.json with a primary key, a `source_id` that must resolve in `sources`
and a `notes` column; an empty data/NAME.csv with that header; and the table's resource in
datapackage.json. Then `indru-data build` stamps the descriptor and writes the derived files
(Parquet, generated loader, codebook), which validates the package first. Nothing else needs
to know about the table: loaders, validation and the CLI find tables in the descriptor.

All or nothing: when anything fails, every file written here is put back as it was.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from indru_data.core.descriptor import DataPackage, packaged, table_name_problem
from indru_data.core.files import confined, write_atomic

# Table names become file names, Python identifiers (load_NAME) and SQL table names.
SLUG_PATTERN = "[a-z0-9]+(-[a-z0-9]+)*"


class ScaffoldError(Exception):
    """The table cannot be scaffolded: a bad name, a table or file that exists, or a failed build."""


def table_schema(name: str, grain: str) -> dict[str, Any]:
    """The starting schema: a slug key, the source it cites and free notes, as every table has."""
    return {
        "x-grain": grain,
        "fields": [
            {
                "name": "record_id",
                "type": "string",
                "description": f"Stable slug of the row (rename to what a row of {name} is).",
                "constraints": {
                    "required": True,
                    "unique": True,
                    "pattern": SLUG_PATTERN,
                    "maxLength": 100,
                },
            },
            {
                "name": "source_id",
                "type": "string",
                "description": "The source (see the sources table).",
                "constraints": {"required": True, "maxLength": 100},
            },
            {
                "name": "notes",
                "type": "string",
                "description": "Conflicts between sources and anything that qualifies the row.",
                "constraints": {"maxLength": 5000},
            },
        ],
        "primaryKey": ["record_id"],
        "foreignKeys": [
            {
                "fields": ["source_id"],
                "reference": {"resource": "sources", "fields": ["source_id"]},
            }
        ],
        "missingValues": [""],
    }


def new_table(
    name: str,
    *,
    title: str | None = None,
    description: str | None = None,
    grain: str | None = None,
    package: str | Path | None = None,
) -> list[Path]:
    """Add an empty table NAME to a checkout's package and build it; returns the files written."""
    pkg = DataPackage(package) if package is not None else packaged()
    problem = table_name_problem(name)
    if problem:
        raise ScaffoldError(f"table name {name!r} {problem} (it becomes load_<name>())")
    if name in pkg.tables:
        raise ScaffoldError(f"table {name!r} already exists in {pkg.path}")
    if "sources" not in pkg.tables:
        raise ScaffoldError(f"{pkg.path} has no sources table for source_id to cite")
    schema_rel, csv_rel = f"schemas/{name}.schema.json", f"data/{name}.csv"
    schema_path, csv_path = pkg.root / schema_rel, pkg.root / csv_rel
    for path in (schema_path, csv_path, pkg.path):
        confined(path, pkg.root)  # a symlinked schemas/ or data/ must not take the new files
    for path in (schema_path, csv_path):
        if path.exists():
            raise ScaffoldError(f"{path} already exists; remove it or choose another name")
    schema = table_schema(name, grain or f"One row per ... of {name} (write the grain here).")
    descriptor = dict(pkg.descriptor)
    descriptor["resources"] = [
        *descriptor.get("resources", []),
        {
            "name": name,
            "title": title or name.replace("_", " ").capitalize(),
            "description": description or f"{name} (describe the table here).",
            "path": csv_rel,
            "schema": schema_rel,
        },
    ]
    header = ",".join(f["name"] for f in schema["fields"]) + "\n"
    old_descriptor = pkg.path.read_bytes()
    written = [schema_path, csv_path, pkg.path]
    try:
        _write(schema_path, (json.dumps(schema, indent=2) + "\n").encode("utf-8"), pkg.root)
        _write(csv_path, header.encode("utf-8"), pkg.root)
        _write(
            pkg.path,
            (json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n").encode(),
            pkg.root,
        )
        from indru_data.release.build import BuildError, build

        try:
            built = build(pkg.path)
        except BuildError as exc:
            raise ScaffoldError(f"the new table does not build: {exc}") from None
    except BaseException:
        schema_path.unlink(missing_ok=True)
        csv_path.unlink(missing_ok=True)
        _write(pkg.path, old_descriptor, pkg.root)
        raise
    return list(dict.fromkeys([*written, *built]))


def _write(path: Path, data: bytes, root: Path) -> None:
    write_atomic(path, lambda tmp: tmp.write_bytes(data), inside=root)
