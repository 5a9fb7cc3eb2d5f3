"""Derived files are fresh, builds are deterministic, failed builds write nothing."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from conftest import DESCRIPTOR, ROOT, BrokenCopy, cli, copy_package, read_rows

from indru_data.core.files import write_atomic
from indru_data.release.build import BuildError, build


def test_committed_derived_files_are_fresh() -> None:
    stale = build(DESCRIPTOR, check=True, version=None)
    assert stale == [], f"stale, run `indru-data build`: {stale}"


def test_descriptor_version_is_the_package_version() -> None:
    import json

    import indru_data

    assert json.loads(DESCRIPTOR.read_text())["version"] == indru_data.__version__


@pytest.mark.slow
def test_build_twice_gives_byte_identical_parquet(tmp_path: Path) -> None:
    a, b = copy_package(tmp_path / "a"), copy_package(tmp_path / "b")
    for d in (a, b):
        for p in (d.parent / "data" / "parquet").glob("*.parquet"):
            p.unlink()
        build(d)
    files = sorted(p.name for p in (a.parent / "data" / "parquet").glob("*.parquet"))
    assert files
    for name in files:
        assert (a.parent / "data/parquet" / name).read_bytes() == (
            b.parent / "data/parquet" / name
        ).read_bytes()
    assert a.read_bytes() == b.read_bytes()


@pytest.mark.slow
def test_failed_build_leaves_previous_files_intact(broken: BrokenCopy) -> None:
    before = {p: p.read_bytes() for p in (broken.root / "data" / "parquet").glob("*.parquet")}
    before[broken.descriptor] = broken.descriptor.read_bytes()
    broken.set_cell("trade_annual", 0, "value_usd_mn", "not-a-number", keep_hash=True)
    before[broken.descriptor] = broken.descriptor.read_bytes()
    with pytest.raises(BuildError, match="trade_annual"):
        build(broken.descriptor)
    for path, content in before.items():
        assert path.read_bytes() == content


def test_atomic_write_keeps_old_file_when_writing_fails(tmp_path: Path) -> None:
    target = tmp_path / "t.parquet"
    target.write_bytes(b"old")

    def fail_midway(tmp: Path) -> None:
        tmp.write_bytes(b"half")
        raise RuntimeError("interrupted")

    with pytest.raises(RuntimeError):
        write_atomic(target, fail_midway, inside=tmp_path)
    assert target.read_bytes() == b"old"
    assert list(tmp_path.iterdir()) == [target]


def test_check_reports_a_stale_copy(broken: BrokenCopy) -> None:
    broken.set_cell("trade_annual", 0, "notes", "changed", keep_hash=True)
    stale = build(broken.descriptor, check=True)
    assert broken.descriptor in stale
    assert any(p.suffix == ".parquet" for p in stale)
    assert ROOT / "docs" / "codebook.md" not in stale


# --- a CSV that breaks its schema: build refuses it and writes nothing (from test_hostile) ---


def _derived(copy: BrokenCopy) -> dict[Path, bytes]:
    files = [*(copy.root / "data" / "parquet").glob("*.parquet"), copy.descriptor]
    files += [copy.root / "src" / "indru_data" / "_loaders.py", copy.root / "docs" / "codebook.md"]
    return {p: p.read_bytes() for p in files}


def _first_row_with(copy: BrokenCopy, table: str, *columns: str) -> int:
    _, rows = read_rows(copy.csv(table))
    return next(i for i, r in enumerate(rows) if all(r[c] for c in columns))


@pytest.mark.slow
@pytest.mark.parametrize("fault", ["negative", "end-before-start", "foreign-key", "crlf"])
def test_build_refuses_a_csv_that_breaks_its_schema(broken: BrokenCopy, fault: str) -> None:
    # A source checkout, so that a build would also write the loaders and the codebook.
    for rel in ("src/indru_data/_loaders.py", "docs/codebook.md"):
        (broken.root / rel).parent.mkdir(parents=True, exist_ok=True)
        (broken.root / rel).write_text("previous\n")
    table = "trade_annual"
    if fault == "negative":
        broken.set_cell(table, 0, "value_usd_mn", "-5", keep_hash=True)
    elif fault == "end-before-start":
        table = "summits"
        i = _first_row_with(broken, table, "start_date", "end_date")
        start = read_rows(broken.csv(table))[1][i]["start_date"]
        day_before = dt.date.fromisoformat(start) - dt.timedelta(days=1)
        broken.set_cell(table, i, "end_date", day_before.isoformat(), keep_hash=True)
    elif fault == "foreign-key":
        # a key of another table (a summit), not of the sources table it must point to
        broken.set_cell(table, 0, "source_id", "summit-1-2000", keep_hash=True)
    else:
        path = broken.csv(table)
        path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    before = _derived(broken)
    out = cli("build", str(broken.descriptor))
    assert out.returncode == 1 and "Traceback" not in out.stderr
    assert out.stderr.count("\n") == 1 and "nothing was written" in out.stderr
    assert table in out.stderr, out.stderr
    assert _derived(broken) == before
    assert not list(broken.root.rglob("*.tmp"))
