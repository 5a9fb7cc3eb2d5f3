"""A corpus of randomly corrupted copies of a small data package, from a fixed seed.

The package is the shipped `trade_annual` table and the rows of `sources` it cites (two tables,
about 350 rows). Each case applies one to three random corruptions to the CSV text or bytes of
one of them: a cell replaced by a troublesome value (empty, padded, signed, exponent, NaN,
infinity, impossible date, a quote, a comma, a long or non-ASCII text), a cell separator
removed or added, an empty or all-comma line, a line duplicated, deleted or swapped, a header
label edited, a quote, carriage return, NUL or non-UTF-8 byte inserted, a byte-order mark, the
file cut short; then the hashes are re-recorded, except in about one case in five, where the
recorded hash goes stale.

    python tests/corpus.py OUT [--cases N] [--seed S]   # write the corpus to OUT/<case>/

test_differential.py validates every case with both engines and requires the same failures.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEED = 20261203
TABLES = ("trade_annual", "sources")

VALUES = [
    "",
    " ",
    "x",
    "-1",
    "0",
    "+5",
    "1e3",
    "1.5",
    "NaN",
    "inf",
    "-Infinity",
    "1e400",
    "12345678901234567890",
    "2019-13-45",
    "2999-12-31",
    "0000-01-01",
    "1800-01-01",
    "2019-1-5",
    "true",
    "TRUE",
    "yes",
    " total_trade",
    "Total_Trade",
    "no-such-source",
    'a"b',
    '"',
    "a,b",
    "é",
    "https://example.org/x",
    "z" * 6000,
]


def mini_package(dest: Path) -> Path:
    """trade_annual and the sources it cites, built (Parquet, hashes, preferred) and valid."""
    from indru_data.release.build import build

    shutil.copytree(ROOT / "schemas", dest / "schemas")
    (dest / "data").mkdir(parents=True)
    descriptor = json.loads((ROOT / "datapackage.json").read_text(encoding="utf-8"))
    descriptor["resources"] = [r for r in descriptor["resources"] if r["name"] in TABLES]
    shutil.copy2(ROOT / "data" / "trade_annual.csv", dest / "data" / "trade_annual.csv")
    with (ROOT / "data" / "trade_annual.csv").open(encoding="utf-8", newline="") as handle:
        cited = {row["source_id"] for row in csv.DictReader(handle)}
    lines = (ROOT / "data" / "sources.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    with (ROOT / "data" / "sources.csv").open(encoding="utf-8", newline="") as handle:
        records = list(csv.reader(handle))
    if len(records) != len(lines):  # a quoted line break would need a csv writer instead
        raise AssertionError("sources.csv has multi-line cells")
    kept = [lines[0]] + [
        line for line, rec in zip(lines[1:], records[1:], strict=True) if rec[0] in cited
    ]
    (dest / "data" / "sources.csv").write_text("".join(kept), encoding="utf-8")
    path = dest / "datapackage.json"
    path.write_text(json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    build(path)
    return path


# -- corruptions: each takes the file's bytes and returns new bytes ------------------------------


def _lines(data: bytes) -> list[bytes]:
    return data.split(b"\n")


def _cell(rng: random.Random, data: bytes, value: str) -> bytes:
    lines = _lines(data)
    i = rng.randrange(1, max(len(lines) - 1, 2))
    cells = lines[i].split(b",")
    cells[rng.randrange(len(cells))] = value.encode("utf-8")
    lines[i] = b",".join(cells)
    return b"\n".join(lines)


def replace_cell(rng: random.Random, data: bytes) -> bytes:
    return _cell(rng, data, rng.choice(VALUES))


def _at_comma(rng: random.Random, data: bytes, change: bytes) -> bytes:
    commas = [i for i in range(len(data)) if data[i : i + 1] == b","]
    i = rng.choice(commas)
    return data[:i] + change + data[i + 1 :]


def drop_separator(rng: random.Random, data: bytes) -> bytes:
    return _at_comma(rng, data, b"")


def add_separator(rng: random.Random, data: bytes) -> bytes:
    return _at_comma(rng, data, b",,")


def _insert_line(rng: random.Random, data: bytes, line: bytes) -> bytes:
    lines = _lines(data)
    lines.insert(rng.randrange(1, len(lines)), line)
    return b"\n".join(lines)


def empty_line(rng: random.Random, data: bytes) -> bytes:
    return _insert_line(rng, data, b"")


def comma_line(rng: random.Random, data: bytes) -> bytes:
    width = _lines(data)[0].count(b",")
    return _insert_line(rng, data, b"," * width)


def duplicate_line(rng: random.Random, data: bytes) -> bytes:
    lines = _lines(data)
    return _insert_line(rng, data, lines[rng.randrange(1, len(lines) - 1)])


def delete_line(rng: random.Random, data: bytes) -> bytes:
    lines = _lines(data)
    del lines[rng.randrange(1, len(lines) - 1)]
    return b"\n".join(lines)


def swap_lines(rng: random.Random, data: bytes) -> bytes:
    lines = _lines(data)
    i, j = rng.randrange(1, len(lines) - 1), rng.randrange(1, len(lines) - 1)
    lines[i], lines[j] = lines[j], lines[i]
    return b"\n".join(lines)


def edit_label(rng: random.Random, data: bytes) -> bytes:
    lines = _lines(data)
    labels = lines[0].split(b",")
    k = rng.randrange(len(labels))
    labels[k] = rng.choice([labels[k].upper(), labels[k] + b" ", b"", b"extra", labels[0]])
    lines[0] = b",".join(labels)
    return b"\n".join(lines)


def _insert_bytes(rng: random.Random, data: bytes, inserted: bytes) -> bytes:
    i = rng.randrange(len(data))
    return data[:i] + inserted + data[i:]


def insert_quote(rng: random.Random, data: bytes) -> bytes:
    return _insert_bytes(rng, data, b'"')


def insert_carriage_return(rng: random.Random, data: bytes) -> bytes:
    return _insert_bytes(rng, data, b"\r")


def insert_nul(rng: random.Random, data: bytes) -> bytes:
    return _insert_bytes(rng, data, b"\x00")


def insert_latin1(rng: random.Random, data: bytes) -> bytes:
    return _insert_bytes(rng, data, b"\xe9")


def byte_order_mark(_rng: random.Random, data: bytes) -> bytes:
    return b"\xef\xbb\xbf" + data


def cut_short(rng: random.Random, data: bytes) -> bytes:
    return data[: rng.randrange(len(data) // 2, len(data))]


# Weighted: most cases change cells (the common mistakes), some break structure or bytes.
CORRUPTIONS = [
    (replace_cell, 10),
    (drop_separator, 2),
    (add_separator, 2),
    (empty_line, 2),
    (comma_line, 1),
    (duplicate_line, 2),
    (delete_line, 2),
    (swap_lines, 1),
    (edit_label, 2),
    (insert_quote, 2),
    (insert_carriage_return, 1),
    (insert_nul, 1),
    (insert_latin1, 1),
    (byte_order_mark, 1),
    (cut_short, 1),
]


def corrupt(case: Path, rng: random.Random) -> list[str]:
    """Corrupt the package at `case` in place; returns what was done (for failure messages)."""
    table, data, rehash, done = _corruption(case, rng)
    (case / "data" / f"{table}.csv").write_bytes(data)
    if rehash:
        from indru_data.core.descriptor import DataPackage
        from indru_data.release.build import descriptor_json

        descriptor = case / "datapackage.json"
        try:
            descriptor.write_bytes(descriptor_json(DataPackage(descriptor), None))
        except Exception:
            done.append("hash not re-recorded")
    else:
        done.append("hash stale")
    return done


def _corruption(base: Path, rng: random.Random) -> tuple[str, bytes, bool, list[str]]:
    """The next corruption of the package at `base`: (table, new bytes, re-record hashes?,
    what was done). Draws from `rng` exactly as `corrupt` does, without writing anything."""
    table = rng.choice(TABLES)
    data = (base / "data" / f"{table}.csv").read_bytes()
    done = []
    functions = [f for f, _ in CORRUPTIONS]
    weights = [w for _, w in CORRUPTIONS]
    for fn in rng.choices(functions, weights, k=rng.choice([1, 1, 2, 3])):
        data = fn(rng, data)
        done.append(f"{table}: {fn.__name__}")
    return table, data, rng.random() < 0.8, done


def cases(
    base: Path, dest: Path, n: int, seed: int = SEED, only: range | None = None
) -> list[tuple[Path, list[str]]]:
    """`n` corrupted copies of the package at `base` (its directory), in dest/<number>/.

    With `only`, just the cases at those positions are made; the others are drawn (the corpus
    is one seeded sequence) but not written, so each test chunk copies only its own cases.
    """
    rng = random.Random(seed)
    made = []
    for k in range(n):
        if only is not None and k not in only:
            _corruption(base, rng)  # the same draws, nothing written
            continue
        case = dest / f"{k:04d}"
        shutil.copytree(base, case)
        made.append((case / "datapackage.json", corrupt(case, rng)))
    return made


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("out", type=Path)
    p.add_argument("--cases", type=int, default=300)
    p.add_argument("--seed", type=int, default=SEED)
    args = p.parse_args(argv)
    base = args.out / "base"
    mini_package(base)
    for descriptor, done in cases(base, args.out, args.cases, args.seed):
        print(descriptor.parent.name, "; ".join(done))
    return 0


if __name__ == "__main__":
    sys.exit(main())
