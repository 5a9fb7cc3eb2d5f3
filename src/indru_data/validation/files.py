"""Stage 1, read files: the bytes of each CSV file, before any parser sees them.

Parsers forgive things a reviewed, hashed CSV must not contain: a byte-order mark (it becomes
part of the first column's name), Windows line endings mixed into the file (diffs and hashes
change with the editor), bytes that are not UTF-8, a last row cut off mid-way, or a file too
large to be a table of this package.
"""

from __future__ import annotations

import codecs
import hashlib
import os
from dataclasses import dataclass
from typing import Any

from indru_data.core.descriptor import Table
from indru_data.validation.report import Failure, Report

# Large enough for users' extensions (millions of rows), small enough to refuse a stray dump.
MAX_BYTES = int(os.environ.get("INDRU_DATA_MAX_BYTES", str(2 * 1024**3)))
# One cell: far above any text of this package (notes are at most 5,000 characters), low
# enough that one pasted file cannot fill memory and reports (checked in the Pandera stage).
MAX_CELL_CHARS = int(os.environ.get("INDRU_DATA_MAX_CELL_CHARS", "100000"))


# Files are read in blocks of this size, so that a large file is never held in memory whole.
BLOCK_BYTES = 16 * 1024**2

# A header may name a few columns the schema lacks (each is reported where it stands); far
# more than that is not a table of this package. 100,000 extra names once kept validation
# busy for minutes: they are now counted on the first line alone and refused at once.
MAX_EXTRA_COLUMNS = 50
MAX_HEADER_BYTES = 1024**2  # the shipped headers are under 400 bytes


@dataclass
class Scan:
    """What the file stage learnt about one CSV while reading its bytes once."""

    readable: bool  # False: no parser may see the file (missing, too large, binary, not UTF-8)
    clean: bool = False  # readable and no failure at all: the fast path may read it
    size: int = 0
    digest: str | None = None  # hex digest with the algorithm asked for, when one was
    file: str = ""  # the file as reports name it


def scan(table: Table, file: str, report: Report, algorithm: str | None = None) -> Scan:
    """Add a failure for each problem of the file's bytes, reading it in blocks; also its size and
    its `algorithm` hash. `readable` is False when the file must not be parsed at all.

    One pass: the bytes are hashed (for the fast path's `hash` check), searched for NUL and
    carriage returns, and decoded incrementally, so that memory does not grow with the file.
    """
    failures_before = report.failure_count

    def fail(rule: str, message: str, row: int | None = None) -> None:
        report.add(Failure("file", table.name, file, row, None, None, rule, message))

    if not table.path.is_file():
        fail("file-missing", f"file not found: {file}")
        return Scan(False, file=file)
    size = table.path.stat().st_size
    if size > MAX_BYTES:
        fail(
            "file-too-large",
            f"file has {size} bytes, more than the limit of {MAX_BYTES} "
            "(set INDRU_DATA_MAX_BYTES to raise it)",
        )
        return Scan(False, file=file)
    hasher = hashlib.new(algorithm) if algorithm else None
    decoder = codecs.getincrementaldecoder("utf-8")("strict")
    offset = 0  # bytes before the current block
    carriage: int | None = None  # offset of the first carriage return
    bad_at: int | None = None  # offset of the first byte that is not UTF-8
    first = last = b""
    # A file of several blocks is hashed in a second thread while this one decodes and
    # searches the same block (hashlib releases the GIL): at a million rows the hash was a
    # tenth of the file stage.
    hashing = _Hashing(hasher) if hasher is not None and size > BLOCK_BYTES else None
    try:
        with table.path.open("rb") as handle:
            while block := handle.read(BLOCK_BYTES):
                if not first:
                    first = block[:3]
                if b"\x00" in block:
                    fail("binary-file", "file contains NUL bytes: it is not a text CSV")
                    return Scan(False, file=file)
                if hashing is not None:
                    hashing.update(block)
                elif hasher is not None:
                    hasher.update(block)
                if bad_at is None:
                    pending = len(decoder.getstate()[0])  # a character cut by the block
                    try:
                        decoder.decode(block, final=False)
                    except UnicodeDecodeError as exc:
                        bad_at = offset - pending + exc.start
                if carriage is None and (cr := block.find(b"\r")) >= 0:
                    carriage = offset + cr
                offset += len(block)
                last = block[-1:]
    finally:
        if hashing is not None:
            hashing.close()
    if bad_at is None:
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:  # the file ends inside a character
            bad_at = offset - len(decoder.getstate()[0])
    if first.startswith(b"\xef\xbb\xbf"):
        fail("byte-order-mark", "file starts with a UTF-8 byte-order mark; save it without one")
    # Line numbers only for what is reported: counting every newline of a large clean file
    # cost as much as decoding it.
    if bad_at is not None:
        line = _line_of(table, bad_at)
        fail(
            "encoding", f"byte {_byte_at(table, bad_at):#04x} at offset {bad_at} is not UTF-8", line
        )
        return Scan(False, file=file)
    if carriage is not None:
        fail(
            "line-ending",
            "file has a carriage return (CRLF or CR line ending); use LF only",
            _line_of(table, carriage),
        )
    if offset and last != b"\n":
        fail(
            "truncated",
            "file does not end with a newline: the last row may be cut off",
            _line_of(table, offset),
        )
    wide = _header_problem(table)
    if wide is not None:
        fail("too-many-columns", wide, 1)
        return Scan(False, file=file)
    digest = hasher.hexdigest() if hasher is not None else None
    clean = report.failure_count == failures_before
    return Scan(True, clean, offset, digest, file)


def _header_problem(table: Table) -> str | None:
    """Why the header line is too wide for any parser to be given the file, or None.

    Linear in the header's length: the first line, at most MAX_HEADER_BYTES of it, is split
    by the csv module.
    """
    import csv

    with table.path.open("rb") as handle:
        line = handle.readline(MAX_HEADER_BYTES + 1)
    if len(line) > MAX_HEADER_BYTES:
        return f"the header line is longer than {MAX_HEADER_BYTES:,} bytes"
    names = next(csv.reader([line.decode("utf-8", "replace").rstrip("\n")]), [])
    limit = len(table.fields) + MAX_EXTRA_COLUMNS
    if len(names) > limit:
        return (
            f"the header names {len(names):,} columns; the schema has {len(table.fields)} "
            f"fields, and at most {MAX_EXTRA_COLUMNS} more are reported one by one"
        )
    return None


class _Hashing:
    """Feeds blocks to a hash in one worker thread, in order, one block ahead of the reader."""

    def __init__(self, hasher: Any) -> None:
        from concurrent.futures import ThreadPoolExecutor

        self._hasher = hasher
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="indru-hash")
        self._pending: Any = None

    def update(self, block: bytes) -> None:
        if self._pending is not None:
            self._pending.result()  # the previous block first: a hash is order-sensitive
        self._pending = self._pool.submit(self._hasher.update, block)

    def close(self) -> None:
        try:
            if self._pending is not None:
                self._pending.result()
        finally:
            self._pool.shutdown(wait=True)


def _line_of(table: Table, offset: int) -> int:
    """The 1-based line holding byte `offset` (one past the last newline before it)."""
    lines = 1
    done = 0
    with table.path.open("rb") as handle:
        while done < offset and (block := handle.read(min(BLOCK_BYTES, offset - done))):
            lines += block.count(b"\n")
            done += len(block)
    return lines


def _byte_at(table: Table, offset: int) -> int:
    with table.path.open("rb") as handle:
        handle.seek(offset)
        return handle.read(1)[0]
