"""Cheap facts about tables (row counts, date coverage) read with the csv module only.

`indru-data list` uses this so that it starts fast: no pandas, pandera or frictionless.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass

from indru_data.core.descriptor import Table


@dataclass(frozen=True)
class TableSummary:
    name: str
    title: str
    rows: int
    columns: int
    coverage: str  # earliest to latest value of the table's date columns


def summarise(table: Table) -> TableSummary:
    # the schema may name the columns that span the table's coverage (e.g. window years);
    # otherwise every date column counts
    date_fields = list(table.schema.get("x-coverage", [])) or [
        f.name for f in table.fields if f.type == "date"
    ]
    lo: str | None = None
    hi: str | None = None
    rows = 0
    with table.path.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            rows += 1
            for name in date_fields:
                v = row.get(name) or ""
                if len(v) in (4, 10):  # ISO dates and four-digit years sort as text
                    lo = v if lo is None or v < lo else lo
                    hi = v if hi is None or v > hi else hi
    coverage = f"{lo} to {hi}" if lo and hi else ""
    return TableSummary(table.name, table.title, rows, len(table.fields), coverage)
