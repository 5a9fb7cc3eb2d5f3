"""The fast path (Arrow) against the reference (Frictionless): the same failures, at the same places.

`validate(engine="reference")` has Frictionless read every file's structure row by row;
`validate()` reads the files the fast path can vouch for with Arrow (validation/arrow_stage.py).
Both must give the same verdict and the same failures: file, row, column, rule, value, key and
message, with the same counts. Checked here on a few hundred randomly corrupted copies of a small
package (tests/corpus.py, fixed seed), and in test_faults.py on every case of the fault matrix.
"""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import astuple
from pathlib import Path

import pytest
from corpus import cases, mini_package

from indru_data.validation import Report, validate

CASES = int(os.environ.get("INDRU_DIFFERENTIAL_CASES", "240"))


def differences(reference: Report, fast: Report) -> list[str]:
    """What differs between two reports, as lines a person can read; [] when they agree."""
    out = []
    if reference.valid != fast.valid:
        out.append(f"verdict: reference valid={reference.valid}, fast valid={fast.valid}")
    if reference.counts != fast.counts:
        out.append(f"counts: reference {reference.counts}, fast {fast.counts}")
    if reference.rows_checked != fast.rows_checked:
        out.append(f"rows checked: reference {reference.rows_checked}, fast {fast.rows_checked}")
    ref = Counter(astuple(f) for f in reference.failures)
    new = Counter(astuple(f) for f in fast.failures)
    out += [f"only in reference: {f}" for f in ref - new]
    out += [f"only in fast path: {f}" for f in new - ref]
    return out


def both(descriptor: Path, **kwargs: bool) -> tuple[Report, Report]:
    return validate(descriptor, engine="reference", **kwargs), validate(descriptor, **kwargs)


def test_base_package_is_valid_and_read_by_arrow(tmp_path: Path) -> None:
    descriptor = mini_package(tmp_path / "base")
    reference, fast = both(descriptor)
    assert reference.valid and fast.valid, fast.to_text()
    assert set(reference.structure.values()) == {"frictionless"}
    assert set(fast.structure.values()) == {"arrow"}


# The corpus is one seeded sequence (each case's corruption depends on the ones before), so
# every chunk draws all the cases and copies and validates only its share; chunks let
# pytest-xdist spread the validations, which are the cost, over the workers.
CHUNKS = 4


@pytest.mark.slow
@pytest.mark.parametrize("chunk", range(CHUNKS))
def test_corrupted_corpus_gives_the_same_failures(tmp_path: Path, chunk: int) -> None:
    base = tmp_path / "base"
    mini_package(base)
    mismatched, arrow_read, invalid = [], 0, 0
    mine = cases(base, tmp_path, CASES, only=range(chunk, CASES, CHUNKS))
    for descriptor, done in mine:
        reference, fast = both(descriptor)
        found = differences(reference, fast)
        if found:
            mismatched.append(
                f"{descriptor.parent.name} ({'; '.join(done)}):\n  " + "\n  ".join(found)
            )
        arrow_read += "arrow" in fast.structure.values()
        invalid += not reference.valid
    assert not mismatched, "\n".join(mismatched)
    # The comparison means something only if both paths were taken and most cases are invalid.
    assert arrow_read >= len(mine) // 2, arrow_read
    assert invalid >= len(mine) * 3 // 4, invalid
