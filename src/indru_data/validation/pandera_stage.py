"""Stage 2: each table's Table Schema, translated to a Pandera schema, checked on the typed frame.

The Table Schema in schemas/ is the single definition of every field; this module derives the
Pandera form from it at run time (nothing derived is committed, so nothing can go stale).
Pandera runs lazily: every failure in every column is collected, not just the first.
"""

from __future__ import annotations

import sys
from typing import Any

import numpy as np
import pandas as pd

from indru_data.core.descriptor import Field, Table
from indru_data.core.dtypes import coerce_column
from indru_data.validation import cells
from indru_data.validation.file_stage import MAX_CELL_CHARS
from indru_data.validation.report import Failure, Report
from indru_data.validation.rules import Rule, build_rules


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
        values = _unusable_cells(text[f.name].reset_index(drop=True), f, text, table, report, file)
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


# "inf", "-Infinity", "NaN" in any case: Python and pandas read them as numbers.
_NON_FINITE_WORD = r"\s*[+-]?(?:inf|infinity|nan)\s*"


def _unusable_cells(
    values: pd.Series, f: Field, text: pd.DataFrame, table: Table, report: Report, file: str | None
) -> pd.Series:
    """Report and blank the cells no later check should see: oversized cells, non-finite numbers.

    Blanked, they cannot fill a report with megabytes or pass a range check as infinity; the
    report then names them once (Report.add drops other failures of the same cell).
    """
    s = values.astype("string")
    lengths = s.str.len()
    too_large = (lengths > MAX_CELL_CHARS).fillna(False).to_numpy(dtype=bool)
    for i in too_large.nonzero()[0]:
        report.add(
            Failure(
                "pandera",
                table.name,
                file,
                int(i) + 2,
                f.name,
                None,
                "cell-too-large",
                f"cell has {int(lengths.iloc[i])} characters, more than the limit of "
                f"{MAX_CELL_CHARS}",
                _text_key(text, table, int(i)),
            )
        )
    bad = too_large
    if f.type == "number":
        # No figure of this package is infinite or undefined: "inf", "NaN" and numbers beyond
        # the float range (1e400 reads as infinity) are refused wherever a number is allowed.
        word = s.str.fullmatch(_NON_FINITE_WORD, case=False).fillna(False).to_numpy(dtype=bool)
        with np.errstate(over="ignore"):
            huge = np.isinf(pd.to_numeric(s, errors="coerce").to_numpy(dtype=float, na_value=0.0))
        non_finite = (word | huge) & ~too_large
        for i in non_finite.nonzero()[0]:
            report.add(
                Failure(
                    "pandera",
                    table.name,
                    file,
                    int(i) + 2,
                    f.name,
                    str(s.iloc[i]),
                    "non-finite-number",
                    "not a finite number (infinity, NaN and numbers beyond about 1.8e308 "
                    "are refused)",
                    _text_key(text, table, int(i)),
                )
            )
        bad = bad | non_finite
    return values.mask(bad, None) if bad.any() else values


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


_READY: list[bool] = []


def _register_backends() -> None:
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


def check_frame(df: pd.DataFrame, table: Table, report: Report, file: str | None) -> None:
    """Run the Pandera schema over a typed frame and add its failures to the report."""
    import pandera.errors

    _register_backends()
    schema, rules = build_schema(table)
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
            report.add(
                Failure(
                    "pandera",
                    table.name,
                    file,
                    None,
                    rule.column,
                    None,
                    rule.name,
                    f"{rule.description}: the rule could not be checked ({type(exc).__name__}: {exc})",
                )
            )
            continue
        if not isinstance(result, pd.Series):
            if not bool(result):
                report.add(
                    Failure(
                        "pandera",
                        table.name,
                        file,
                        None,
                        rule.column,
                        None,
                        rule.name,
                        rule.description,
                    )
                )
            continue
        passed = result.astype("boolean").fillna(True).to_numpy(dtype=bool)
        failing = (~passed).nonzero()[0]
        if not len(failing):
            continue
        keys = _keys(df, table)
        columns = [c for c in (rule.column or "").split(",") if c in df.columns]
        arrays = [df[c].to_numpy(dtype=object) for c in columns]
        for i in failing:
            i = int(i)
            if rule.column is None or not columns:
                value = keys[i]  # a rule about the whole row: the primary key
            elif len(arrays) == 1:
                value = _plain(arrays[0][i])
            else:
                value = "/".join(str(_plain(a[i])) for a in arrays)
            if isinstance(value, float) and pd.isna(value):
                value = None
            report.add(
                Failure(
                    "pandera",
                    table.name,
                    file,
                    i + 2,
                    rule.column,
                    value,
                    rule.name,
                    rule.description,
                    keys[i],
                )
            )


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
        row = index + 2 if index is not None else None
        report.add(
            Failure(
                "pandera",
                table.name,
                file,
                row,
                None if column is None or pd.isna(column) else str(column),
                _plain(value),
                check,
                message,
                None if index is None or index >= len(keys) else keys[index],
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
    "maxLength": "value is longer than the field's maxLength",
    "minLength": "value is shorter than the field's minLength",
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
