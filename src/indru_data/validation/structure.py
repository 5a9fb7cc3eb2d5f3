"""Stages 0 and 2: the descriptor against the Data Package profile, and each file's structure.

Frictionless has two jobs in validation, both here: it checks datapackage.json and its schema
files against the Data Package profile, once, before any data is read; and it reads the
structure of any file the Arrow reader (arrow_reader.py) cannot vouch for. Structure is the
header (missing, extra, duplicate or misordered labels), every row's cell count and blank rows;
Frictionless then reads a copy of the descriptor cut down to field names, so that it does not
read every cell in Python. The cells' types, formats and constraints, the keys and the foreign
keys are the later stages' (pipeline.py). A schema that uses a type, format, option or
constraint those stages do not cover is validated by Frictionless in full instead.
"""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any

import pandas as pd

from indru_data.core.descriptor import DataPackage, Table
from indru_data.core.module_path import working_directory_off_the_path
from indru_data.validation import arrow_reader, cells
from indru_data.validation.files import Scan
from indru_data.validation.report import STATS_MESSAGES, Failure, Report

# Schema properties the later stages implement (x-* are ours; the rest describe, not constrain).
SCHEMA_KEYS = {
    "fields",
    "primaryKey",
    "foreignKeys",
    "missingValues",
    "$schema",
    "name",
    "title",
    "description",
}


def structural_descriptor(package: DataPackage) -> dict[str, Any] | None:
    """The package descriptor with each schema cut down to its field names (all text), or None.

    None when any table's schema uses something the later stages do not check themselves:
    then Frictionless must check the package in full.
    """
    descriptor = copy.deepcopy(package.descriptor)
    for res in descriptor.get("resources", []):
        table = package.tables.get(res.get("name"))
        if table is None:
            return None
        schema = table.schema
        if schema.get("missingValues", [""]) != [""]:
            return None
        fields = schema.get("fields", [])
        if not all(isinstance(f, dict) and cells.covered(f) for f in fields):
            return None
        if any(k not in SCHEMA_KEYS and not k.startswith("x-") for k in schema):
            return None  # uniqueKeys, fieldsMatch, ...: leave them to Frictionless
        if not isinstance(res.get("schema"), str):
            return None  # an inline schema: keep the descriptor exactly as written
        names = {f.get("name") for f in fields}
        keyed = [
            *table.primary_key,
            *(k for fk in table.foreign_keys for k in _names(fk["fields"])),
        ]
        if not set(keyed) <= names:
            return None
        res["schema"] = {
            "fields": [{"name": f["name"], "type": "string"} for f in fields],
            "missingValues": [""],
        }
    return descriptor


def _names(fields: str | list[str]) -> list[str]:
    return [fields] if isinstance(fields, str) else list(fields)


def descriptor_errors(package: DataPackage) -> list[dict[str, Any]]:
    """Frictionless's check of the descriptor and its schema files against the Data Package
    profile: [{"type": ..., "message": ...}], [] when it passes.

    Given as the JSON we read (the same text, parsed within our limits), not as a path: from a
    path Frictionless also exports the whole package back to a descriptor, a second pass over
    every resource and field.
    """
    # Frictionless imports every frictionless_* module on the path as a plugin (module_path.py).
    with working_directory_off_the_path():
        import frictionless

        meta = frictionless.Package.validate_descriptor(
            copy.deepcopy(package.descriptor), basepath=str(package.root)
        )
    return [e.to_descriptor() for e in meta.errors]


def add_descriptor_errors(package: DataPackage, report: Report) -> bool:
    """The descriptor check, once, before any data is read; False when it failed."""
    errors = descriptor_errors(package)
    _add_package_errors(errors, package, report)
    return not errors


def run(
    package: DataPackage, report: Report, scans: dict[str, Scan]
) -> tuple[bool, dict[str, pd.DataFrame]]:
    """Check the structure of every table; returns (structure only?, the text frames Arrow read).

    The first is True when the structure alone was checked (by Arrow, or by Frictionless on a
    descriptor cut down to field names), so that the cells are checked by the later stages;
    False when a schema uses something those stages do not cover and Frictionless validated
    the package in full. Each table Arrow can vouch for (arrow_reader.py) is read there; the
    others by Frictionless.
    """
    structural = structural_descriptor(package)
    unreadable = {name for name, scan in scans.items() if not scan.readable}
    if structural is None and unreadable:
        return False, {}  # Frictionless in full would read the files no parser may see
    fast = _fast_path(package, structural, scans, report) if structural else {}
    return _structure(package, report, structural, fast, unreadable)


def _structure(
    package: DataPackage,
    report: Report,
    structural: dict[str, Any] | None,
    fast: dict[str, pd.DataFrame],
    unreadable: set[str],
) -> tuple[bool, dict[str, pd.DataFrame]]:
    """Frictionless reads what the fast path did not: every file in full, or their structure."""
    # Imported only here: when the fast path reads every table, this process never needs it.
    if structural is None:
        import frictionless

        # Paths relative to the descriptor; frictionless refuses absolute or '..' paths itself
        # (a hostile descriptor cannot make it read outside the package).
        result = frictionless.validate(str(package.path))
    else:
        skip = fast.keys() | unreadable
        structural["resources"] = [r for r in structural["resources"] if r.get("name") not in skip]
        if not structural["resources"]:
            return True, fast
        import frictionless

        # Checked above as written; this cut-down copy (names only) needs no second check.
        result = frictionless.Package(structural, basepath=str(package.root)).validate()
    _add_package_errors([e.to_descriptor() for e in result.errors], package, report)
    root = package.root
    for task in result.tasks:
        name = task.name
        table = package.tables.get(name)
        place = task.place
        file = _relative(place, root)
        report.structure[name] = "frictionless"
        rows = (task.stats or {}).get("rows")
        if rows is not None:
            report.rows_checked[name] = int(rows)
        for error in task.errors:
            d = error.to_descriptor()
            field_name = d.get("fieldName")
            if field_name is None and d.get("fieldNames"):
                field_name = ",".join(d["fieldNames"])
            value = d.get("cell")
            if value is None and d.get("fieldCells"):
                value = ",".join(map(str, d["fieldCells"]))
            if value is None and d.get("label"):
                value = d["label"]
            rule = d.get("type", "error")
            constraint = re.search(r'constraint "(\w+)"', d.get("note") or "")
            if rule == "constraint-error" and constraint:
                rule = f"constraint-error:{constraint.group(1)}"  # e.g. constraint-error:enum
            message = STATS_MESSAGES.get(rule, "{}").format(d.get("note") or d.get("message", ""))
            row = d.get("rowNumber")
            if rule in LABEL_ERRORS:
                row, message = 1, _label_message(rule, d)
            report.add(
                Failure(
                    stage="frictionless",
                    table=name,
                    file=file,
                    row=row,
                    column=field_name,
                    value=value,
                    rule=rule,
                    message=message,
                    key=_key(table, d.get("cells")),
                )
            )
    return structural is not None, fast


def _fast_path(
    package: DataPackage, structural: dict[str, Any], scans: dict[str, Scan], report: Report
) -> dict[str, pd.DataFrame]:
    """Read each table the fast path accepts; its size and hash are compared there too."""
    frames = {}
    for resource in package.descriptor.get("resources", []):
        table = package.tables.get(resource.get("name"))
        scan = scans.get(table.name) if table is not None else None
        if table is None or scan is None or not arrow_reader.eligible(resource, table, scan):
            continue
        text = arrow_reader.read(table, scan.size)
        if text is None:
            continue  # Frictionless reads it
        frames[table.name] = text
        report.structure[table.name] = "arrow"
        arrow_reader.check_stats(resource, scan, table, scan.file, report)
        report.rows_checked[table.name] = len(text)
    return frames


def _add_package_errors(errors: list[dict[str, Any]], package: DataPackage, report: Report) -> None:
    """Errors in the descriptor itself, as Frictionless describes them (type, message)."""
    for d in errors:
        report.add(
            Failure(
                "frictionless",
                None,
                package.path.name,
                None,
                None,
                None,
                d.get("type") or "package-error",
                d.get("message") or "",
            )
        )


LABEL_ERRORS = {"duplicate-label", "incorrect-label", "blank-label", "extra-label", "missing-label"}


def _label_message(rule: str, d: dict[str, Any]) -> str:
    """A header problem said with its column position (1 = first column), as a person counts.

    Frictionless's own note for a duplicate label gives only the position of the first
    copy, which reads as if the error were there.
    """
    position, label, expected = d.get("fieldNumber"), d.get("label"), d.get("fieldName")
    if rule == "duplicate-label":
        labels = d.get("labels") or []
        first = labels.index(label) + 1 if label in labels else None
        copy = f", which header column {first} already has" if first else ""
        return (
            f"header column {position} is {label!r}{copy}; "
            f"the schema expects {expected!r} in column {position}"
        )
    if rule == "incorrect-label":
        return f"header column {position} is {label!r}; the schema expects {expected!r}"
    if rule == "blank-label":
        return f"header column {position} is empty; the schema expects {expected!r}"
    if rule == "extra-label":
        return f"header column {position} ({label!r}) is not in the schema"
    return f"header column {position} ({expected!r}) is missing"


def _key(table: Table | None, cells: list[str] | None) -> str | None:
    """The row's primary-key value, from the row's cells as Frictionless read them."""
    if table is None or not cells:
        return None
    names = table.field_names
    try:
        return "/".join(str(cells[names.index(k)]) for k in table.primary_key)
    except (ValueError, IndexError):
        return None


def _relative(place: str, root: Path) -> str:
    try:
        return str(Path(place).resolve().relative_to(root))
    except (ValueError, OSError):
        return place
