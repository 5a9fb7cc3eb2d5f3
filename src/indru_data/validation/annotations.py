"""Validation failures as GitHub Actions workflow commands, so each shows on the pull request's
diff at its CSV line: `indru-data validate PATH --format github`.

    ::error file=data/trade_annual.csv,line=6,title=trade_annual: constraint-error:enum::…

Paths are made relative to the current directory (the workspace in a workflow), so a package
kept in a sub-folder of the repository is annotated at the right file.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from indru_data.core.markup import printable

if TYPE_CHECKING:
    from indru_data.validation import Report
    from indru_data.validation.report import Failure


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _relative(path: Path, base: Path) -> str:
    try:
        return Path(os.path.relpath(path, base)).as_posix()
    except ValueError:  # another drive
        return path.as_posix()


def annotation(failure: Failure, root: Path, descriptor: Path, base: Path) -> str:
    """One `::error` line for a failure of the package at `root`."""
    target = root / failure.file if failure.file else descriptor
    props = [f"file={_escape_property(_relative(target, base))}"]
    if failure.row is not None:
        props.append(f"line={failure.row}")
    title = f"{failure.table}: {failure.rule}" if failure.table else failure.rule
    props.append(f"title={_escape_property(printable(title))}")
    return f"::error {','.join(props)}::{_escape_data(failure.to_text())}"


def render_github(report: Report, base: str | Path | None = None) -> str:
    """Every failure as an annotation, then one summary line (plain text, for the log)."""
    descriptor = Path(report.descriptor)
    root = descriptor.parent
    here = Path(base) if base is not None else Path.cwd()
    lines = [annotation(f, root, descriptor, here) for f in report.failures]
    rows = sum(report.rows_checked.values())
    verdict = "valid" if report.valid else f"{len(report.failures)} failure(s)"
    lines.append(f"{_relative(descriptor, here)}: {rows} rows checked: {verdict}")
    return "\n".join(lines)
