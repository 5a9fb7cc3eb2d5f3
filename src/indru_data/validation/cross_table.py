"""Stage 6, cross-table: rules across tables: foreign keys, key lists, child counts, every source used.

CSV and Parquet agreeing is the last stage, in parquet_agreement.py.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from indru_data.core.descriptor import DataPackage, Table
from indru_data.validation.report import Report


def fail(
    report: Report,
    table: str,
    file: str | None,
    line: int | None,
    column: str | None,
    value: object,
    rule: str,
    message: str,
    key: str | None = None,
) -> None:
    """Add one cross-table failure; `line` is the CSV line (header = 1) or None."""
    if isinstance(value, np.generic):  # a cell read from a frame: said as Python says it
        value = value.item()
    report.fail(
        "cross-table", table, file, rule, message, row=line, column=column, value=value, key=key
    )


def _names(fields: str | list[str]) -> list[str]:
    """A Table Schema key is one field name or a list of them."""
    return [fields] if isinstance(fields, str) else list(fields)


def table_rules(
    table: Table,
    frame: pd.DataFrame,
    frames: dict[str, pd.DataFrame],
    report: Report,
    file: str | None,
) -> None:
    """Every rule that looks from one table into others: the package and a user's frame alike."""
    foreign_keys(table, frame, frames, report, file)
    list_foreign_keys(table, frame, frames, report, file)
    child_counts(table, frame, frames, report, file)
    preferred_rows(table, frame, frames, report, file)


def preferred_rows(
    table: Table,
    frame: pd.DataFrame,
    frames: dict[str, pd.DataFrame],
    report: Report,
    file: str | None,
) -> None:
    """Exactly one preferred row per observation, and the one the rule picks (see `preferred`)."""
    key = table.observation_key
    if key is None or "preferred" not in frame or "sources" not in frames:
        return
    from indru_data.core.preferred import problems

    frame = frame.reset_index(drop=True)
    needed = {*key.fields, "source_id", *table.primary_key}
    if not needed <= set(frame.columns) or not {"authority", "published_date"} <= set(
        frames["sources"].columns
    ):
        return
    for i, message in problems(frame, key, table.primary_key, frames["sources"]):
        fail(
            report,
            table.name,
            file,
            int(i) + 2,
            "preferred",
            frame.at[i, "preferred"],
            "preferred-row",
            f"{message} (observation: {', '.join(key.fields)})",
            _key(table, frame, int(i)),
        )


def foreign_keys(
    table: Table,
    frame: pd.DataFrame,
    frames: dict[str, pd.DataFrame],
    report: Report,
    file: str | None,
) -> None:
    for fk in table.foreign_keys:
        fields = _names(fk["fields"])
        ref = fk["reference"]
        target = ref.get("resource") or table.name
        ref_fields = _names(ref["fields"])
        if target not in frames:
            fail(
                report,
                table.name,
                file,
                None,
                ",".join(fields),
                target,
                "foreign-key-table",
                f"referenced table {target!r} is not available",
            )
            continue
        # As Frictionless: a key whose cells are all empty refers to nothing and is not checked.
        empty = frame[fields].isna().all(axis=1).to_numpy()
        here, there = frame[fields[0]], frames[target][ref_fields[0]]
        if len(fields) == len(ref_fields) == 1 and _is_text(here) and _is_text(there):
            # One text column on each side (the usual source_id): Arrow's is_in over the
            # distinct keys, the same comparison without a Python object per cell.

            found = _found_in(arrow_text(here), arrow_text(there))
            unmatched = [int(i) for i in (~found & ~empty).nonzero()[0]]
            rows = {i: (str(here.iloc[i]),) for i in unmatched}
        else:
            known = set(_key_tuples(frames[target][ref_fields]))
            keys = _key_tuples(frame[fields])
            rows = {i: k for i, k in enumerate(keys) if not empty[i] and k not in known}
        for i, row in rows.items():
            fail(
                report,
                table.name,
                file,
                i + 2,
                ",".join(fields),
                ",".join("" if v is None else v for v in row),
                "foreign-key",
                f"not found in {target}.{','.join(ref_fields)}",
                _key(table, frame, i),
            )


def _found_in(here, there):  # type: ignore[no-untyped-def]
    """For each value of `here`, whether `there` has it (False for a missing value).

    Arrow's is_in hashes its value set on every call: a small table pointing into a large one
    (20 tables into a million sources) hashes the small side and scans the large one instead.
    """
    import pyarrow.compute as pc

    if len(here) < len(there):
        wanted = pc.unique(here.drop_null())
        there = pc.filter(there, pc.fill_null(pc.is_in(there, value_set=wanted), False))
    found = pc.is_in(here, value_set=pc.unique(there.drop_null()))
    return pc.fill_null(found, False).to_numpy(zero_copy_only=False)


def _is_text(values: pd.Series) -> bool:
    return pd.api.types.is_string_dtype(values) and not isinstance(
        values.dtype, pd.CategoricalDtype
    )


def _key_tuples(frame: pd.DataFrame) -> list[tuple[str | None, ...]]:
    """Each row's key as text, with None for an empty cell (so partly empty keys compare too)."""
    text = frame.astype(object).where(frame.notna(), None)
    return [
        tuple(None if v is None else str(v) for v in row) for row in text.itertuples(index=False)
    ]


def list_foreign_keys(
    table: Table,
    frame: pd.DataFrame,
    frames: dict[str, pd.DataFrame],
    report: Report,
    file: str | None,
) -> None:
    """Check columns that hold several keys ("a;b") of another table."""
    for spec in table.foreign_key_lists:
        col, sep = spec["field"], spec.get("separator", ";")
        target, ref_field = spec["reference"]["resource"], spec["reference"]["field"]
        if target not in frames:
            continue
        known = arrow_text(frames[target][ref_field].astype(str))
        cells = frame[col].reset_index(drop=True).dropna().astype(str).astype(object)
        # One row per key, indexed by the row's position, in the order of the cells.
        parts = cells.str.split(sep, regex=False).explode().astype(str)
        if parts.empty:
            continue
        found = _found_in(arrow_text(parts), known)
        for i, value in parts[~found].items():
            fail(
                report,
                table.name,
                file,
                int(i) + 2,
                col,
                value,
                "foreign-key",
                f"not found in {target}.{ref_field}",
                _key(table, frame, int(i)),
            )


def child_counts(
    table: Table,
    frame: pd.DataFrame,
    frames: dict[str, pd.DataFrame],
    report: Report,
    file: str | None,
) -> None:
    """x-childCounts: a count column may not be smaller than the rows another table links to it.

    E.g. an action naming 19 Indian entities may have at most 19 rows in sanctioned_entities;
    fewer means the list is incomplete (said in the docs), more means a wrong count or link.
    """
    for spec in table.schema.get("x-childCounts", []):
        child, fk, count = spec["child"], spec["child_field"], spec["count_field"]
        if child not in frames:
            continue
        key = table.primary_key[0]
        rows = frames[child]
        for col, wanted in spec.get("child_filter", {}).items():
            rows = rows[rows[col].astype(object) == wanted]
        n = rows[fk].astype(str).value_counts()
        for i, (k, stated) in enumerate(zip(frame[key].astype(str), frame[count], strict=True)):
            listed = int(n.get(k, 0))
            if not pd.isna(stated) and listed > int(stated):
                fail(
                    report,
                    table.name,
                    file,
                    i + 2,
                    count,
                    int(stated),
                    "child-count",
                    f"{child} lists {listed} rows for this row, more than {count} = {int(stated)}",
                    k,
                )


def _cited(table: Table, frame: pd.DataFrame, target: str) -> list[Any]:
    """Keys of `target` that this table's rows point to, through foreign keys and key lists,
    as Arrow text (only which keys occur matters; a key list is split by Arrow, not per row)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    values: list[Any] = []
    for fk in table.foreign_keys:
        fields = _names(fk["fields"])
        if fk["reference"].get("resource") == target and len(fields) == 1:
            values.append(arrow_text(frame[fields[0]].dropna().astype(str)))
    for spec in table.foreign_key_lists:
        if spec["reference"]["resource"] == target:
            cells = arrow_text(frame[spec["field"]].dropna().astype(str))
            split = pc.split_pattern(cells.cast(pa.large_string()), spec.get("separator", ";"))
            values.append(pc.list_flatten(split))
    return [pa.chunked_array(v).cast(pa.large_string()) for v in values]


def sources_used(package: DataPackage, frames: dict[str, pd.DataFrame], report: Report) -> None:
    """Every row of a table that others point to (the sources table) must be pointed to."""
    if "sources" not in frames:
        return
    import pyarrow as pa
    import pyarrow.compute as pc

    cited: list[Any] = []
    for table in package.tables.values():
        if table.name in frames and table.name != "sources":
            cited += _cited(table, frames[table.name], "sources")
    used = pa.chunked_array(
        [chunk for c in cited for chunk in c.chunks] or [[]],
        pa.large_string(),
    )
    table = package.table("sources")
    key = table.primary_key[0]
    keys = frames["sources"][key].astype(str).astype(object)
    found = pc.is_in(pa.array(keys, pa.large_string(), from_pandas=True), value_set=pc.unique(used))
    found = pc.fill_null(found, False).to_numpy(zero_copy_only=False)
    for i in (~found).nonzero()[0]:
        v = keys.iloc[int(i)]
        fail(
            report,
            "sources",
            rel(table, package),
            int(i) + 2,
            key,
            v,
            "source-unused",
            "no row of any table cites this source",
            v,
        )


def arrow_text(col: pd.Series):  # type: ignore[no-untyped-def]
    """A text column as Arrow: shared with pandas' Arrow-backed strings, else converted."""
    import pyarrow as pa

    if hasattr(col.array, "__arrow_array__"):
        return pa.chunked_array(col.array.__arrow_array__())
    return pa.chunked_array([pa.array(col.astype(object), type=pa.string(), from_pandas=True)])


def _key(table: Table, frame: pd.DataFrame, i: int) -> str | None:
    pk = table.primary_key
    if not pk or any(k not in frame.columns for k in pk):
        return None
    return "/".join(str(frame.iloc[i][k]) for k in pk)


def rel(table: Table, package: DataPackage) -> str:
    try:
        return str(table.path.relative_to(package.root))
    except ValueError:
        return str(table.path)
