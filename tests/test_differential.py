"""Our validation against Frictionless's, the oracle: the same verdict, failures at the same places.

`frictionless.validate()` reads every file and every cell of a package in Python; `validate()`
reads the files Arrow can vouch for with Arrow and checks cells column by column (docs/
validation.md). On a few hundred randomly corrupted copies of a small package (tests/corpus.py,
fixed seed), we must find a package invalid whenever Frictionless does, and name the same set of failure places: (file, row,
column, rule), rules in Frictionless's words. Messages are not compared.

What is compared, and why the rest is not:
- our own rules, which Frictionless does not have (a byte-order mark, a carriage return, a cut-off
  last line, cell limits, non-finite numbers, x-checks, preferred rows, sources cited, Parquet):
  left out, with Frictionless's failures at a cell our own rule named first (a stricter rule
  takes the place);
- a package with a file our file stage refuses to parse (not UTF-8, NUL bytes): the verdict
  only, since Frictionless reads such a file as some other encoding and we do not read it;
- a file whose header or rows have the wrong shape (labels, cell counts, blank rows, a
  byte-order mark, which Frictionless drops and we refuse, a label Frictionless forgives its
  spaces, which we do not): which
  structure rules it breaks, not where, and nothing about its cells or about foreign keys into
  it, since Frictionless then reads the cells by position and we by name;
- a table whose foreign key points into a table we could not read: we say that once,
  Frictionless names every row;
- a rule with more failures than the report lists (100): the ones listed must be Frictionless's;
- a repeated key: Frictionless names the second row, we name every row that has it (ours must
  include Frictionless's).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from corpus import CORRUPTIONS, SEED, _corruption, cases, mini_package

from indru_data.core.descriptor import DataPackage
from indru_data.validation import Report, validate

CASES = int(os.environ.get("INDRU_DIFFERENTIAL_CASES", "96"))
Place = tuple[str | None, int | None, str | None, str]  # file, row, column, rule

# Ours, not Frictionless's: file stage, limits, x-checks and the cross-table rules of this package.
SHARED = {
    "type-error",
    "constraint-error",
    "unique-error",
    "primary-key",
    "foreign-key",
    "hash-count",
    "byte-count",
    "blank-row",
    "extra-cell",
    "missing-cell",
    "duplicate-label",
    "incorrect-label",
    "blank-label",
    "extra-label",
    "missing-label",
}
LABELS = {"duplicate-label", "incorrect-label", "blank-label", "extra-label", "missing-label"}
STRUCTURE = LABELS | {"blank-row", "extra-cell", "missing-cell", "hash-count", "byte-count"}
UNREADABLE = {"encoding", "binary-file", "file-missing", "file-too-large"}


def _rule(rule: str) -> str:
    if rule == "constraint-error:unique":
        return "unique-error"
    return rule.split(":", 1)[0]  # constraint-error:enum -> constraint-error


def ours(report: Report) -> tuple[set[Place], set[tuple[str | None, int | None, str | None]]]:
    """Our failure places in Frictionless's words, and the cells our own rules took."""
    places, taken = set(), set()
    for f in report.failures:
        rule = _rule(f.rule)
        if rule == "incorrect-label" and f.value.strip() == f.column:
            continue  # a label Frictionless forgives its spaces, which we do not
        if rule not in SHARED:
            if f.row is not None and f.column is not None:
                taken.add((f.file, f.row, f.column))
            continue
        row, column = f.row, f.column
        if rule in LABELS:
            row = None
        if rule in ("foreign-key", "primary-key"):
            column = None
        places.add((f.file, row, column or None, rule))
    return places, taken - {p[:3] for p in places}


def oracle(descriptor: Path) -> tuple[bool, set[Place]]:
    """Frictionless's verdict on the package and its failure places."""
    import frictionless

    result = frictionless.validate(str(descriptor))
    places: set[Place] = set()
    for task in result.tasks:
        place = Path(task.place)
        file = str(place.relative_to(descriptor.parent) if place.is_absolute() else place)
        for error in task.errors:
            d: dict[str, Any] = error.to_descriptor()
            rule = d.get("type", "")
            row = None if rule in LABELS else d.get("rowNumber")
            column = None if rule in ("foreign-key", "primary-key") else d.get("fieldName")
            places.add((file, row, column or None, rule))
    return result.valid, places


def compare(descriptor: Path) -> tuple[list[str], Report, bool]:
    """What differs between Frictionless's report and ours; [] when they agree."""
    report = validate(descriptor, check_parquet=False)
    valid, theirs = oracle(descriptor)
    mine, taken = ours(report)
    found = []
    # Ours may be stricter (own rules), never laxer; a shared rule only Frictionless's is
    # caught below, place by place.
    if report.valid and not valid:
        found.append("verdict: Frictionless invalid, ours valid")
    if any(f.rule in UNREADABLE for f in report.failures):
        return found, report, valid  # a file we do not parse: the verdict only
    theirs = {p for p in theirs if (p[0], p[1], p[2]) not in taken}
    # A table that cites an unreadable one: we say so once, Frictionless names every row.
    orphans = {f.file for f in report.failures if f.rule == "foreign-key-table"}
    theirs = {p for p in theirs if p[0] not in orphans or p[3] != "foreign-key"}
    shape = (STRUCTURE | {"byte-order-mark", "missing-column", "extra-column"}) - {
        "hash-count",
        "byte-count",
    }
    shapeless = {f.file for f in report.failures if f.rule in shape}
    # and a foreign key into such a file: Frictionless finds the key by position, we by name.
    shapeless |= {file for file, targets in _cites(descriptor).items() if targets & shapeless}
    theirs, mine = _shape_only(theirs, shapeless), _shape_only(mine, shapeless)
    # A rule with more failures than the report lists: what it lists must be Frictionless's.
    cut = {(f.file, _rule(f.rule)) for f in report.failures if (f.table, f.rule) in _cut(report)}
    theirs = {p for p in theirs if (p[0], p[3]) not in cut or p in mine}
    # Frictionless names the second row of a repeated key, we name every row that has it.
    repeated = {"unique-error", "primary-key"}
    extra = {p for p in mine - theirs if p[3] in repeated}
    found += [f"only Frictionless: {p}" for p in sorted(theirs - mine, key=str)]
    found += [f"only ours: {p}" for p in sorted(mine - theirs - extra, key=str)]
    return found, report, valid


def _cites(descriptor: Path) -> dict[str, set[str | None]]:
    """Each table's file, and the files its foreign keys point into."""
    pkg = DataPackage(descriptor)
    file = {t.name: str(t.path.relative_to(pkg.root)) for t in pkg.tables.values()}
    return {
        file[t.name]: {file.get(fk["reference"].get("resource") or t.name) for fk in t.foreign_keys}
        for t in pkg.tables.values()
    }


def _cut(report: Report) -> set[tuple[str | None, str]]:
    return {(table, rule) for table, rule, _ in report.left_out()}


def _shape_only(places: set[Place], shapeless: set[str | None]) -> set[Place]:
    """In a file whose header or rows have the wrong shape, only which structure rules hold:
    Frictionless reads such rows' cells by position, we stop at the structure."""
    return {
        p if p[0] not in shapeless else (p[0], None, None, p[3])
        for p in places
        if p[0] not in shapeless or p[3] in STRUCTURE
    }


def test_base_package_is_valid_and_read_by_arrow(tmp_path: Path) -> None:
    descriptor = mini_package(tmp_path / "base")
    found, report, valid = compare(descriptor)
    assert valid and report.valid and not found, report.to_text()
    assert set(report.structure.values()) == {"arrow"}


@pytest.mark.parametrize(
    "change",
    [
        lambda d: d.update(keywords="trade"),  # an array in the Data Package profile
        lambda d: d["resources"][0].update(sources="x"),  # an array there too
    ],
    ids=["keywords", "sources"],
)
def test_a_descriptor_the_profile_refuses_is_refused_by_both(tmp_path: Path, change: Any) -> None:
    """The descriptor stage, against the oracle: the data are valid, the descriptor is not."""
    descriptor = mini_package(tmp_path / "base")
    content = json.loads(descriptor.read_text(encoding="utf-8"))
    change(content)
    descriptor.write_text(json.dumps(content, indent=2), encoding="utf-8")
    found, report, valid = compare(descriptor)
    assert not valid and not report.valid and not found, report.to_text()


def test_the_corpus_has_every_kind_of_corruption(tmp_path: Path) -> None:
    """Fewer cases than before (96, from 240), but no kind of corruption left out: each kind
    is drawn at least four times."""
    import random
    from collections import Counter

    base = mini_package(tmp_path / "base")
    rng, drawn = random.Random(SEED), Counter()
    for _ in range(CASES):
        drawn.update(what.split(": ")[1] for what in _corruption(base.parent, rng)[3])
    assert set(drawn) == {fn.__name__ for fn, _ in CORRUPTIONS}
    assert min(drawn.values()) >= 4, drawn


# The corpus is one seeded sequence (each case's corruption depends on the ones before), so
# every chunk draws all the cases and copies and validates only its share. (Under the suite's
# `--dist loadfile` both chunks run on one worker; `-n0 -k chunk` runs one of them.)
CHUNKS = 2


@pytest.mark.slow
@pytest.mark.parametrize("chunk", range(CHUNKS))
def test_corrupted_corpus_gives_frictionless_failures(tmp_path: Path, chunk: int) -> None:
    base = tmp_path / "base"
    mini_package(base)
    mismatched, arrow_read, invalid = [], 0, 0
    mine = cases(base, tmp_path, CASES, only=range(chunk, CASES, CHUNKS))
    for descriptor, done in mine:
        found, report, valid = compare(descriptor)
        if found:
            mismatched.append(
                f"{descriptor.parent.name} ({'; '.join(done)}):\n  " + "\n  ".join(found)
            )
        arrow_read += "arrow" in report.structure.values()
        invalid += not valid
    assert not mismatched, f"{len(mismatched)} of {len(mine)}:\n" + "\n".join(mismatched)
    # The comparison means something only if both paths were taken and most cases are invalid.
    assert arrow_read >= len(mine) // 2, arrow_read
    assert invalid >= len(mine) * 3 // 4, invalid
