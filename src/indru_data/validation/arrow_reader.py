"""The structure stage's Arrow reader: a CSV read once, for its structure and its text.

Arrow's multithreaded CSV reader, every column declared as text, reads the file once; its table
becomes the text frame the later stages check, exactly as `read_csv_text` gives it. It vouches
for a table only when:

- the resource is a plain CSV file: format csv, UTF-8, the default dialect (comma, double
  quote; `indru-data build` states it), no declared row or field counts, nothing else that
  changes the reading;
- the file stage found nothing wrong with the bytes (no byte-order mark, carriage return or
  cut-off last row);
- Arrow parses the file; the header is exactly the schema's field names in order; every row has
  one cell per field, and no row is blank (all its cells empty).

Any other table is read by Frictionless, which says what is wrong with its structure. The
file's size and hash (computed by the file stage while it read the bytes) are compared here.
"""

from __future__ import annotations

import codecs
import io
from typing import Any

import pandas as pd

from indru_data.core.descriptor import Table
from indru_data.validation.files import Scan
from indru_data.validation.report import STATS_MESSAGES, Failure, Report

# Resource properties that do not change how Frictionless reads a CSV file (x-* are ours).
RESOURCE_KEYS = {
    "name",
    "type",
    "title",
    "description",
    "path",
    "format",
    "mediatype",
    "encoding",
    "bytes",
    "hash",
    "dialect",
    "schema",
    "profile",
    "$schema",
    "licenses",
    "sources",
    "homepage",
    "keywords",
}
# The dialect Python's csv module reads by default, which is also Arrow's.
DIALECT = {"delimiter": ",", "quoteChar": '"', "doubleQuote": True, "skipInitialSpace": False}
HASHES = ("md5", "sha256")  # the algorithms Frictionless checks; it ignores any other
THREADS_FROM_BYTES = 4 * 1024**2  # smaller files are read without Arrow's thread pool


def hash_algorithm(resource: dict[str, Any]) -> str | None:
    """The algorithm of the resource's `hash`, as Frictionless reads it ("md5" when unnamed)."""
    value = resource.get("hash")
    if not isinstance(value, str) or not value:
        return None
    algorithm = value.split(":", 1)[0] if ":" in value else "md5"
    return algorithm if algorithm in HASHES else None


def eligible(resource: dict[str, Any], table: Table, scan: Scan) -> bool:
    """True when the descriptor and the file stage leave nothing that Frictionless reads differently."""
    if not scan.clean or not scan.size:
        return False
    if any(k not in RESOURCE_KEYS and not k.startswith("x-") for k in resource):
        return False
    path = resource.get("path")
    if not isinstance(path, str):
        return False
    if resource.get("format", "csv" if path.lower().endswith(".csv") else None) != "csv":
        return False
    if resource.get("hash") is not None and hash_algorithm(resource) is None:
        return False
    dialect = resource.get("dialect", {})
    if not isinstance(dialect, dict):
        return False  # a dialect file
    for key, value in dialect.items():
        if key == "header" and value is True:
            continue
        if key == "lineTerminator" and value in ("\n", "\r\n"):  # Python's reader ignores it
            continue
        if DIALECT.get(key, object()) != value:
            return False
    encoding = resource.get("encoding", "utf-8")  # the file stage found the bytes UTF-8
    try:
        return codecs.lookup(str(encoding)).name == "utf-8"
    except LookupError:
        return False


def read(table: Table, size: int) -> pd.DataFrame | None:
    """The CSV as text (as tableio.read_csv_text gives it), or None if Frictionless must read it.

    `size` is the file's bytes: a file smaller than THREADS_FROM_BYTES is read on this thread,
    since handing a few blocks to Arrow's pool costs more than it saves (0.06 s against 0.04 s
    for the 19 shipped tables).
    """
    import pyarrow as pa
    import pyarrow.csv as pacsv

    names = table.field_names

    def invalid_row(_row: Any) -> str:
        return "error"  # stop: Frictionless reads this file

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
        return None  # a blank row: Frictionless reports it, with its row number
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
    """The recorded `hash` and `bytes` against the file, as Frictionless's baseline check does."""
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
            "frictionless",
            table.name,
            file,
            None,
            None,
            None,
            rule,
            STATS_MESSAGES[rule].format(note),
        )
    )
