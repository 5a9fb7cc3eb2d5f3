"""The changes between two data packages (PackageDiff) and how they print.

The result of indru_data.release.diff.diff: its kinds of change, its tables, and its text,
Markdown and JSON forms. Kept apart from the comparison so that code which only reads or
prints a diff (versioning, the CLI) does not need the comparison's machinery, and so that
neither module imports the other.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

KEY_SEPARATOR = " | "

# Kinds of schema change, as they appear in PackageDiff.schema["change"].
TABLE_ADDED = "table_added"
TABLE_REMOVED = "table_removed"
COLUMN_ADDED = "column_added"
COLUMN_REMOVED = "column_removed"
COLUMN_RENAMED = "column_renamed"
COLUMN_RETYPED = "column_retyped"
UNIT_CHANGED = "unit_changed"
VOCABULARY_ADDED = "vocabulary_added"
VOCABULARY_REMOVED = "vocabulary_removed"
PRIMARY_KEY_CHANGED = "primary_key_changed"

# Kinds of row change, as they appear in PackageDiff.rows["change"].
ROW_ADDED = "added"
ROW_REMOVED = "removed"
ROW_CHANGED = "changed"

ROW_COLUMNS = ["table", "key", "change", "column", "old", "new"]
SCHEMA_COLUMNS = ["table", "change", "column", "old", "new"]
PROBLEM_COLUMNS = ["table", "package", "key", "problem", "detail"]
COUNT_COLUMNS = [
    "rows_old",
    "rows_new",
    "rows_added",
    "rows_removed",
    "rows_changed",
    "cells_changed",
    "schema_changes",
    "problems",
]
SUMMARY_COLUMNS = ["table", "status", *COUNT_COLUMNS]


@dataclass(frozen=True)
class Side:
    """One of the two packages compared."""

    path: Path
    version: str


@dataclass(frozen=True)
class PackageDiff:
    """The differences between an old and a new data package, as DataFrames."""

    old: Side
    new: Side
    rows: pd.DataFrame
    schema: pd.DataFrame
    problems: pd.DataFrame
    summary: pd.DataFrame

    @property
    def has_changes(self) -> bool:
        """True when a schema or a row differs (problems alone do not count)."""
        return not (self.rows.empty and self.schema.empty)

    def to_dict(self) -> dict[str, Any]:
        return render_dict(self)

    def to_json(self) -> str:
        return render_json(self)

    def to_text(self) -> str:
        return render_text(self)

    def to_markdown(self, limit: int | None = 50) -> str:
        """Markdown for a CHANGELOG entry; lists at most `limit` rows per table and kind."""
        return render_markdown(self, limit=limit)


# --- cell values -------------------------------------------------------------------------


def plain(value: Any) -> Any:
    """A cell as a plain Python value (None, bool, int, float, str); dates as ISO text."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat() if value == value.normalize() else value.isoformat()
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def cell_text(value: Any) -> str | None:
    """A cell as it would be written in the CSV (None when missing)."""
    value = plain(value)
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


EMPTY = "(empty)"


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    out = []
    for record in frame.astype(object).to_dict(orient="records"):
        out.append({k: (None if v is pd.NA else v) for k, v in record.items()})
    return out


def render_dict(d: PackageDiff) -> dict[str, Any]:
    return {
        "old": {"path": str(d.old.path), "version": d.old.version},
        "new": {"path": str(d.new.path), "version": d.new.version},
        "has_changes": d.has_changes,
        "totals": totals(d),
        "summary": _records(d.summary),
        "schema": _records(d.schema),
        "rows": _records(d.rows),
        "problems": _records(d.problems),
    }


def render_json(d: PackageDiff) -> str:
    return json.dumps(render_dict(d), indent=2, ensure_ascii=False, default=str)


def totals(d: PackageDiff) -> dict[str, int]:
    """Counts over all tables (rows of added or removed tables included)."""
    s = d.summary
    return {
        "schema_changes": len(d.schema),
        "rows_added": int(s["rows_added"].sum()),
        "rows_removed": int(s["rows_removed"].sum()),
        "rows_changed": int(s["rows_changed"].sum()),
        "cells_changed": int(s["cells_changed"].sum()),
        "problems": len(d.problems),
    }


def _n(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def headline(d: PackageDiff) -> str:
    t = totals(d)
    parts = [
        _n(t["schema_changes"], "schema change"),
        _n(t["rows_added"], "row") + " added",
        f"{t['rows_removed']} removed",
        f"{t['rows_changed']} changed ({_n(t['cells_changed'], 'cell')})",
    ]
    if t["problems"]:
        parts.append(_n(t["problems"], "problem"))
    return ", ".join(parts)


def _show(value: Any) -> str:
    text = cell_text(value)
    return EMPTY if text is None else text


def describe_schema_change(change: dict[str, Any], code: str = "'") -> str:
    """One schema change in words; `code` quotes names (' for text, ` for Markdown)."""

    def q(s: Any) -> str:
        return f"{code}{s}{code}"

    kind, column, old, new = change["change"], change["column"], change["old"], change["new"]
    text = {
        TABLE_ADDED: "table added",
        TABLE_REMOVED: "table removed",
        COLUMN_ADDED: f"column {q(column)} added ({new})",
        COLUMN_REMOVED: f"column {q(column)} removed (was {old})",
        COLUMN_RENAMED: f"column {q(old)} renamed to {q(new)}",
        COLUMN_RETYPED: f"column {q(column)} retyped from {old} to {new}",
        UNIT_CHANGED: f"column {q(column)} unit changed from {old or 'none'} to {new or 'none'}",
        VOCABULARY_ADDED: f"column {q(column)}: vocabulary value {q(new)} added",
        VOCABULARY_REMOVED: f"column {q(column)}: vocabulary value {q(old)} removed",
        PRIMARY_KEY_CHANGED: f"primary key changed from ({old}) to ({new})",
    }
    return text.get(kind, f"{kind} {column or ''} {old or ''} -> {new or ''}".strip())


# --- text --------------------------------------------------------------------------------


def render_text(d: PackageDiff) -> str:
    lines = [f"old: {d.old.path} (version {d.old.version})"]
    lines.append(f"new: {d.new.path} (version {d.new.version})")
    lines.append(headline(d))
    if not d.has_changes and d.problems.empty:
        lines.append("no differences")
        return "\n".join(lines)
    lines += ["", *_summary_table(d)]
    if not d.schema.empty:
        lines += ["", "schema changes:"]
        for c in _records(d.schema):
            lines.append(f"  {c['table']}: {describe_schema_change(c)}")
    if not d.rows.empty:
        lines += ["", "row changes:"]
        for r in _records(d.rows):
            lines.append(f"  {r['table']} [{r['key']}]{_row_text(r)}")
    if not d.problems.empty:
        lines += ["", "problems:"]
        for p in _records(d.problems):
            key = f" [{p['key']}]" if p["key"] else ""
            lines.append(f"  {p['table']} ({p['package']}){key}: {p['problem']}: {p['detail']}")
    return "\n".join(lines)


def _row_text(r: dict[str, Any]) -> str:
    if r["change"] == ROW_CHANGED:
        return f" {r['column']}: {_show(r['old'])} -> {_show(r['new'])}"
    return f": {r['change']}"


def _summary_table(d: PackageDiff) -> list[str]:
    heads = ["table", "status", "rows old", "rows new", "added", "removed", "changed", "cells"]
    heads.append("schema")
    cols = ["table", "status", "rows_old", "rows_new", "rows_added", "rows_removed"]
    cols += ["rows_changed", "cells_changed", "schema_changes"]
    body = [[_count(r[c]) for c in cols] for r in _records(d.summary)]
    widths = [max(len(h), *(len(row[i]) for row in body)) for i, h in enumerate(heads)]
    out = []
    for row in [heads, *body]:
        cells = [row[0].ljust(widths[0]), row[1].ljust(widths[1])]
        cells += [v.rjust(w) for v, w in zip(row[2:], widths[2:], strict=True)]
        out.append("  ".join(cells).rstrip())
    return out


def _count(value: Any) -> str:
    return "?" if value is None else str(value)


# --- Markdown ----------------------------------------------------------------------------


def _md(value: Any, width: int = 80) -> str:
    text = str(value).replace("|", "\\|").replace("\n", " ")
    return text if len(text) <= width else text[: width - 1] + "…"


def render_markdown(d: PackageDiff, limit: int | None = 50) -> str:
    """The data section of a CHANGELOG entry: counts per table, schema changes, rows."""
    old, new = d.old.version or "?", d.new.version or "?"
    if not d.has_changes and d.problems.empty:
        return f"No changes from data package version {old} to {new}.\n"
    lines = [f"Changes from data package version {old} to {new}: {headline(d)}."]
    lines += [
        "",
        "| table | rows | added | removed | changed | cells changed | schema changes |",
        "|---|--:|--:|--:|--:|--:|--:|",
    ]
    for r in _records(d.summary):
        rows = f"{_count(r['rows_old'])} → {_count(r['rows_new'])}"
        if r["status"] == "added":
            rows = f"new table, {_count(r['rows_new'])}"
        elif r["status"] == "removed":
            rows = f"removed table, {_count(r['rows_old'])}"
        lines.append(
            f"| `{r['table']}` | {rows} | {_count(r['rows_added'])} | "
            f"{_count(r['rows_removed'])} | {_count(r['rows_changed'])} | "
            f"{_count(r['cells_changed'])} | {_count(r['schema_changes'])} |"
        )
    if not d.schema.empty:
        lines += ["", "#### Schema changes", ""]
        lines += [f"- `{c['table']}`: {describe_schema_change(c, '`')}" for c in _records(d.schema)]
    rows = _records(d.rows)
    for change, title in ((ROW_ADDED, "Rows added"), (ROW_REMOVED, "Rows removed")):
        picked = [r for r in rows if r["change"] == change]
        if picked:
            lines += ["", f"#### {title}", ""]
            for table, keys in _by_table(picked).items():
                shown = ", ".join(f"`{_md(k)}`" for k in _limited(keys, limit))
                lines.append(f"- `{table}` ({len(keys)}): {shown}{_more(keys, limit)}")
    changed = [r for r in rows if r["change"] == ROW_CHANGED]
    if changed:
        lines += ["", "#### Values changed", "", "| table | key | column | old | new |"]
        lines.append("|---|---|---|---|---|")
        for table, cells in _by_table(changed).items():
            for r in _limited(cells, limit):
                lines.append(
                    f"| `{table}` | `{_md(r['key'])}` | `{r['column']}` | "
                    f"{_md(_show(r['old']))} | {_md(_show(r['new']))} |"
                )
            if limit is not None and len(cells) > limit:
                lines.append(f"| `{table}` | … | | | {len(cells) - limit} more changed cells |")
    if not d.problems.empty:
        lines += ["", "#### Problems", ""]
        for p in _records(d.problems):
            key = f" `{_md(p['key'])}`" if p["key"] else ""
            lines.append(f"- `{p['table']}` ({p['package']}){key}: {p['problem']}: {p['detail']}")
    return "\n".join(lines) + "\n"


def _by_table(records: list[dict[str, Any]]) -> dict[str, list[Any]]:
    grouped: dict[str, list[Any]] = {}
    for r in records:
        grouped.setdefault(r["table"], []).append(r if r["change"] == ROW_CHANGED else r["key"])
    return grouped


def _limited(items: list[Any], limit: int | None) -> list[Any]:
    return items if limit is None else items[:limit]


def _more(items: list[Any], limit: int | None) -> str:
    return "" if limit is None or len(items) <= limit else f" and {len(items) - limit} more"
