"""The Pandera model of a table, built from its Table Schema at run time.

The Table Schema in schemas/ is the single definition of every field; this module derives the
Pandera form from it (nothing derived is committed, so nothing can go stale). pandera_stage.py
runs it on the typed frame and reports what it finds.

Why not Pandera's own importer (`pandera.io.pandas_io.from_frictionless_schema`, measured in
../shared/STACK.md): it makes `integer` a non-nullable int64 (one empty cell of an optional
column fails as a coercion error), leaves `date` as unchecked text ("2019-13-45" passes), drops
foreignKeys and missingValues, names a length check "str_length(None, 5000)" without saying
which bound failed, and its `pandera[frictionless]` extra pins frictionless <= 4.40.8. Here the
typing stage has already typed every cell as Frictionless reads it (nullable Int64, real dates),
so the model needs no dtypes, only the constraints, each named as Frictionless names it.

The checks on text run on the column's Arrow array where it has one (enum, minLength,
maxLength: one Arrow kernel, no Python object per cell); patterns stay with pandas' `str.match`,
which chooses between Arrow's and Python's regex engines so that Python's meaning holds.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from indru_data.core.descriptor import Field, Table
from indru_data.validation.rules import Rule, build_rules


def _bound(f: Field, value: Any) -> Any:
    return pd.Timestamp(value) if f.type == "date" else value


def _on_text(arrow_test: Any, pandas_test: Any) -> Any:
    """A check function: `arrow_test` on Arrow-backed text (a missing cell passes, as Pandera
    ignores missing values), `pandas_test` on anything else."""

    def check(s: pd.Series) -> pd.Series:
        if isinstance(s.array, pd.arrays.ArrowStringArray):
            import pyarrow.compute as pc

            passed = pc.fill_null(arrow_test(s.array.__arrow_array__()), True)
            return pd.Series(passed.to_numpy(zero_copy_only=False), index=s.index)
        return pandas_test(s)

    return check


def _isin(values: list[str]) -> Any:
    import pyarrow as pa
    import pyarrow.compute as pc

    value_set = pa.array(values, pa.large_string())
    return _on_text(lambda a: pc.is_in(a, value_set=value_set), lambda s: s.isin(values))


def _length(op: str, bound: int) -> Any:
    import pyarrow.compute as pc

    arrow_op = pc.greater_equal if op == "ge" else pc.less_equal

    def by_pandas(s: pd.Series) -> pd.Series:
        n = s.str.len()
        return n >= bound if op == "ge" else n <= bound

    return _on_text(lambda a: arrow_op(pc.utf8_length(a), bound), by_pandas)


def column_checks(f: Field) -> list[Any]:
    import pandera.pandas as pa

    c = f.constraints
    checks = []
    if f.enum is not None:
        checks.append(pa.Check(_isin([str(v) for v in f.enum]), name="enum"))
    if "minimum" in c:
        checks.append(pa.Check.ge(_bound(f, c["minimum"]), name="minimum"))
    if "maximum" in c:
        checks.append(pa.Check.le(_bound(f, c["maximum"]), name="maximum"))
    if "pattern" in c:
        checks.append(pa.Check.str_matches(f"^(?:{c['pattern']})$", name="pattern"))
    # Own checks, not Check.str_length: Pandera reports that one as "str_length(None, 5000)",
    # which would not say whether the value was too long or too short.
    if "minLength" in c:
        checks.append(pa.Check(_length("ge", int(c["minLength"])), name="minLength"))
    if "maxLength" in c:
        checks.append(pa.Check(_length("le", int(c["maxLength"])), name="maxLength"))
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
    rules = {r.name: r for r in build_rules(table.checks, table.field_types)}
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
