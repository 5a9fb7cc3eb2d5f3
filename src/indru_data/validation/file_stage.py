"""Stage 0: the bytes of each CSV file, before any parser sees them.

Parsers forgive things a reviewed, hashed CSV must not contain: a byte-order mark (it becomes
part of the first column's name), Windows line endings mixed into the file (diffs and hashes
change with the editor), bytes that are not UTF-8, a last row cut off mid-way, or a file too
large to be a table of this package.
"""

from __future__ import annotations

import os

from ..descriptor import Table
from .report import Failure, Report

# Large enough for users' extensions (millions of rows), small enough to refuse a stray dump.
MAX_BYTES = int(os.environ.get("INDRU_DATA_MAX_BYTES", str(2 * 1024**3)))
# One cell: far above any text of this package (notes are at most 5,000 characters), low
# enough that one pasted file cannot fill memory and reports (checked in the Pandera stage).
MAX_CELL_CHARS = int(os.environ.get("INDRU_DATA_MAX_CELL_CHARS", "100000"))


def check(table: Table, file: str, report: Report) -> bool:
    """Add a failure for each problem; return False when the file must not be parsed at all."""

    def fail(rule: str, message: str, row: int | None = None) -> None:
        report.add(Failure("file", table.name, file, row, None, None, rule, message))

    if not table.path.is_file():
        fail("file-missing", f"file not found: {file}")
        return False
    size = table.path.stat().st_size
    if size > MAX_BYTES:
        fail(
            "file-too-large",
            f"file has {size} bytes, more than the limit of {MAX_BYTES} "
            "(set INDRU_DATA_MAX_BYTES to raise it)",
        )
        return False
    data = table.path.read_bytes()
    if b"\x00" in data:
        fail("binary-file", "file contains NUL bytes: it is not a text CSV")
        return False
    if data.startswith(b"\xef\xbb\xbf"):
        fail("byte-order-mark", "file starts with a UTF-8 byte-order mark; save it without one")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        fail("encoding", f"byte {data[exc.start]:#04x} at offset {exc.start} is not UTF-8", line)
        return False
    if "\r" in text:
        line = text[: text.index("\r")].count("\n") + 1
        fail(
            "line-ending", "file has a carriage return (CRLF or CR line ending); use LF only", line
        )
    if text and not text.endswith("\n"):
        fail(
            "truncated",
            "file does not end with a newline: the last row may be cut off",
            text.count("\n") + 1,
        )
    return True
