"""Stage 2: each table's Table Schema, translated to a Pandera schema, checked on the typed frame.

The Table Schema in schemas/ is the single definition of every field; this module derives the
Pandera form from it at run time (nothing derived is committed, so nothing can go stale).
Pandera runs lazily: every failure in every column is collected, not just the first.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from ..descriptor import Field, Table
from ..dtypes import coerce_column
from . import cells
from .report import Failure, Report
from .rules import Rule, build_rules


def _bound(f: Field, value: Any) -> Any:
    return pd.Timestamp(value) if f.type == "date" else value


def column_checks(f: Field) -> list[Any]:
    import pandera.pandas as pa

    c = f.constraints
    checks = []
    if f.enum is not None:
        checks.append(pa.Check.isin([str(v) for v in f.enum], name="enum"))
    if "minimum" in c:
        checks.append(pa.Check.ge(_bound(f, c["minimum"]), name="minimum"))
    if "maximum" in c:
        checks.append(pa.Check.le(_bound(f, c["maximum"]), name="maximum"))
    if "pattern" in c:
        checks.append(pa.Check.str_matches(f"^(?:{c['pattern']})$", name="pattern"))
    if "minLength" in c:
        checks.append(pa.Check.str_length(min_value=c["minLength"], name="minLength"))
    if "maxLength" in c:
        checks.append(pa.Check.str_length(max_value=c["maxLength"], name="maxLength"))
    if f.format == "uri":
        checks.append(pa.Check.str_matches(r"^https?://\S+$", name="format-uri"))
    return checks


def build_schema(table: Table) -> tuple[Any, dict[str, Rule]]:
    """The Pandera DataFrameSchema of a table, and its x-checks rules by name."""
    import pandera.pandas as pa

    columns = {}
    for f in table.fields:
        checks = column_checks(f)
        columns[f.name] = pa.Column(
            dtype=None,  # types were enforced cell by cell in coerce(); see typed_frame()
            checks=checks,
            nullable=not f.required,
            unique=bool(f.constraints.get("unique", False)),
            required=True,
        )
    rules = {r.name: r for r in build_rules(table.checks, set(table.field_names))}
    pk = table.primary_key if set(table.primary_key) <= set(table.field_names) else []
    if pk:
        # Frictionless's rule, reported for the row: the cells of a primary key must not all
        # be empty (also when a `required` failure names the cell).
        rules["primary-key"] = _pk_not_empty(pk)
    frame_checks = [pa.Check(r.fn, name=r.name) for r in rules.values()]
    schema = pa.DataFrameSchema(
        columns,
        checks=frame_checks,
        # Reported for the row, as Frictionless does, also when the column is `unique` too.
        unique=pk or None,
        strict=False,
        coerce=False,
        name=table.name,
    )
    return schema, rules


def _pk_not_empty(pk: list[str]) -> Rule:
    return Rule(
        "primary-key",
        None,
        "the cells of the primary key are all empty",
        lambda df: df[pk].notna().any(axis=1),
    )


def typed_frame(
    text: pd.DataFrame,
    table: Table,
    report: Report,
    file: str | None,
    *,
    frictionless_cells: bool = False,
) -> pd.DataFrame:
    """Cast the CSV's text cells to the schema's types, reporting every cell that does not fit.

    A cell that cannot be cast becomes missing so that the remaining rules still run on the rest.
    Vocabulary columns stay text here so that a value outside the vocabulary is reported, not lost.
    With `frictionless_cells`, each text cell first gets Frictionless's verdict (cells.py), as
    the Frictionless stage gave it when it read every cell itself.
    """
    columns: dict[str, pd.Series] = {}
    descriptors = {f.get("name"): f for f in table.schema.get("fields", [])}
    for f in table.fields:
        if f.name not in text.columns:
            report.add(
                Failure(
                    "pandera",
                    table.name,
                    file,
                    None,
                    f.name,
                    None,
                    "missing-column",
                    f"column {f.name!r} is in the schema but not in the data",
                )
            )
            columns[f.name] = pd.Series([None] * len(text), dtype=object)
            continue
        values = text[f.name].reset_index(drop=True)
        if frictionless_cells:
            _frictionless_cells(values, descriptors[f.name], text, table, report, file)
        try:
            columns[f.name] = coerce_column(values, f, categorical=False)
        except (ValueError, TypeError, OverflowError):
            columns[f.name] = _coerce_cell_by_cell(values, f, table, report, file)
    for extra in [c for c in text.columns if c not in table.field_names]:
        report.add(
            Failure(
                "pandera",
                table.name,
                file,
                None,
                str(extra),
                None,
                "extra-column",
                f"column {extra!r} is in the data but not in the schema",
            )
        )
    return pd.DataFrame(columns, index=pd.RangeIndex(len(text)))


def _frictionless_cells(
    values: pd.Series,
    descriptor: dict[str, Any],
    text: pd.DataFrame,
    table: Table,
    report: Report,
    file: str | None,
) -> None:
    """Report the cells Frictionless would reject.

    The values are left as they are: as when Frictionless read every cell itself, pandas then
    casts what it can and the later stages check that (a second report of the same cell is
    dropped by Report.add).
    """
    for c in cells.failures(values, descriptor):
        report.add(
            Failure(
                "frictionless",
                table.name,
                file,
                c.index + 2,
                descriptor["name"],
                c.value,
                c.rule,
                c.message,
                _text_key(text, table, c.index),
            )
        )


def _coerce_cell_by_cell(
    values: pd.Series, f: Field, table: Table, report: Report, file: str | None
) -> pd.Series:
    """Report every value that does not cast (each distinct value tried once), cast the rest."""
    bad = []
    for v in values.dropna().unique():
        try:
            coerce_column(pd.Series([v]), f, categorical=False)
        except (ValueError, TypeError, OverflowError):  # e.g. an integer beyond int64
            bad.append(v)
    is_bad = values.isin(bad)
    for i, v in values[is_bad].items():
        report.add(
            Failure(
                "pandera",
                table.name,
                file,
                int(i) + 2,
                f.name,
                v,
                "type-error",
                f"not a valid {f.type}",
            )
        )
    return coerce_column(values.mask(is_bad, None), f, categorical=False)


def _text_key(text: pd.DataFrame, table: Table, i: int) -> str | None:
    pk = table.primary_key
    if not pk or any(k not in text.columns for k in pk):
        return None
    cells = [text[k].iloc[i] for k in pk]
    return None if any(pd.isna(c) for c in cells) else "/".join(map(str, cells))


def check_frame(df: pd.DataFrame, table: Table, report: Report, file: str | None) -> None:
    """Run the Pandera schema over a typed frame and add its failures to the report."""
    import pandera.errors

    schema, rules = build_schema(table)
    # pandas 3 + pandera crash on compound unique checks over duplicate index labels (STACK.md).
    df = df.reset_index(drop=True)
    try:
        schema.validate(df, lazy=True)
    except pandera.errors.SchemaErrors as exc:
        _add_failures(exc.failure_cases, df, table, rules, report, file)


def _key(df: pd.DataFrame, table: Table, index: Any) -> str | None:
    pk = table.primary_key
    if not pk or index is None or index not in df.index:
        return None
    try:
        cells = [df.at[index, k] for k in pk]
    except KeyError:
        return None
    return None if any(pd.isna(c) for c in cells) else "/".join(map(str, cells))


def _add_failures(
    cases: pd.DataFrame,
    df: pd.DataFrame,
    table: Table,
    rules: dict[str, Rule],
    report: Report,
    file: str | None,
) -> None:
    seen: set[tuple[str, int | None]] = set()
    for case in cases.to_dict("records"):
        check = str(case.get("check"))
        column = case.get("column")
        index = case.get("index")
        index = None if index is None or pd.isna(index) else int(index)
        value = case.get("failure_case")
        if check in rules:
            # A frame-level rule is reported by Pandera once per column of a failing row.
            if (check, index) in seen:
                continue
            seen.add((check, index))
            rule = rules[check]
            column = rule.column
            message = rule.description
            if column is None:
                value = None  # a rule about the whole row (the primary key)
            elif index is not None and column in df.columns:
                value = df.at[index, column]
        elif check == "not_nullable":
            check, message, value = "constraint-error:required", "a value is required", None
        elif check == "field_uniqueness":
            check, message = "constraint-error:unique", "value appears in more than one row"
        elif check == "multiple_fields_uniqueness":
            # Pandera reports it once per key column; it is one failure of the row.
            if ("primary-key", index) in seen:
                continue
            seen.add(("primary-key", index))
            check, message = "primary-key", "primary key appears in more than one row"
            column, value = None, _key(df, table, index)
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
        row = index + 2 if index is not None else None
        report.add(
            Failure(
                "pandera",
                table.name,
                file,
                row,
                None if column is None else str(column),
                _plain(value),
                check,
                message,
                _key(df, table, index),
            )
        )


PANDERA_NAMES = {
    "greater_than_or_equal_to": "minimum",
    "less_than_or_equal_to": "maximum",
    "isin": "enum",
    "str_matches": "pattern",
    "str_length": "length",
    "enum": "enum",
    "minimum": "minimum",
    "maximum": "maximum",
    "pattern": "pattern",
    "format-uri": "format",
}
CONSTRAINT_MESSAGES = {
    "minimum": "value is below the field's minimum",
    "maximum": "value is above the field's maximum",
    "enum": "value is not in the field's vocabulary (spelling, case and spaces must match)",
    "pattern": "value does not match the field's pattern",
    "length": "value has the wrong length",
    "format": "value is not a URL",
}


def _plain(value: Any) -> Any:
    if isinstance(value, pd.Timestamp):
        try:
            return value.date().isoformat()
        except (ValueError, NotImplementedError):  # a year Python's datetime cannot hold
            return str(value)[:10]
    if hasattr(value, "item"):
        return value.item()
    return value
