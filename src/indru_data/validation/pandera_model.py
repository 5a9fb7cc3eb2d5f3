"""The Pandera model of a table, built from its Table Schema at run time.

The Table Schema in schemas/ is the single definition of every field; this module derives the
Pandera form from it (nothing derived is committed, so nothing can go stale). pandera_stage.py
runs it on the typed frame and reports what it finds.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from ..descriptor import Field, Table
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
    # Own checks, not Check.str_length: Pandera reports that one as "str_length(None, 5000)",
    # which would not say whether the value was too long or too short.
    if "minLength" in c:
        low = int(c["minLength"])
        checks.append(pa.Check(lambda s: s.str.len() >= low, name="minLength"))
    if "maxLength" in c:
        high = int(c["maxLength"])
        checks.append(pa.Check(lambda s: s.str.len() <= high, name="maxLength"))
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
        # Frictionless's rules, reported for the row: the cells of a primary key must not all
        # be empty (also when a `required` failure names the cell), and no two rows share it.
        rules["primary-key"] = _pk_not_empty(pk)
        rules["primary-key-unique"] = _pk_unique(pk)
    # The rules are run by run_rules(), not as Pandera frame checks: Pandera reports a failing
    # row once per column (13 cases per row of trade_annual), which for 200,000 bad rows was
    # gigabytes of failure cases to throw away again.
    schema = pa.DataFrameSchema(
        columns,
        strict=False,
        coerce=False,
        name=table.name,
    )
    return schema, rules


def _pk_unique(pk: list[str]) -> Rule:
    # Checked here, not with Pandera's `unique=`: Pandera reshapes its failure cases row by
    # row (14 s for 200,000 duplicates) and reports each row once per key column.
    return Rule(
        "primary-key",
        None,
        "primary key appears in more than one row",
        lambda df: ~df.duplicated(subset=pk, keep=False),
    )


def _pk_not_empty(pk: list[str]) -> Rule:
    return Rule(
        "primary-key",
        None,
        "the cells of the primary key are all empty",
        lambda df: df[pk].notna().any(axis=1),
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
    "maxLength": "value is longer than the field's maxLength",
    "minLength": "value is shorter than the field's minLength",
    "format": "value is not a URL",
}
