"""Stage 2b: the Pandera model of each table (pandera_model.py) run on the typed frame.

Pandera runs lazily: every failure in every column is collected, not just the first. The
x-checks rules run here too, one failure per failing row.
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
from indru_data.validation.rules import Rule

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


_MODELS: dict[str, tuple[Any, dict[str, Rule]]] = {}
MAX_MODELS = 256


def _model(table: Table) -> tuple[Any, dict[str, Rule]]:
    """The table's model, built once per schema text (a test suite validates the same tables
    hundreds of times; building copies every column and check)."""
    key = json.dumps([table.name, table.schema], sort_keys=True, default=str)
    if key not in _MODELS:
        if len(_MODELS) >= MAX_MODELS:
            _MODELS.clear()
        _MODELS[key] = build_schema(table)
    return _MODELS[key]


def check_frame(df: pd.DataFrame, table: Table, report: Report, file: str | None) -> None:
    """Run the Pandera schema over a typed frame and add its failures to the report."""
    import pandera.errors

    register_backends()
    schema, rules = _model(table)
    # pandas 3 + pandera crash on compound unique checks over duplicate index labels (STACK.md).
    df = df.reset_index(drop=True)
    try:
        schema.validate(df, lazy=True)
    except pandera.errors.SchemaErrors as exc:
        _add_failures(exc.failure_cases, df, table, report, file)
    run_rules(df, table, rules, report, file)


def run_rules(
    df: pd.DataFrame, table: Table, rules: dict[str, Rule], report: Report, file: str | None
) -> None:
    """Run each row rule over the frame; one failure per failing row (a missing answer passes)."""
    for rule in rules.values():
        try:
            result = rule.fn(df)
        except Exception as exc:  # a rule that cannot run on this frame is itself a failure
            report.fail(
                STAGE,
                table.name,
                file,
                rule.name,
                f"{rule.description}: the rule could not be checked ({type(exc).__name__}: {exc})",
                column=rule.column,
            )
            continue
        if not isinstance(result, pd.Series):
            if not bool(result):
                report.fail(
                    STAGE, table.name, file, rule.name, rule.description, column=rule.column
                )
            continue
        passed = (
            result.to_numpy()
            if result.dtype == bool  # most rules: no missing answer to read as a pass
            else result.astype("boolean").fillna(True).to_numpy(dtype=bool)
        )
        if passed.all():
            continue
        failing = (~passed).nonzero()[0]
        if not len(failing):
            continue
        keys = _keys(df, table)
        columns = [c for c in (rule.column or "").split(",") if c in df.columns]
        arrays = [df[c].to_numpy(dtype=object) for c in columns]
        for i in failing:
            i = int(i)
            report.fail(
                STAGE,
                table.name,
                file,
                rule.name,
                rule.description,
                row=i + 2,
                column=rule.column,
                value_of=partial(_rule_value, i, rule.column, columns, arrays, keys),
                key=keys[i],
            )


def _rule_value(
    i: int, column: str | None, columns: list[str], arrays: list[Any], keys: list[str | None]
) -> Any:
    """The value a rule failure names at row position i: its column's, or the row's key."""
    if column is None or not columns:
        value: Any = keys[i]  # a rule about the whole row: the primary key
    elif len(arrays) == 1:
        value = _plain(arrays[0][i])
    else:
        value = "/".join(str(_plain(a[i])) for a in arrays)
    if isinstance(value, float) and pd.isna(value):
        return None
    return value


def _keys(df: pd.DataFrame, table: Table) -> list[str | None]:
    """Each row's primary-key value ("a/b"), None where a key cell is empty: once per frame."""
    pk = table.primary_key
    if not pk or any(k not in df.columns for k in pk):
        return [None] * len(df)
    parts = [df[k].astype(object) for k in pk]
    empty = pd.concat([p.isna() for p in parts], axis=1).any(axis=1).to_numpy()
    joined = parts[0].map(str)
    for p in parts[1:]:
        joined = joined + "/" + p.map(str)
    return [None if e else k for e, k in zip(empty, joined.tolist(), strict=True)]


def _add_failures(
    cases: pd.DataFrame,
    df: pd.DataFrame,
    table: Table,
    report: Report,
    file: str | None,
) -> None:
    keys = _keys(df, table)
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
            # Same rule names as the Frictionless stage, so a failure reads the same either way.
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
            value_of=partial(_plain, value),
            key=key,
        )


def _plain(value: Any) -> Any:
    if isinstance(value, pd.Timestamp):
        try:
            return value.date().isoformat()
        except (ValueError, NotImplementedError):  # a year Python's datetime cannot hold
            return str(value)[:10]
    if hasattr(value, "item"):
        return value.item()
    return value
