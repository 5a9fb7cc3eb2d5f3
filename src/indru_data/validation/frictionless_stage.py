"""Stage 1: Frictionless checks structure, types, constraints, keys, foreign keys, hashes and byte counts."""

from __future__ import annotations

import re
from pathlib import Path

from ..descriptor import DataPackage, Table
from .report import Failure, Report


def run(package: DataPackage, report: Report) -> None:
    import frictionless

    # Paths relative to the descriptor; frictionless refuses absolute or '..' paths itself
    # (a hostile descriptor cannot make it read outside the package).
    result = frictionless.validate(str(package.path))
    for error in result.errors:
        d = error.to_descriptor()
        report.add(
            Failure(
                "frictionless",
                None,
                package.path.name,
                None,
                None,
                None,
                d.get("type", "package-error"),
                d.get("message", str(error)),
            )
        )
    root = package.root
    for task in result.tasks:
        name = task.name
        table = package.tables.get(name)
        place = task.place
        file = _relative(place, root)
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
            message = MESSAGES.get(rule, "{}").format(d.get("note") or d.get("message", ""))
            report.add(
                Failure(
                    stage="frictionless",
                    table=name,
                    file=file,
                    row=d.get("rowNumber"),
                    column=field_name,
                    value=value,
                    rule=rule,
                    message=message,
                    key=_key(table, d.get("cells")),
                )
            )


# Frictionless's own words for these are terse; say what happened and what to do.
MESSAGES = {
    "hash-count": "the file changed after its hash was recorded in datapackage.json ({}); "
    "if the edit is intended, run `indru-data build` to record the new hash",
    "byte-count": "the file's size differs from the one recorded in datapackage.json ({}); "
    "if the edit is intended, run `indru-data build`",
}


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
