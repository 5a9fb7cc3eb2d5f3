"""Stage 4, Pandera: the Pandera model of each table (pandera_model.py) run on the typed frame.

Pandera runs lazily: every failure in every column is collected, not just the first. The
x-checks rules and the primary key are the next stage's (row_rules.py).
"""

from __future__ import annotations

import json
import sys
from functools import partial
from typing import Any

import pandas as pd

from indru_data.core.descriptor import Table
from indru_data.validation.pandera_model import CONSTRAINT_MESSAGES, PANDERA_NAMES, build_schema
from indru_data.validation.report import Report
from indru_data.validation.row_rules import plain, row_keys

STAGE = "pandera"


_READY: list[bool] = []


def register_backends() -> None:
    """Have Pandera register its pandas backends, without importing hypothesis.

    Registering imports Pandera's data-synthesis strategies, which import hypothesis when it is
    installed: about 80 ms of every `indru-data validate`, for a feature validation never uses.
    Unless the process has imported hypothesis already, it is hidden while Pandera registers (a
    process that wants Pandera's `example()` afterwards imports hypothesis before validating).
    """
    if _READY:
        return
    import pandera.pandas as pa

    hide = "hypothesis" not in sys.modules
    if hide:
        sys.modules["hypothesis"] = None  # type: ignore[assignment]  # import fails: not used
    try:
        pa.DataFrameSchema({}).validate(pd.DataFrame())
    finally:
        if hide and sys.modules.get("hypothesis", False) is None:
            del sys.modules["hypothesis"]
    _READY.append(True)


_MODELS: dict[str, Any] = {}
MAX_MODELS = 256


def _model(table: Table) -> Any:
    """The table's model, built once per schema text (a test suite validates the same tables
    hundreds of times; building copies every column and check)."""
    key = json.dumps([table.name, table.schema], sort_keys=True, default=str)
    if key not in _MODELS:
        if len(_MODELS) >= MAX_MODELS:
            _MODELS.clear()
        _MODELS[key] = build_schema(table)
    return _MODELS[key]


def check_frame(df: pd.DataFrame, table: Table, report: Report, file: str | None) -> None:
    """Run the table's Pandera model over a typed frame and add its failures to the report."""
    import pandera.errors

    register_backends()
    schema = _model(table)
    # pandas 3 + pandera crash on compound unique checks over duplicate index labels (STACK.md).
    df = df.reset_index(drop=True)
    try:
        schema.validate(df, lazy=True)
    except pandera.errors.SchemaErrors as exc:
        _add_failures(exc.failure_cases, df, table, report, file)


def _add_failures(
    cases: pd.DataFrame,
    df: pd.DataFrame,
    table: Table,
    report: Report,
    file: str | None,
) -> None:
    keys = row_keys(df, table)
    # itertuples, not to_dict("records"): a dict per case was most of the memory on a table
    # of 200,000 failing rows.
    for case in cases[["check", "column", "index", "failure_case"]].itertuples(index=False):
        check, column, index, value = str(case.check), case.column, case.index, case.failure_case
        index = None if index is None or pd.isna(index) else int(index)
        if check == "not_nullable":
            check, message, value = "constraint-error:required", "a value is required", None
        elif check == "field_uniqueness":
            check, message = "constraint-error:unique", "value appears in more than one row"
        elif check == "column_in_dataframe":
            continue  # already reported as missing-column by typed_frame
        else:
            # Frictionless's rule names, so a failure reads the same whoever found it.
            name = next(
                (ours for prefix, ours in PANDERA_NAMES.items() if check.startswith(prefix)), check
            )
            message = CONSTRAINT_MESSAGES.get(name, f"fails the {check} check")
            check = f"constraint-error:{name}"
        if isinstance(value, float) and pd.isna(value):
            value = None
        column = None if column is None or pd.isna(column) else str(column)
        key = None if index is None or index >= len(keys) else keys[index]
        report.fail(
            STAGE,
            table.name,
            file,
            check,
            message,
            row=None if index is None else index + 2,
            column=column,
            value_of=partial(plain, value),
            key=key,
        )
