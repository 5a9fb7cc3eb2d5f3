"""Fault classes for the fault-injection suite: each breaks one thing in a copy of the real package.

A fault knows which tables it makes sense for (from the table's schema) and, once applied,
what validation must report: the table, the rule, and where it can be located, the row (CSV
line) and column. test_faults.py applies every fault to every table it fits.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from conftest import BrokenCopy, read_rows, rehash, write_rows

from indru_data.core.descriptor import Field, Table


@dataclass(frozen=True)
class Expected:
    rule: str  # prefix of the reported rule
    row: int | None = None  # CSV line number (header = 1)
    column: str | None = None


@dataclass(frozen=True)
class Fault:
    name: str
    fits: Callable[[Table], bool]
    apply: Callable[[BrokenCopy, Table], Expected]


def _rows(copy: BrokenCopy, table: Table) -> tuple[list[str], list[dict[str, str]]]:
    return read_rows(copy.csv(table.name))


def _first(table: Table, pred: Callable[[Field], bool]) -> Field | None:
    return next((f for f in table.fields if pred(f) and f.name not in table.primary_key), None)


def _filled_row(copy: BrokenCopy, table: Table, *cols: str) -> int:
    _, rows = _rows(copy, table)
    # a row where these cells are filled, so the fault replaces a real value; else the first row
    return next((i for i, r in enumerate(rows) if all(r[c] for c in cols)), 0)


def _set(
    copy: BrokenCopy, table: Table, row: int, col: str, value: str, rule: str, **kw: bool
) -> Expected:
    copy.set_cell(table.name, row, col, value, **kw)
    return Expected(rule, row + 2, col)


def _typed(f: Field) -> bool:
    return f.type in ("integer", "number", "date", "boolean")


def wrong_type(c: BrokenCopy, t: Table) -> Expected:
    f = _first(t, _typed)
    return _set(c, t, _filled_row(c, t, f.name), f.name, "not-a-value", "type")


def out_of_range(c: BrokenCopy, t: Table) -> Expected:
    f = _first(t, lambda f: f.type in ("integer", "number") and "maximum" in f.constraints)
    big = f.constraints["maximum"] + 1
    return _set(c, t, _filled_row(c, t, f.name), f.name, str(big), "constraint-error:maximum")


def negative(c: BrokenCopy, t: Table) -> Expected:
    f = _first(
        t, lambda f: f.type in ("integer", "number") and f.constraints.get("minimum", -1) >= 0
    )
    return _set(c, t, _filled_row(c, t, f.name), f.name, "-1", "constraint-error:minimum")


def _future_field(t: Table) -> str | None:
    return next((k["field"] for k in t.checks if k["kind"] == "not_after_today"), None)


def future_date(c: BrokenCopy, t: Table) -> Expected:
    col = _future_field(t)
    # keep the row's other dates consistent so only this rule breaks
    return _set(c, t, _filled_row(c, t, col), col, "2999-12-31", "not_after_today")


def before_start(c: BrokenCopy, t: Table) -> Expected:
    f = _first(t, lambda f: f.type == "date" and "minimum" in f.constraints)
    return _set(c, t, _filled_row(c, t, f.name), f.name, "1800-01-01", "constraint-error:minimum")


def _order_pair(t: Table) -> tuple[str, str, str, str] | None:
    """(earlier, later, rule, reported column) from a date_order check or an `a <= b` row rule."""
    for k in t.checks:
        if k["kind"] == "date_order":
            return k["earlier"], k["later"], "date_order", k["later"]
        if k["kind"] == "row_rule":
            m = re.fullmatch(r"(\w+) <= (\w+)", k["expression"])
            if m:
                return m.group(1), m.group(2), k["name"], k["columns"][0]
    return None


def date_order(c: BrokenCopy, t: Table) -> Expected:
    a, b, rule, column = _order_pair(t)
    i = _filled_row(c, t, a, b)
    later = _rows(c, t)[1][i][b]
    # a year (or one unit) after the later value
    is_date = t.field(b).type == "date"
    value = f"{int(later[:4]) + 1}{later[4:]}" if is_date else str(int(later) + 1)
    c.set_cell(t.name, i, a, value)
    return Expected(rule, i + 2, column)


def _enum_field(t: Table) -> Field | None:
    return _first(t, lambda f: bool(f.enum) and f.required)


def unknown_vocab(c: BrokenCopy, t: Table) -> Expected:
    f = _enum_field(t)
    return _set(c, t, 0, f.name, "zz_not_in_vocabulary", "constraint-error:enum")


def padded_vocab(c: BrokenCopy, t: Table) -> Expected:
    f = _enum_field(t)
    _, rows = _rows(c, t)
    return _set(c, t, 0, f.name, f" {rows[0][f.name]} ", "constraint-error:enum")


def cased_vocab(c: BrokenCopy, t: Table) -> Expected:
    f = _enum_field(t)
    _, rows = _rows(c, t)
    return _set(c, t, 0, f.name, rows[0][f.name].swapcase(), "constraint-error:enum")


def duplicate_key(c: BrokenCopy, t: Table) -> Expected:
    (pk,) = t.primary_key
    _, rows = _rows(c, t)
    return _set(c, t, 1, pk, rows[0][pk], "")  # rule: primary-key or constraint-error:unique


def _fk_field(t: Table) -> str:
    return t.foreign_keys[-1]["fields"][0]


def dangling_fk(c: BrokenCopy, t: Table) -> Expected:
    col = _fk_field(t)
    return _set(c, t, 0, col, "no-such-key", "foreign-key")


def missing_required(c: BrokenCopy, t: Table) -> Expected:
    f = _first(t, lambda f: f.required)
    return _set(c, t, 0, f.name, "", "constraint-error:required")


def missing_column(c: BrokenCopy, t: Table) -> Expected:
    col = t.fields[-1].name

    def drop(header: list[str], rows: list[dict[str, str]]) -> None:
        header.remove(col)
        for r in rows:
            del r[col]

    c.edit(t.name, drop)
    return Expected("missing-label", None, col)


def extra_column(c: BrokenCopy, t: Table) -> Expected:
    def add(header: list[str], rows: list[dict[str, str]]) -> None:
        header.append("unexpected_column")
        for r in rows:
            r["unexpected_column"] = "x"

    c.edit(t.name, add)
    return Expected("extra-label")


def swapped_columns(c: BrokenCopy, t: Table) -> Expected:
    a, b = t.fields[1].name, t.fields[2].name
    header, rows = _rows(c, t)
    i, j = header.index(a), header.index(b)
    header[i], header[j] = header[j], header[i]
    write_rows(c.csv(t.name), header, rows)
    rehash(c.descriptor)
    return Expected("incorrect-label")


def total_ne_sum(c: BrokenCopy, t: Table) -> Expected:
    spec = next(k for k in t.checks if k["kind"] == "group_total")
    keys, cat, val = spec["group_by"], spec["category_field"], spec["value_field"]
    _, rows = _rows(c, t)
    for i, r in enumerate(rows):
        group = [o for o in rows if all(o[k] == r[k] for k in keys)]
        if r[cat] == spec["total_category"] and len({o[cat] for o in group}) >= 3:
            return _set(
                c, t, i, val, str(float(r[val]) + 10 * spec["tolerance"] + 1000), "group_total"
            )
    raise AssertionError("no complete group")


def shares_over_100(c: BrokenCopy, t: Table) -> Expected:
    f = _first(t, lambda f: f.type == "number" and f.constraints.get("maximum") == 100)
    return _set(c, t, _filled_row(c, t, f.name), f.name, "150", "constraint-error:maximum")


def shares_sum_over_100(c: BrokenCopy, t: Table) -> Expected:
    spec = next(k for k in t.checks if k["kind"] == "group_sum_at_most")
    keys, val = spec["group_by"], spec["value_field"]
    _, rows = _rows(c, t)
    i = next(i for i, r in enumerate(rows) if r[val])
    group = [j for j, o in enumerate(rows) if all(o[k] == rows[i][k] for k in keys) and o[val]]
    if len(group) == 1:  # a lone share: add a sibling that pushes the group over the limit

        def add(_h: list[str], rs: list[dict[str, str]]) -> None:
            extra = dict(rs[i])
            pk = t.primary_key[0]
            extra[pk] = extra[pk] + "-extra"
            for k in t.checks:
                if k["kind"] == "unique_together":
                    for col in k["fields"]:
                        if col not in keys and col != val:
                            extra[col] = extra[col] + " (extra)"
            extra[val] = "99"
            rs[i][val] = "99"
            rs.append(extra)

        c.edit(t.name, add)
    else:

        def raise_all(_h: list[str], rs: list[dict[str, str]]) -> None:
            for j in group:
                rs[j][val] = "99"

        c.edit(t.name, raise_all)
    return Expected("group_sum_at_most", i + 2, val)


def truncated(c: BrokenCopy, t: Table) -> Expected:
    path = c.csv(t.name)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) - 7])
    rehash(c.descriptor)
    return Expected("truncated")


def _bytes_fault(c: BrokenCopy, t: Table, change: Callable[[bytes], bytes], rule: str) -> Expected:
    path = c.csv(t.name)
    path.write_bytes(change(path.read_bytes()))
    rehash(c.descriptor)
    return Expected(rule)


def wrong_encoding(c: BrokenCopy, t: Table) -> Expected:
    return _bytes_fault(c, t, lambda b: b.rstrip(b"\n") + b",caf\xe9\n", "encoding")


def byte_order_mark(c: BrokenCopy, t: Table) -> Expected:
    return _bytes_fault(c, t, lambda b: b"\xef\xbb\xbf" + b, "byte-order-mark")


def crlf_mix(c: BrokenCopy, t: Table) -> Expected:
    return _bytes_fault(c, t, lambda b: b.replace(b"\n", b"\r\n", 1), "line-ending")


def _text_field(t: Table, *, optional: bool = False) -> Field | None:
    """A free-text column (no vocabulary, pattern or key) a fault can change harmlessly."""
    keys = {name for fk in t.foreign_keys + t.foreign_key_lists for name in _fk_fields(fk)}
    return _first(
        t,
        lambda f: (
            f.type == "string"
            and not f.enum
            and not f.constraints.get("pattern")
            and f.name != "source_id"
            and f.name not in keys
            and not (optional and f.required)
        ),
    )


def _fk_fields(fk: dict[str, Any]) -> list[str]:
    fields = fk.get("fields", fk.get("field", []))
    return [fields] if isinstance(fields, str) else list(fields)


def parquet_disagrees(c: BrokenCopy, t: Table) -> Expected:
    f = _text_field(t, optional=True)
    _, rows = _rows(c, t)
    c.set_cell(t.name, 0, f.name, (rows[0][f.name] or "x") + " (corrected)")
    return Expected("parquet-stale")


def hash_edit(c: BrokenCopy, t: Table) -> Expected:
    f = _text_field(t)
    _, rows = _rows(c, t)
    c.set_cell(t.name, 0, f.name, rows[0][f.name] + " edited", keep_hash=True)
    return Expected("hash-count")


def _has(kind: str) -> Callable[[Table], bool]:
    return lambda t: any(k["kind"] == kind for k in t.checks)


def _free_text(t: Table) -> bool:
    return _text_field(t, optional=True) is not None


FAULTS: list[Fault] = [
    Fault("wrong type", lambda t: _first(t, _typed) is not None, wrong_type),
    Fault(
        "out-of-range number",
        lambda t: (
            _first(t, lambda f: f.type in ("integer", "number") and "maximum" in f.constraints)
            is not None
        ),
        out_of_range,
    ),
    Fault(
        "negative value",
        lambda t: (
            _first(
                t,
                lambda f: f.type in ("integer", "number") and f.constraints.get("minimum", -1) >= 0,
            )
            is not None
        ),
        negative,
    ),
    Fault("date in the future", lambda t: _future_field(t) is not None, future_date),
    Fault(
        "date before the table's start",
        lambda t: _first(t, lambda f: f.type == "date" and "minimum" in f.constraints) is not None,
        before_start,
    ),
    Fault("impossible date order", lambda t: _order_pair(t) is not None, date_order),
    Fault("unknown vocabulary value", lambda t: _enum_field(t) is not None, unknown_vocab),
    Fault("padded vocabulary value", lambda t: _enum_field(t) is not None, padded_vocab),
    Fault("differently-cased vocabulary value", lambda t: _enum_field(t) is not None, cased_vocab),
    Fault("duplicate primary key", lambda t: len(t.primary_key) == 1, duplicate_key),
    Fault("dangling foreign key", lambda t: bool(t.foreign_keys), dangling_fk),
    Fault(
        "missing required value",
        lambda t: _first(t, lambda f: f.required) is not None,
        missing_required,
    ),
    Fault("missing column", lambda t: True, missing_column),
    Fault("extra column", lambda t: True, extra_column),
    Fault("columns swapped", lambda t: len(t.fields) >= 3, swapped_columns),
    Fault("total != sum of parts", _has("group_total"), total_ne_sum),
    Fault(
        "share over 100",
        lambda t: (
            _first(t, lambda f: f.type == "number" and f.constraints.get("maximum") == 100)
            is not None
        ),
        shares_over_100,
    ),
    Fault("shares summing over 100", _has("group_sum_at_most"), shares_sum_over_100),
    Fault("file truncated mid-row", lambda t: True, truncated),
    Fault("wrong encoding", lambda t: True, wrong_encoding),
    Fault("byte-order mark", lambda t: True, byte_order_mark),
    Fault("CRLF mix", lambda t: True, crlf_mix),
    Fault("CSV and Parquet disagree", _free_text, parquet_disagrees),
    Fault(
        "edited after hash recorded",
        lambda t: _text_field(t) is not None,
        hash_edit,
    ),
]

RESULTS: dict[tuple[str, str], Any] = {}
