"""Stage 5, row rules: a schema's `x-checks` and its primary key, run on the typed frame.

Every rule is a function of a typed DataFrame returning a boolean Series (True where the row
passes); each failing row is one failure (`check_rows`). Adding a table never needs code here: only a new *kind* of rule does.

Kinds:
- unique_together {fields}: no two rows share the same values in these columns.
- date_order {earlier, later}: earlier <= later where both are present.
- not_after_today {field}: a date is not in the future.
- required_together {fields}: these columns are all filled or all empty.
- required_any {fields}: at least one of these columns is filled.
- ordinal_matches_order {field, order_by}: a numbered row's number is its position in that order
  (consecutive numbers, no gaps, in date order).
- row_rule {name, expression, columns}: an expression over the row's columns in the closed
  grammar of validation.expressions (parsed and checked, never executed as code).
- group_total {group_by, category_field, total_category, value_field, tolerance}: within a group
  that has the total and at least two parts, |total - sum(parts)| <= tolerance.
- group_sum_at_most {group_by, value_field, limit}: the values of a group add up to at most limit
  (shares of one whole).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from functools import partial
from typing import Any

import pandas as pd

from indru_data.core.descriptor import Table
from indru_data.validation.expressions import Expression, ExpressionError
from indru_data.validation.report import Report


@dataclass(frozen=True)
class Rule:
    name: str
    column: str | None  # the column a failure is reported against
    description: str
    fn: Callable[[pd.DataFrame], pd.Series]


def _unique_together(spec: dict[str, Any]) -> Rule:
    fields = spec["fields"]
    return Rule(
        f"unique_together({','.join(fields)})",
        ",".join(fields),
        spec.get("description", f"no two rows share {', '.join(fields)}"),
        lambda df: ~df.duplicated(subset=fields, keep=False),
    )


def _date_order(spec: dict[str, Any]) -> Rule:
    a, b = spec["earlier"], spec["later"]

    def fn(df: pd.DataFrame) -> pd.Series:
        both = df[a].notna() & df[b].notna()
        return ~both | (df[a] <= df[b])

    return Rule(
        f"date_order({a}<={b})", b, spec.get("description", f"{a} must not be after {b}"), fn
    )


def _not_after_today(spec: dict[str, Any]) -> Rule:
    col = spec["field"]

    def fn(df: pd.DataFrame) -> pd.Series:
        today = pd.Timestamp(dt.date.today())
        return df[col].isna() | (df[col] <= today)

    return Rule(
        f"not_after_today({col})", col, spec.get("description", f"{col} is not in the future"), fn
    )


def _required_together(spec: dict[str, Any]) -> Rule:
    fields = spec["fields"]

    def fn(df: pd.DataFrame) -> pd.Series:
        filled = df[fields].notna().sum(axis=1)
        return (filled == 0) | (filled == len(fields))

    return Rule(
        f"required_together({','.join(fields)})",
        fields[-1],
        spec.get("description", f"{', '.join(fields)} are filled together"),
        fn,
    )


def _required_any(spec: dict[str, Any]) -> Rule:
    fields = spec["fields"]
    return Rule(
        f"required_any({','.join(fields)})",
        fields[0],
        spec.get("description", f"at least one of {', '.join(fields)} is filled"),
        lambda df: df[fields].notna().any(axis=1),
    )


def _row_rule(
    spec: dict[str, Any], columns: Collection[str] | Mapping[str, str] | None = None
) -> Rule:
    # Parsed and checked here, when the schema is read, so a hostile rule is refused before
    # any data is touched; evaluation only ever walks the checked tree.
    expression = Expression(spec["expression"], columns)

    def fn(df: pd.DataFrame) -> pd.Series:
        result = expression.evaluate(df)
        # A rule over a missing value is not broken by this rule (required-ness is checked elsewhere).
        return pd.Series(result, index=df.index).astype("boolean").fillna(True).astype(bool)

    rule_columns = spec.get("columns") or []
    return Rule(
        str(spec["name"]),
        rule_columns[0] if rule_columns else None,
        spec.get("description", expression.text),
        fn,
    )


def _group_total(spec: dict[str, Any]) -> Rule:
    keys, cat, value = spec["group_by"], spec["category_field"], spec["value_field"]
    total_cat, tolerance = spec["total_category"], float(spec["tolerance"])

    def fn(df: pd.DataFrame) -> pd.Series:
        # Vectorised over groups (one groupby pass per quantity, no Python loop per group):
        # a group is checked when it has exactly one total row and at least two distinct parts;
        # a missing category counts as a part row but not as a distinct part.
        group = df.groupby(keys, dropna=False, observed=True, sort=False).ngroup()
        category = df[cat].astype(object)
        is_total = (category == total_cat).fillna(False).astype(bool)
        is_part = ~is_total
        totals = is_total.groupby(group).transform("sum")
        distinct_parts = category.where(is_part).groupby(group).transform("nunique")
        values = df[value].astype("float64")
        parts_sum = values.where(is_part).groupby(group).transform("sum")
        checked = is_total & (totals == 1) & (distinct_parts >= 2)
        # NaN (a missing total) compares False: a missing value is not this rule's failure.
        broken = checked & ((values - parts_sum).abs() > tolerance)
        return ~broken

    return Rule(
        f"group_total({value}:{total_cat}=sum of parts)",
        value,
        spec.get("description", f"{total_cat} equals the sum of the other {cat} values"),
        fn,
    )


def _group_sum_at_most(spec: dict[str, Any]) -> Rule:
    keys, value, limit = spec["group_by"], spec["value_field"], float(spec["limit"])

    def fn(df: pd.DataFrame) -> pd.Series:
        sums = df.groupby(keys, dropna=False, observed=True)[value].transform("sum")
        return ~(sums > limit)

    return Rule(
        f"group_sum_at_most({value}<={limit:g})",
        value,
        spec.get("description", f"{value} sums to at most {limit:g} per {', '.join(keys)}"),
        fn,
    )


def _ordinal(spec: dict[str, Any]) -> Rule:
    col, order = spec["field"], spec["order_by"]

    def fn(df: pd.DataFrame) -> pd.Series:
        rank = df[order].rank(method="first")
        return df[col].isna() | (df[col] == rank)

    return Rule(
        f"ordinal_matches_order({col} by {order})",
        col,
        spec.get(
            "description", f"{col} equals the row's position when rows are ordered by {order}"
        ),
        fn,
    )


KINDS: dict[str, Callable[[dict[str, Any]], Rule]] = {
    "unique_together": _unique_together,
    "date_order": _date_order,
    "not_after_today": _not_after_today,
    "required_together": _required_together,
    "required_any": _required_any,
    "row_rule": _row_rule,
    "group_total": _group_total,
    "group_sum_at_most": _group_sum_at_most,
    "ordinal_matches_order": _ordinal,
}


class RuleError(ValueError):
    """An x-checks entry that cannot be turned into a rule; the message says which and why."""


def build_rules(
    checks: list[dict[str, Any]], columns: Collection[str] | Mapping[str, str] | None = None
) -> list[Rule]:
    """The rules of a schema's `x-checks`; raises RuleError naming the entry that is wrong.

    With `columns`, a row rule naming a column the table lacks is refused too; given as a
    mapping of names to Table Schema types, arithmetic on a text column is refused as well.
    """
    if not isinstance(checks, list):
        raise RuleError("x-checks must be a list of rules")
    rules = []
    for i, spec in enumerate(checks):
        label = f"x-checks[{i}]"
        if not isinstance(spec, dict):
            raise RuleError(f"{label} is not an object")
        if isinstance(spec.get("name"), str):
            label += f" ({spec['name']!r})"
        kind = spec.get("kind")
        if kind not in KINDS:
            raise RuleError(f"{label}: unknown kind {kind!r}; known kinds: {', '.join(KINDS)}")
        try:
            rules.append(_row_rule(spec, columns) if kind == "row_rule" else KINDS[kind](spec))
        except ExpressionError as exc:
            raise RuleError(f"{label}: {exc}") from None
        except KeyError as exc:
            raise RuleError(f"{label}: the {kind} rule needs {exc.args[0]!r}") from None
        except (TypeError, ValueError) as exc:
            raise RuleError(f"{label}: {exc}") from None
    return rules


def table_rules(table: Table) -> list[Rule]:
    """The table's x-checks, and Frictionless's two rules of the primary key, reported per row:
    its cells must not all be empty, and no two rows share it."""
    rules = build_rules(table.checks, table.field_types)
    pk = table.primary_key if set(table.primary_key) <= set(table.field_names) else []
    if pk:
        rules += [_pk_not_empty(pk), _pk_unique(pk)]
    return rules


def _pk_unique(pk: list[str]) -> Rule:
    # Checked here, not with Pandera's `unique=`: Pandera reshapes its failure cases row by
    # row (14 s for 200,000 duplicates) and reports each row once per key column.
    return Rule(
        "primary-key",
        None,
        "primary key appears in more than one row",
        lambda df: _distinct(df, pk),
    )


def _distinct(df: pd.DataFrame, pk: list[str]) -> pd.Series:
    """True where no other row has the same key. A one-column text key whose values are all
    distinct (the usual case) is settled by one Arrow count; any other by pandas."""
    if len(pk) == 1 and isinstance(df[pk[0]].array, pd.arrays.ArrowStringArray):
        import pyarrow.compute as pc

        if pc.count_distinct(df[pk[0]].array.__arrow_array__(), mode="all").as_py() == len(df):
            return pd.Series(True, index=df.index)
    return ~df.duplicated(subset=pk, keep=False)


def _pk_not_empty(pk: list[str]) -> Rule:
    return Rule(
        "primary-key",
        None,
        "the cells of the primary key are all empty",
        # One key column (the usual case) without building a sub-frame: that cost more than
        # the test on a small table.
        (lambda df: df[pk[0]].notna()) if len(pk) == 1 else (lambda df: df[pk].notna().any(axis=1)),
    )


def check_rows(df: pd.DataFrame, table: Table, report: Report, file: str | None) -> None:
    """Run each row rule over the frame; one failure per failing row (a missing answer passes)."""
    rules = table_rules(table)
    df = df.reset_index(drop=True)
    for rule in rules:
        try:
            result = rule.fn(df)
        except Exception as exc:  # a rule that cannot run on this frame is itself a failure
            report.fail(
                "pandera",
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
                    "pandera", table.name, file, rule.name, rule.description, column=rule.column
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
        keys = row_keys(df, table)
        columns = [c for c in (rule.column or "").split(",") if c in df.columns]
        arrays = [df[c].to_numpy(dtype=object) for c in columns]
        for i in failing:
            i = int(i)
            report.fail(
                "pandera",
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
        value = plain(arrays[0][i])
    else:
        value = "/".join(str(plain(a[i])) for a in arrays)
    if isinstance(value, float) and pd.isna(value):
        return None
    return value


def row_keys(df: pd.DataFrame, table: Table) -> list[str | None]:
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


def plain(value: Any) -> Any:
    if isinstance(value, pd.Timestamp):
        try:
            return value.date().isoformat()
        except (ValueError, NotImplementedError):  # a year Python's datetime cannot hold
            return str(value)[:10]
    if hasattr(value, "item"):
        return value.item()
    return value
