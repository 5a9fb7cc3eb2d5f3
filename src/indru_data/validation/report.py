"""What validation found: located failures, and how they are printed for people and machines."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from indru_data.core.markup import printable

# Failures kept per table and rule; the rest are counted exactly but not kept. A CSV of
# 200,000 copies of one row has 600,000 failures: listing them all took 3.4 GB and a 213 MB
# JSON report, and the first hundred of a rule say as much as all of them.
MAX_SHOWN = int(os.environ.get("INDRU_DATA_MAX_FAILURES", "100"))


@dataclass(frozen=True)
class Failure:
    """One broken rule at one place.

    `row` is the line number in the CSV file (the header is line 1, the first data row is 2),
    so a person can open the file and go straight to it; it is None for table- or package-level
    failures. `key` is the row's primary-key value where it could be read.
    """

    stage: str  # package | frictionless (the descriptor) | file | structure | pandera | cross-table
    table: str | None
    file: str | None
    row: int | None
    column: str | None
    value: Any
    rule: str
    message: str
    key: str | None = None

    def location(self) -> str:
        parts = [self.file or "(package)"]
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.key:
            parts.append(f"[{self.key}]")
        if self.column:
            parts.append(f"column {self.column!r}")
        return " ".join(parts)

    def to_text(self) -> str:
        value = "" if self.value is None else f" value {self.value!r}:"
        table = f"{self.table}: " if self.table else ""
        return printable(f"{table}{self.location()}:{value} {self.message} (rule: {self.rule})")


# Rules after which a cell is blanked for every later check: nothing else is said about it
# (a date that is not a date is not also "required" or out of order).
SETTLING = frozenset(
    {"cell-too-large", "non-finite-number", "non-canonical", "type-error", "integer-too-large"}
)
# Values and keys longer than this are cut in reports (a 10 MB note must not make a 10 MB line).
MAX_VALUE_CHARS = 200


def _cut(text: str) -> str:
    return text[:MAX_VALUE_CHARS] + f"... ({len(text)} characters)"


def _bounded(failure: Failure) -> Failure:
    value, key = failure.value, failure.key
    long_value = isinstance(value, str) and len(value) > MAX_VALUE_CHARS
    long_key = key is not None and len(key) > MAX_VALUE_CHARS
    if not (long_value or long_key):
        return failure
    return replace(
        failure,
        value=_cut(value) if long_value else value,
        key=_cut(key) if long_key else key,  # type: ignore[arg-type]
    )


@dataclass
class Report:
    """The outcome of validating one data package.

    `failures` holds the first MAX_SHOWN failures of each table and rule; `counts` has the
    exact number of each, so `failure_count` is exact however many were left out.
    """

    descriptor: str
    failures: list[Failure] = field(default_factory=list)
    rows_checked: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    counts: dict[tuple[str | None, str], int] = field(default_factory=dict)
    max_shown: int = MAX_SHOWN
    # How each table's structure was read: "arrow" (a clean file) or "csv" (any other).
    structure: dict[str, str] = field(default_factory=dict, compare=False)
    _stages: dict[tuple[Any, ...], str] = field(default_factory=dict, repr=False, compare=False)
    _settled: set[tuple[Any, ...]] = field(default_factory=set, repr=False, compare=False)

    @property
    def valid(self) -> bool:
        return not self.counts

    @property
    def failure_count(self) -> int:
        return sum(self.counts.values())

    def add(self, failure: Failure) -> None:
        if self._counted(failure.stage, failure.table, failure.row, failure.column, failure.rule):
            self.failures.append(_bounded(failure))

    def _counted(
        self, stage: str, table: str | None, row: int | None, column: str | None, rule: str
    ) -> bool:
        """Count a failure unless its place is taken; True when it is to be listed.

        The same cell is often caught by two stages (a type error by Frictionless and by our
        coercion): report it once, from the first stage that saw it. The first stage per
        place is indexed, so a report with many failures is not quadratic to build; places
        are kept also for failures not listed, so that the counts stay exact.
        """
        if row is not None or column is not None:
            place = (table, row, column)
            if place in self._settled:
                return False  # a cell refused outright (too large, not finite) is named once
            if self._stages.setdefault(place, stage) != stage:
                return False
            if rule in SETTLING:
                self._settled.add(place)
        key = (table, rule)
        n = self.counts.get(key, 0) + 1
        self.counts[key] = n
        return n <= self.max_shown

    def fail(
        self,
        stage: str,
        table: str | None,
        file: str | None,
        rule: str,
        message: str,
        *,
        row: int | None = None,
        column: str | None = None,
        value: Any = None,
        key: str | None = None,
        value_of: Callable[[], Any] | None = None,
    ) -> None:
        """Add one failure located by file and, where it has them, row, column and key.

        `value_of` instead of `value`, for a value costly to format: it is called only when
        the failure is listed; a table with 200,000 failing rows lists 100 and formats 100.
        """
        if value_of is None:
            self.add(Failure(stage, table, file, row, column, value, rule, message, key))
        elif self._counted(stage, table, row, column, rule):
            failure = Failure(stage, table, file, row, column, value_of(), rule, message, key)
            self.failures.append(_bounded(failure))

    def left_out(self) -> list[tuple[str | None, str, int]]:
        """(table, rule, how many) for each rule with more failures than are listed."""
        return [
            (table, rule, n - self.max_shown)
            for (table, rule), n in self.counts.items()
            if n > self.max_shown
        ]

    def to_dict(self) -> dict[str, Any]:
        return {
            "valid": self.valid,
            "descriptor": self.descriptor,
            "rows_checked": self.rows_checked,
            "failure_count": self.failure_count,
            "failures_listed": len(self.failures),
            "failure_counts": [
                {"table": table, "rule": rule, "count": n, "listed": min(n, self.max_shown)}
                for (table, rule), n in self.counts.items()
            ],
            "failures": [asdict(f) for f in self.failures],
            "seconds": {k: round(v, 3) for k, v in self.seconds.items()},
        }

    def to_json(self) -> str:
        """The report as JSON. Characters that are not printable (a bidirectional override in a
        stranger's id) are written as JSON escapes: the parsed values are unchanged, and the
        text shown in a terminal or a CI log cannot be reordered by them."""
        text = json.dumps(self.to_dict(), indent=2, ensure_ascii=False, default=str)
        return "".join(
            ch if ch.isprintable() or ch == "\n" else json.dumps(ch)[1:-1] for ch in text
        )

    def to_text(self) -> str:
        total = sum(self.rows_checked.values())
        head = printable(
            f"{self.descriptor}: {len(self.rows_checked)} tables, {total} rows checked"
        )
        if self.valid:
            return f"{head}: valid"
        lines = [f"{head}: {self.failure_count} failure(s)"]
        lines += [f"  {f.to_text()}" for f in self.failures]
        for table, rule, n in self.left_out():
            where = f"{table}: " if table else ""
            lines.append(
                f"  {where}... and {n} more failure(s) of rule {rule} "
                f"(the first {self.max_shown} of each rule are listed)"
            )
        return "\n".join(lines)


class ValidationError(Exception):
    """Raised by `validate(..., raise_on_error=True)` and `validate_frame`; carries the report."""

    def __init__(self, report: Report) -> None:
        self.report = report
        super().__init__(report.to_text())
