"""What `validate()` learnt about a small table, kept for the next validation in this process.

Validating a package twice in one process (a test suite checking copies that differ in one
table, a notebook re-validating after an edit) repeats the table-local stages — typing every
cell, the Pandera model, the row rules, CSV against Parquet — on tables whose files have not
changed. Their outcome depends only on what the key holds: the engine, whether Frictionless
read structure only, the table's name, file, schema and resource entry, and the digest of the
CSV's bytes (and, for the Parquet check, of the Parquet file's bytes). So the failures such a
stage tried to add, the rows it counted and the typed frame are kept under that key and
replayed: `Report.add` then settles repeated cells exactly as the first time, because the
earlier stages' failures for the table are fixed by the same key.

The Pandera model and the row rules see only the typed frame, the table's name, file and
schema: what they tried to add is kept beside a copy of the frame they checked, and a later
validation whose typed frame is equal to it, cell for cell and type for type, replays that
(`checked`). That is what the two engines share when they read a table to the same frame
(tests/test_differential.py runs both on every case); a frame that differs in any cell or
type is checked afresh, so a difference between the engines' frames is never hidden.

Nothing crosses processes; only small files are kept (MAX_BYTES), so a large extension is
always checked afresh and never held twice, and at most MAX_TOTAL_BYTES of CSV at once, so a
long-lived process validating many packages stays bounded; `forget()` empties it (the benchmarks do, so that
a repeated measurement measures the work, not this).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from indru_data.core.dtypes import same_frame
from indru_data.validation.report import Failure

MAX_BYTES = 4 * 1024**2  # per CSV: far above the shipped tables, far below users' extensions
MAX_TOTAL_BYTES = 64 * 1024**2  # of CSV kept at once: a long-lived process stays bounded
MAX_ENTRIES = 512
MAX_FAILURES = 1_000  # a table with more is checked afresh rather than held as failures


@dataclass(frozen=True)
class Entry:
    failures: tuple[Failure, ...]  # as the stages tried to add them, before Report.add settled
    rows: int | None  # None: the CSV could not be read
    frame: pd.DataFrame | None  # handed out as a shallow copy; pandas copies on write
    size: int = 0  # the CSV's bytes, counted against MAX_TOTAL_BYTES


_TABLES: dict[tuple[Any, ...], Entry] = {}
_PARQUET_AGREES: set[tuple[Any, ...]] = set()
# (name, file, schema digest) -> the last few typed frames checked, with what the checks added.
_CHECKED: dict[tuple[str, str, str], list[tuple[pd.DataFrame, tuple[Failure, ...], int]]] = {}
KEPT_FRAMES = 2  # per table: the two engines' frames of one copy meet one after the other


def forget() -> None:
    """Empty what this process remembers (the next validation checks every table afresh)."""
    _TABLES.clear()
    _PARQUET_AGREES.clear()
    _CHECKED.clear()


def table_key(
    *,
    engine: str,
    structural: bool,
    name: str,
    file: str,
    schema: dict[str, Any],
    resource: dict[str, Any],
    digest: str | None,
) -> tuple[Any, ...] | None:
    """The key of a table's local outcome; None when it is not to be remembered."""
    if digest is None:
        return None
    try:
        described = json.dumps([schema, resource], sort_keys=True, allow_nan=True)
    except (TypeError, ValueError, RecursionError):  # not plain JSON: check afresh
        return None
    described_digest = hashlib.blake2b(described.encode(), digest_size=16).hexdigest()
    return (engine, structural, name, file, described_digest, digest)


def checked_key(
    name: str, file: str, schema: dict[str, Any], size: int | None
) -> tuple[str, str, str] | None:
    """The key of the frames checked for a table; None for a large file or an odd schema."""
    if size is None or size > MAX_BYTES:
        return None
    try:
        described = json.dumps(schema, sort_keys=True, allow_nan=True)
    except (TypeError, ValueError, RecursionError):
        return None
    return (name, file, hashlib.blake2b(described.encode(), digest_size=16).hexdigest())


def checked(key: tuple[str, str, str] | None, frame: pd.DataFrame) -> tuple[Failure, ...] | None:
    """What the checks added for an equal frame checked before, or None."""
    if key is None:
        return None
    for kept, failures, _size in _CHECKED.get(key, ()):
        if _same(kept, frame):
            return failures
    return None


def check_done(
    key: tuple[str, str, str] | None,
    frame: pd.DataFrame,
    failures: tuple[Failure, ...],
    size: int,
) -> None:
    """Keep what the checks added for this frame; `size` (the CSV's bytes) counts against
    MAX_TOTAL_BYTES, as for the tables kept."""
    if key is None or len(failures) > MAX_FAILURES:
        return
    full = checked_bytes() + size > MAX_TOTAL_BYTES
    if full or (key not in _CHECKED and len(_CHECKED) >= MAX_ENTRIES):
        _CHECKED.clear()
    kept = _CHECKED.setdefault(key, [])
    # A copy: a later stage that sets a column on the frame must not change what was checked
    # (pandas copies the data on write, so the copy shares it until then).
    kept.append((frame.copy(deep=False), failures, size))
    del kept[:-KEPT_FRAMES]


def checked_bytes() -> int:
    """The CSV bytes behind the checked frames kept now."""
    return sum(size for kept in _CHECKED.values() for _, _, size in kept)


def _same(a: pd.DataFrame, b: pd.DataFrame) -> bool:
    """`same_frame`, and 0.0 and -0.0 differ too (a rule could tell them apart)."""
    if not same_frame(a, b):
        return False
    for column in a.columns:
        if a[column].dtype.kind == "f":
            x, y = a[column].to_numpy(), b[column].to_numpy()
            if not np.array_equal(np.signbit(x), np.signbit(y)):
                return False
    return True


def get(key: tuple[Any, ...] | None) -> Entry | None:
    return None if key is None else _TABLES.get(key)


def put(key: tuple[Any, ...] | None, entry: Entry) -> None:
    if key is None or len(entry.failures) > MAX_FAILURES:
        return
    if len(_TABLES) >= MAX_ENTRIES or kept_bytes() + entry.size > MAX_TOTAL_BYTES:
        _TABLES.clear()  # simple and bounded; a test run refills it with what it uses
    _TABLES[key] = entry


def kept_bytes() -> int:
    """The CSV bytes of the tables remembered now (at most MAX_ENTRIES to add up)."""
    return sum(e.size for e in _TABLES.values())


def parquet_key(key: tuple[Any, ...] | None, path: Path) -> tuple[Any, ...] | None:
    """The table's key and the Parquet file's digest; None for a missing or large file."""
    if key is None:
        return None
    try:
        if path.stat().st_size > MAX_BYTES:
            return None
        return (*key, hashlib.blake2b(path.read_bytes(), digest_size=16).hexdigest())
    except OSError:
        return None


def parquet_agreed(key: tuple[Any, ...] | None) -> bool:
    return key is not None and key in _PARQUET_AGREES


def parquet_agrees(key: tuple[Any, ...] | None) -> None:
    if key is None:
        return
    if len(_PARQUET_AGREES) >= MAX_ENTRIES:
        _PARQUET_AGREES.clear()
    _PARQUET_AGREES.add(key)
