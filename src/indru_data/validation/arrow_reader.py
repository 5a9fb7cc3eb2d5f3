"""The structure stage's Arrow reader: a CSV read once, for its structure and its text.

Arrow's multithreaded CSV reader, every column declared as text, reads the file once; its table
becomes the text frame the later stages check, exactly as `read_csv_text` gives it. Every
resource is a plain UTF-8 CSV in the default dialect (core/descriptor_guards.py refuses any
other). Arrow vouches for a table only when the file stage found nothing wrong with the bytes,
Arrow parses the file, the header is exactly the schema's field names in order, every row has
one cell per field and no row is blank (all its cells empty). Any other table is walked by the
csv module (structure.check_shape), which says what is wrong. The file's size and hash
(computed by the file stage while it read the bytes) are compared here.
"""

from __future__ import annotations

import io
from typing import Any

import pandas as pd

from indru_data.core.descriptor import Table
from indru_data.core.descriptor_guards import HASH_ALGORITHMS
from indru_data.validation.files import Scan
from indru_data.validation.report import Failure, Report

# The rules as Frictionless names them, said with what to do.
STATS_MESSAGES = {
    "hash-count": "the file changed after its hash was recorded in datapackage.json ({}); "
    "if the edit is intended, run `indru-data build` to record the new hash",
    "byte-count": "the file's size differs from the one recorded in datapackage.json ({}); "
    "if the edit is intended, run `indru-data build`",
}


THREADS_FROM_BYTES = 4 * 1024**2  # smaller files are read without Arrow's thread pool


def hash_algorithm(resource: dict[str, Any]) -> str | None:
    """The algorithm of the resource's `hash`, as Frictionless reads it ("md5" when unnamed)."""
    value = resource.get("hash")
    if not isinstance(value, str) or not value:
        return None
    algorithm = value.split(":", 1)[0] if ":" in value else "md5"
    return algorithm if algorithm in HASH_ALGORITHMS else None


def read(table: Table, size: int) -> pd.DataFrame | None:
    """The CSV as text (as tableio.read_csv_text gives it), or None if Arrow cannot vouch for it.

    `size` is the file's bytes: a file smaller than THREADS_FROM_BYTES is read on this thread,
    since handing a few blocks to Arrow's pool costs more than it saves (0.06 s against 0.04 s
    for the 19 shipped tables).
    """
    import pyarrow as pa
    import pyarrow.csv as pacsv

    names = table.field_names

    def invalid_row(_row: Any) -> str:
        return "error"  # stop: the csv module walks this file and names the problem

    try:
        arrow = pacsv.read_csv(
            table.path,
            read_options=pacsv.ReadOptions(use_threads=size >= THREADS_FROM_BYTES),
            parse_options=pacsv.ParseOptions(
                newlines_in_values=True,
                ignore_empty_lines=False,  # an empty line becomes a blank row, reported below
                invalid_row_handler=invalid_row,
            ),
            convert_options=pacsv.ConvertOptions(
                # large_string: what pandas keeps Arrow-backed text as, so that handing the
                # table to pandas shares its buffers instead of copying every cell once more
                column_types={name: pa.large_string() for name in names},
                strings_can_be_null=True,
                quoted_strings_can_be_null=True,
                null_values=[""],
                check_utf8=True,
            ),
        )
    except (pa.ArrowException, OSError, ValueError):
        return None
    if arrow.column_names != names or arrow.num_rows == 0:
        return None
    if any(not pa.types.is_large_string(t) for t in arrow.schema.types):
        return None
    import pyarrow.compute as pc

    blank = None
    for column in arrow.columns:
        missing = pc.is_null(column)
        blank = missing if blank is None else pc.and_(blank, missing)
    if blank is not None and pc.any(blank).as_py():
        return None  # a blank row: check_shape reports it, with its line
    dtype = text_dtype()
    return arrow.to_pandas(types_mapper=lambda t: dtype if t == pa.large_string() else None)


_TEXT_DTYPE: list[Any] = []


def text_dtype() -> Any:
    """The dtype pandas gives a CSV column read as text (`str` in pandas 3)."""
    if not _TEXT_DTYPE:
        sample = pd.read_csv(io.StringIO("a\nx\n"), dtype=str, keep_default_na=False)
        _TEXT_DTYPE.append(sample["a"].dtype)
    return _TEXT_DTYPE[0]


def check_stats(
    resource: dict[str, Any], scan: Scan, table: Table, file: str, report: Report
) -> None:
    """The recorded `hash` and `bytes` against the file (rules named as Frictionless names them)."""
    expected_hash = resource.get("hash")
    if hash_algorithm(resource) and scan.digest:
        expected = str(expected_hash).split(":", 1)[-1]
        if scan.digest != expected:
            _add(
                report,
                table,
                file,
                "hash-count",
                f'expected is "{expected}" and actual is "{scan.digest}"',
            )
    expected_bytes = resource.get("bytes")
    if expected_bytes and expected_bytes != scan.size:
        _add(
            report,
            table,
            file,
            "byte-count",
            f'expected is "{expected_bytes}" and actual is "{scan.size}"',
        )


def _add(report: Report, table: Table, file: str, rule: str, note: str) -> None:
    report.add(
        Failure(
            "structure",
            table.name,
            file,
            None,
            None,
            None,
            rule,
            STATS_MESSAGES[rule].format(note),
        )
    )
