"""What validation found: located failures, and how they are printed for people and machines."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class Failure:
    """One broken rule at one place.

    `row` is the line number in the CSV file (the header is line 1, the first data row is 2),
    so a person can open the file and go straight to it; it is None for table- or package-level
    failures. `key` is the row's primary-key value where it could be read.
    """

    stage: str  # frictionless | pandera | cross-table | package
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
        return f"{table}{self.location()}:{value} {self.message} (rule: {self.rule})"


@dataclass
class Report:
    """The outcome of validating one data package."""

    descriptor: str
    failures: list[Failure] = field(default_factory=list)
    rows_checked: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    _stages: dict[tuple[Any, ...], set[str]] = field(
        default_factory=dict, repr=False, compare=False
    )

    @property
    def valid(self) -> bool:
        return not self.failures

    def add(self, failure: Failure) -> None:
        # The same cell is often caught by two stages (a type error by Frictionless and by our
        # coercion): report it once, from the first stage that saw it. The stages seen per
        # place are indexed, so a report with many failures is not quadratic to build.
        place = (failure.table, failure.row, failure.column)
        located = failure.row is not None or failure.column is not None
        stages = self._stages.setdefault(place, set()) if located else set()
        if stages - {failure.stage}:
            return
        stages.add(failure.stage)
        self.failures.append(failure)

    def to_dict(self) -> dict[str, Any]:
        return {
            "valid": self.valid,
            "descriptor": self.descriptor,
            "rows_checked": self.rows_checked,
            "failure_count": len(self.failures),
            "failures": [asdict(f) for f in self.failures],
            "seconds": {k: round(v, 3) for k, v in self.seconds.items()},
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False, default=str)

    def to_text(self) -> str:
        total = sum(self.rows_checked.values())
        head = f"{self.descriptor}: {len(self.rows_checked)} tables, {total} rows checked"
        if self.valid:
            return f"{head}: valid"
        lines = [f"{head}: {len(self.failures)} failure(s)"]
        lines += [f"  {f.to_text()}" for f in self.failures]
        return "\n".join(lines)


class ValidationError(Exception):
    """Raised by `validate(..., raise_on_error=True)` and `validate_frame`; carries the report."""

    def __init__(self, report: Report) -> None:
        self.report = report
        super().__init__(report.to_text())
