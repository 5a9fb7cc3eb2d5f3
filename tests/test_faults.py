"""Fault injection: every fault class on every table it fits must be caught and located.

Each case breaks exactly one thing in one table of a copy of the real package, validates, and
checks that a failure names the table and the rule, and the row and column where the fault has
one. Whether our failures are Frictionless's is test_differential.py's question, on a corpus.

The cases of one fault class share a copy: the fault is applied to every table it fits, and the
copy is validated once, instead of once per table (about 370 cases, 25 copies). That is sound
because each case accepts only a failure its own table's file explains: one found in a
table-local stage (file, structure, cells, rules within the table, CSV against Parquet), never
a foreign key or another rule that looks into other tables, which a fault in another table
could cause. A fault class located by such a rule (the dangling foreign key) is applied in
groups of tables that do not refer to one another, and `sources`, which every table cites,
gets a copy of its own. The tables no fault was applied to must stay free of failures of
their own.
The caught/missed matrix is printed at the end of the test run (see conftest.py).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from conftest import ROOT, BrokenCopy
from faults import FAULTS, Expected, Fault

from indru_data.core.descriptor import DataPackage
from indru_data.validation import Report, validate
from indru_data.validation.report import Failure

PACKAGE = DataPackage(Path(__file__).resolve().parents[1] / "datapackage.json")
CASES = [(f, t) for f in FAULTS for t in PACKAGE.tables.values() if f.fits(t)]
# Fault classes located by a cross-table rule: applied only to tables that do not refer to one
# another (a dangling key in one table must not be explained by an edit in the table it cites).
CROSS_TABLE = {"dangling foreign key"}


def _refers(a: str, b: str) -> bool:
    """Whether table a's schema names table b (a foreign key, a key list, a child count...)."""

    def strings(node: object) -> list[str]:
        if isinstance(node, str):
            return [node]
        if isinstance(node, dict):
            return [s for v in node.values() for s in strings(v)]
        if isinstance(node, list):
            return [s for v in node for s in strings(v)]
        return []

    path = ROOT / "schemas" / f"{a}.schema.json"
    return b in strings(json.loads(path.read_text(encoding="utf-8")))


def _groups(fault: Fault) -> list[list[str]]:
    """The tables a fault fits, split into the sets that share one broken copy."""
    tables = [t.name for f, t in CASES if f is fault]
    if fault.name not in CROSS_TABLE:
        return [tables]
    # `sources` is cited by every table (and checks that every source is cited): alone; the
    # others greedily, so that no table shares a copy with one it refers to or is referred by.
    groups: list[list[str]] = [[t] for t in tables if t == "sources"]
    shared: list[list[str]] = []
    for t in (t for t in tables if t != "sources"):
        home = next((g for g in shared if not any(_refers(t, o) or _refers(o, t) for o in g)), None)
        if home is None:
            shared.append(home := [])
        home.append(t)
    return groups + shared


GROUP = {(f.name, t): (f, k, g) for f in FAULTS for k, g in enumerate(_groups(f)) for t in g}


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


@dataclass
class Batch:
    """One copy with a fault applied to each table of a group, validated once."""

    tables: list[str]
    isolated: bool
    expected: dict[str, Expected] = field(default_factory=dict)
    errors: dict[str, BaseException] = field(default_factory=dict)
    report: Report | None = None


_BATCHES: dict[tuple[str, int], Batch] = {}


def _batch(fault: Fault, k: int, tables: list[str], root: Path) -> Batch:
    batch = Batch(tables, isolated=fault.name in CROSS_TABLE)
    copy = BrokenCopy(root)
    package = DataPackage(copy.descriptor)  # the tables as they were, before any fault
    with copy.hashes_recorded_at_the_end():  # once per copy, not once per table
        for name in tables:
            try:
                batch.expected[name] = fault.apply(copy, package.table(name))
            except Exception as exc:  # reported by that table's case, not by the others
                batch.errors[name] = exc
    check_parquet = fault.name == "CSV and Parquet disagree"
    batch.report = validate(copy.descriptor, check_parquet=check_parquet)
    return batch


@pytest.fixture(scope="session")
def batches(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """The shared copies, made on first use (per test process) and kept for the session."""

    def get(fault: Fault, k: int, tables: list[str]) -> Batch:
        key = (fault.name, k)
        if key not in _BATCHES:
            root = tmp_path_factory.mktemp(f"fault-{_slug(fault.name)}-{k}")
            _BATCHES[key] = _batch(fault, k, tables, root)
        return _BATCHES[key]

    return get


def _for_tables(report: Report, tables: set[str | None]) -> Report:
    """The part of a report about these tables (None: package-level failures)."""
    return Report(
        descriptor=report.descriptor,
        failures=[f for f in report.failures if f.table in tables],
        rows_checked={t: n for t, n in report.rows_checked.items() if t in tables},
        counts={k: n for k, n in report.counts.items() if k[0] in tables},
    )


def _elsewhere(f: Failure) -> bool:
    """Whether a failure looks into other tables (keys, counts, preferred rows, sources used);
    the cross-table stage's Parquet checks compare a table's own two files."""
    return "foreign-key" in f.rule or (
        f.stage == "cross-table" and not f.rule.startswith("parquet-")
    )


def _caught(report: Report, table: str, exp: Expected, *, local_only: bool) -> bool:
    for f in report.failures:
        if f.table != table or not f.rule.startswith(exp.rule):
            continue
        if exp.row is not None and f.row != exp.row:
            continue
        if exp.column is not None and f.column != exp.column:
            continue
        if local_only and _elsewhere(f):
            continue  # another table's fault could explain it: not evidence for this one
        return True
    return False


@pytest.mark.slow
@pytest.mark.parametrize(
    ("fault", "table"), [pytest.param(f, t.name, id=f"{f.name}/{t.name}") for f, t in CASES]
)
def test_fault_is_caught_and_located(
    fault: Fault,
    table: str,
    batches,  # type: ignore[no-untyped-def]
    request: pytest.FixtureRequest,
) -> None:
    _, k, tables = GROUP[fault.name, table]
    batch = batches(fault, k, tables)
    if table in batch.errors:
        raise batch.errors[table]
    expected, report = batch.expected[table], batch.report
    assert report is not None
    ok = _caught(report, table, expected, local_only=not batch.isolated)
    request.node.user_properties.append(("fault_case", [fault.name, table, ok]))
    # A table no fault was applied to may fail only by a rule that looks into other tables.
    untouched = set(PACKAGE.tables) - set(batch.tables)
    stray = [f.to_text() for f in report.failures if f.table in untouched and not _elsewhere(f)]
    assert not stray, f"{fault.name}: tables without a fault failed:\n" + "\n".join(stray)
    assert any(t == table for t, _ in report.counts), f"{fault.name} on {table}: valid"
    mine_only = _for_tables(report, {table})
    assert ok, f"{fault.name} on {table}: expected {expected}, got:\n{mine_only.to_text()}"


def test_every_fault_class_applies_somewhere() -> None:
    used = {f.name for f, _ in CASES}
    assert used == {f.name for f in FAULTS}


def test_tables_sharing_a_copy_for_a_cross_table_fault_do_not_refer_to_one_another() -> None:
    for f in FAULTS:
        if f.name not in CROSS_TABLE:
            continue
        groups = _groups(f)
        assert sorted(t for g in groups for t in g) == sorted(t.name for g, t in CASES if g is f)
        for g in groups:
            assert "sources" not in g or g == ["sources"], g
            assert not [(a, b) for a in g for b in g if a != b and _refers(a, b)], g
