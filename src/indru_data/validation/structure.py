"""Stages 0 and 2: the descriptor against the Data Package profile, and each file's structure.

Frictionless has one job in validation: it checks datapackage.json and its schema files
against the Data Package profile, once, before any data is read. Schema features the later
stages do not check are refused before that (core/descriptor_guards.py), so no file needs
Frictionless to read it. Structure is the header (missing, extra, blank, duplicate or
misordered labels), every row's cell count and blank rows: Arrow vouches for a clean file
(arrow_reader.py); the csv module walks any other and names each problem, with the rule
names Frictionless uses. The cells' types, formats and constraints, the keys and the foreign
keys are the later stages' (pipeline.py).
"""

from __future__ import annotations

import copy
import csv
from collections.abc import Callable
from itertools import zip_longest
from typing import Any

import pandas as pd

from indru_data.core.descriptor import DataPackage, Table
from indru_data.core.module_path import working_directory_off_the_path
from indru_data.validation import arrow_reader
from indru_data.validation.files import Scan
from indru_data.validation.report import Failure, Report


def add_descriptor_errors(package: DataPackage, report: Report) -> bool:
    """Frictionless's check of the descriptor and its schema files against the Data Package
    profile, once, before any data is read; each error added as Frictionless words it. False
    when it failed.

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
    for error in meta.errors:
        d = error.to_descriptor()
        rule, message = d.get("type") or "package-error", d.get("message") or ""
        where = package.path.name
        report.add(Failure("frictionless", None, where, None, None, None, rule, message))
    return not meta.errors


def run(package: DataPackage, report: Report, scans: dict[str, Scan]) -> dict[str, pd.DataFrame]:
    """Check the structure of every readable table; returns the text frames Arrow read.

    A clean file is read by Arrow (arrow_reader.py), which vouches for its structure and gives
    its text. Any other file, or one Arrow refuses, is walked by the csv module, which names
    each header or row problem; the later stages read its text themselves.
    """
    frames = {}
    resources = {r.get("name"): r for r in package.descriptor.get("resources", [])}
    for table in package.tables.values():
        scan = scans[table.name]
        if not scan.readable:
            continue
        arrow_reader.check_stats(resources.get(table.name, {}), scan, table, scan.file, report)
        text = arrow_reader.read(table, scan.size) if scan.clean and scan.size else None
        if text is not None:
            frames[table.name] = text
            report.structure[table.name] = "arrow"
        else:
            report.structure[table.name] = "csv"
            check_shape(table, scan.file, report)
            continue
        report.rows_checked[table.name] = len(text)
    return frames


def check_shape(table: Table, file: str, report: Report) -> None:
    """The header against the schema's field names, and each row's cells against their count.

    Rules as Frictionless names them; a row is named by the line it starts on. A row whose
    cells are all empty is blank (and nothing else is said of it).
    """
    names = table.field_names

    def fail(
        rule: str, message: str, row: int, column: str | None = None, value: Any = None
    ) -> None:
        report.add(Failure("structure", table.name, file, row, column, value, rule, message))

    line, rows = 1, 0
    # utf-8-sig: a byte-order mark, already reported by the file stage, is not part of a label
    with table.path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)  # the default dialect, the only one a resource may ask for
        try:
            _labels(next(reader, []), names, fail)
            line = reader.line_num + 1
            for cells in reader:
                rows += 1
                if not any(cells):
                    fail("blank-row", "row is blank: every cell is empty", line)
                elif len(cells) != len(names):
                    message = f"row has {len(cells)} cells; the schema has {len(names)} fields"
                    if len(cells) > len(names):
                        fail("extra-cell", message, line)
                    else:  # named by the first column without a cell
                        fail("missing-cell", message, line, names[len(cells)])
                line = reader.line_num + 1
        except csv.Error as exc:  # a cell beyond the csv module's limit (131,072 characters)
            fail("unparsable", f"the CSV cannot be read from here on: {exc}", line)
    report.rows_checked[table.name] = rows


def _labels(labels: list[str], names: list[str], fail: Callable[..., None]) -> None:
    """Each header column against the field the schema has at that position (1 = first)."""
    first: dict[str, int] = {}
    for i, (label, name) in enumerate(zip_longest(labels, names), start=1):
        if name is None:
            message = f"header column {i} ({label!r}) is not in the schema"
            fail("extra-label", message, 1, None, label)
        elif label is None:
            fail("missing-label", f"header column {i} ({name!r}) is missing", 1, name)
        elif not label:
            fail("blank-label", f"header column {i} is empty; the schema expects {name!r}", 1, name)
        elif label in first:
            message = (
                f"header column {i} is {label!r}, which header column {first[label]} already "
                f"has; the schema expects {name!r} in column {i}"
            )
            fail("duplicate-label", message, 1, name, label)
        elif label != name:
            message = f"header column {i} is {label!r}; the schema expects {name!r}"
            fail("incorrect-label", message, 1, name, label)
        if label:
            first.setdefault(label, i)
