"""Fault injection: every fault class on every table it fits must be caught and located.

Each case copies the real package, breaks exactly one thing, validates, and checks that a
failure names the table and the rule, and the row and column where the fault has one. Each case
is validated twice, by the reference (Frictionless reads every file's structure) and by the
default engine (Arrow reads the files it can vouch for): both must report the same failures
(test_differential.py).
The caught/missed matrix is printed at the end of the test run (see conftest.py).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import BrokenCopy
from faults import FAULTS, RESULTS, Expected, Fault
from test_differential import differences

from indru_data.core.descriptor import DataPackage
from indru_data.validation import validate

PACKAGE = DataPackage(Path(__file__).resolve().parents[1] / "datapackage.json")
CASES = [(f, t) for f in FAULTS for t in PACKAGE.tables.values() if f.fits(t)]


def _caught(report, table: str, exp: Expected) -> bool:  # type: ignore[no-untyped-def]
    for f in report.failures:
        if f.table != table or not f.rule.startswith(exp.rule):
            continue
        if exp.row is not None and f.row != exp.row:
            continue
        if exp.column is not None and f.column != exp.column:
            continue
        return True
    return False


@pytest.mark.parametrize(("fault", "table"), CASES, ids=[f"{f.name}/{t.name}" for f, t in CASES])
def test_fault_is_caught_and_located(fault: Fault, table, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    copy = BrokenCopy(tmp_path)
    expected = fault.apply(copy, copy_table := DataPackage(copy.descriptor).table(table.name))
    check_parquet = fault.name == "CSV and Parquet disagree"
    report = validate(copy.descriptor, check_parquet=check_parquet)
    reference = validate(copy.descriptor, check_parquet=check_parquet, engine="reference")
    found = differences(reference, report)
    assert not found, f"{fault.name} on {table.name}: the engines differ:\n" + "\n".join(found)
    ok = _caught(report, copy_table.name, expected)
    RESULTS[(fault.name, table.name)] = ok
    assert not report.valid, f"{fault.name} on {table.name}: validation passed"
    assert ok, f"{fault.name} on {table.name}: expected {expected}, got:\n{report.to_text()}"


def test_every_fault_class_applies_somewhere() -> None:
    used = {f.name for f, _ in CASES}
    assert used == {f.name for f in FAULTS}
