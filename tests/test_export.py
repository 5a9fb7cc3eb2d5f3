"""Exports and interoperability: SQLite with keys, Excel that runs nothing, JSON Lines, DuckDB, Polars."""

from __future__ import annotations

import importlib
import json
import sqlite3
from pathlib import Path

import pandas as pd
import pytest
from conftest import BrokenCopy

import indru_data
from indru_data.outputs.export import ExportError, export, neutralise


@pytest.fixture(scope="module")
def sqlite_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return export("sqlite", tmp_path_factory.mktemp("x") / "indru.sqlite")


def test_sqlite_has_every_row_and_enforces_foreign_keys(sqlite_db: Path) -> None:
    con = sqlite3.connect(sqlite_db)
    con.execute("PRAGMA foreign_keys = ON")
    for name in indru_data.tables():
        (n,) = con.execute(f'SELECT count(*) FROM "{name}"').fetchone()
        assert n == len(indru_data.load(name)), name
    assert con.execute("PRAGMA foreign_key_check").fetchall() == []
    cursor = con.execute("SELECT * FROM trade_annual LIMIT 1")
    row = cursor.fetchone()
    columns = [d[0] for d in cursor.description]
    bad = list(row)
    bad[0] = "a-new-id"
    bad[columns.index("source_id")] = "no-such-source"
    with pytest.raises(sqlite3.IntegrityError):
        con.execute(f"INSERT INTO trade_annual VALUES ({', '.join('?' * len(bad))})", bad)
    with pytest.raises(sqlite3.IntegrityError):  # primary key
        con.execute(f"INSERT INTO trade_annual VALUES ({', '.join('?' * len(row))})", row)


def test_sqlite_values_match_load(sqlite_db: Path) -> None:
    con = sqlite3.connect(sqlite_db)
    got = pd.read_sql("SELECT flow, sum(value_usd_mn) AS v FROM trade_annual GROUP BY flow", con)
    want = indru_data.load("trade_annual").groupby("flow", observed=True)["value_usd_mn"].sum()
    for r in got.itertuples():
        assert r.v == pytest.approx(want[r.flow])


def test_xlsx_has_a_sheet_per_table_and_a_codebook(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    out = export("xlsx", tmp_path / "indru.xlsx", tables=["sources", "trade_annual"])
    wb = load_workbook(out)
    assert wb.sheetnames == ["sources", "trade_annual", "codebook"]
    assert wb["trade_annual"].max_row == len(indru_data.load("trade_annual")) + 1
    assert wb["codebook"].max_row > 20


PAYLOADS = ["=cmd|' /C calc'!A0", "+1+1", "@SUM(1)", '=HYPERLINK("http://example.invalid","x")']


@pytest.fixture(scope="module")
def formula_copy(tmp_path_factory: pytest.TempPathFactory) -> BrokenCopy:
    """A copy whose trade_annual notes hold text a spreadsheet would run as a formula (built
    once: the tests only export from it)."""
    from indru_data.release.build import build

    broken = BrokenCopy(tmp_path_factory.mktemp("formula"))
    for i, payload in enumerate(PAYLOADS):
        broken.set_cell("trade_annual", i, "notes", payload)
    build(broken.descriptor)
    return broken


@pytest.mark.slow
def test_xlsx_keeps_formula_like_text_exact_as_text_cells(
    formula_copy: BrokenCopy, tmp_path: Path
) -> None:
    import zipfile

    from openpyxl import load_workbook

    out = export(
        "xlsx", tmp_path / "x.xlsx", tables=["trade_annual"], package=formula_copy.descriptor
    )
    ws = load_workbook(out)["trade_annual"]
    col = [c.value for c in ws[1]].index("notes") + 1
    cells = [ws.cell(row=r, column=col) for r in range(2, 2 + len(PAYLOADS))]
    assert [c.value for c in cells] == PAYLOADS  # not altered
    assert all(c.data_type == "s" for c in cells)  # text, not formulas
    with zipfile.ZipFile(out) as z:
        sheets = [n for n in z.namelist() if n.startswith("xl/worksheets/")]
        assert sheets and not any("<f>" in z.read(n).decode() for n in sheets)
    # numbers stay numbers
    value_col = [c.value for c in ws[1]].index("value_usd_mn") + 1
    assert isinstance(ws.cell(row=2, column=value_col).value, (int, float))


@pytest.mark.slow
def test_csv_export_is_exact_unless_spreadsheet_safe(
    formula_copy: BrokenCopy, tmp_path: Path
) -> None:
    exact = export(
        "csv", tmp_path / "exact", tables=["trade_annual"], package=formula_copy.descriptor
    )
    assert (exact / "trade_annual.csv").read_bytes() == formula_copy.csv(
        "trade_annual"
    ).read_bytes()
    safe = export(
        "csv",
        tmp_path / "safe",
        tables=["trade_annual"],
        package=formula_copy.descriptor,
        spreadsheet_safe=True,
    )
    import csv as csvmod

    with (safe / "trade_annual.csv").open(newline="", encoding="utf-8") as handle:
        rows = list(csvmod.DictReader(handle))
    assert [r["notes"] for r in rows[: len(PAYLOADS)]] == ["'" + p for p in PAYLOADS]
    original = indru_data.load("trade_annual", package=formula_copy.descriptor)
    assert [float(r["value_usd_mn"]) for r in rows] == original["value_usd_mn"].tolist()
    assert neutralise(-5) == -5 and neutralise("plain") == "plain"
    with pytest.raises(ExportError, match="csv format only"):
        export("xlsx", tmp_path / "y.xlsx", spreadsheet_safe=True)


def test_jsonl_round_trip(tmp_path: Path) -> None:
    out = export("jsonl", tmp_path / "j", tables=["trade_annual"])
    lines = (out / "trade_annual.jsonl").read_text(encoding="utf-8").splitlines()
    df = indru_data.load("trade_annual")
    assert len(lines) == len(df)
    first = json.loads(lines[0])
    assert first["trade_id"] == df.loc[0, "trade_id"]
    assert first["period_start"] == df.loc[0, "period_start"].date().isoformat()
    assert first["is_partial"] in (True, False)


def test_failed_export_leaves_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ex = importlib.import_module("indru_data.outputs.export")

    calls = {"n": 0}
    real = ex._frame

    def fail_on_second(package, table):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("interrupted")
        return real(package, table)

    monkeypatch.setattr(ex, "_frame", fail_on_second)
    real_copy = ex.shutil.copyfile

    def copy_fails_on_second(src, dst):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("interrupted")
        return real_copy(src, dst)

    monkeypatch.setattr(ex.shutil, "copyfile", copy_fails_on_second)
    for fmt, out in [(f, tmp_path / n) for f, n in ALL_FORMATS]:
        calls["n"] = 0
        with pytest.raises(RuntimeError):
            export(fmt, out)
        assert not out.exists()
    assert [p.name for p in tmp_path.iterdir()] == []


def test_export_errors() -> None:
    with pytest.raises(ExportError, match="valid formats"):
        export("dbf", "/tmp/x.dbf")
    with pytest.raises(ExportError, match="does not exist"):
        export("sqlite", "/nonexistent-dir/x.sqlite")


def test_duckdb_reads_the_packaged_files_with_the_same_numbers() -> None:
    import duckdb

    path = indru_data.path("trade_annual")
    q = f"SELECT period, value_usd_mn FROM '{path}' WHERE flow = 'total_trade' ORDER BY trade_id"
    got = duckdb.sql(q).df()
    df = indru_data.load("trade_annual")
    want = df[df["flow"] == "total_trade"].sort_values("trade_id")
    assert got["value_usd_mn"].tolist() == want["value_usd_mn"].tolist()
    assert indru_data.path("trade_annual", "csv").suffix == ".csv"


def test_polars_backend() -> None:
    import polars as pl

    df = indru_data.load("trade_annual", backend="polars")
    assert isinstance(df, pl.DataFrame)
    pdf = indru_data.load("trade_annual")
    assert df.height == len(pdf)
    assert df["value_usd_mn"].sum() == pytest.approx(pdf["value_usd_mn"].sum())
    assert df.schema["period_start"] == pl.Date
    with pytest.raises(ValueError, match="valid backends"):
        indru_data.load("trade_annual", backend="spark")  # type: ignore[arg-type]


# --- one overwrite rule, atomic writes, modes -------------------------------------------------

ALL_FORMATS = [
    ("sqlite", "a.sqlite"),
    ("xlsx", "a.xlsx"),
    ("jsonl", "j"),
    ("csv", "c"),
    ("parquet", "p"),
]


def _snapshot(path: Path) -> dict[str, bytes]:
    if path.is_dir():
        return {p.name: p.read_bytes() for p in sorted(path.iterdir())}
    return {path.name: path.read_bytes()}


@pytest.mark.parametrize(("fmt", "name"), ALL_FORMATS)
def test_every_format_refuses_an_existing_target_unless_overwrite(
    fmt: str, name: str, tmp_path: Path
) -> None:
    out = export(fmt, tmp_path / name, tables=["un_votes"])
    before = _snapshot(out)
    with pytest.raises(ExportError, match="already exists; use --force"):
        export(fmt, out, tables=["sources"])
    assert _snapshot(out) == before  # untouched
    export(fmt, out, tables=["sources"], overwrite=True)
    after = _snapshot(out)
    assert after != before
    if out.is_dir():
        assert sorted(p.name for p in out.iterdir()) == [f"sources.{fmt}"]
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]  # no temporary file left


@pytest.mark.parametrize(("fmt", "name"), ALL_FORMATS)
def test_wrong_kind_of_target_is_a_one_line_error(fmt: str, name: str, tmp_path: Path) -> None:
    target = tmp_path / name
    if fmt in ("sqlite", "xlsx"):
        target.mkdir()
        what = "is a directory"
    else:
        target.write_text("x")
        what = "is not a directory"
    for overwrite in (False, True):
        with pytest.raises(ExportError, match=what):
            export(fmt, target, tables=["un_votes"], overwrite=overwrite)


def test_cli_export_force_and_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from indru_data.cli import main

    out = tmp_path / "x.sqlite"
    assert main(["export", "sqlite", str(out), "--table", "un_votes"]) == 0
    assert main(["export", "sqlite", str(out), "--table", "un_votes"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--force" in err and "Traceback" not in err
    assert main(["export", "sqlite", str(out), "--table", "un_votes", "--force"]) == 0
    (tmp_path / "d.xlsx").mkdir()
    assert main(["export", "xlsx", str(tmp_path / "d.xlsx"), "--force"]) == 1
    assert "is a directory" in capsys.readouterr().err


@pytest.mark.parametrize(("fmt", "name"), ALL_FORMATS)
def test_unwritable_folder_or_unreadable_package_is_a_clear_error(
    fmt: str, name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os

    import indru_data.core.files as files

    ex = importlib.import_module("indru_data.outputs.export")

    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        if os.geteuid() == 0:  # root writes anyway: make the write itself fail as it would
            monkeypatch.setattr(os, "access", lambda *a: False)
        with pytest.raises(ExportError, match="permission denied"):
            export(fmt, folder / name, tables=["un_votes"])
    finally:
        folder.chmod(0o755)
    monkeypatch.undo()

    # A package whose descriptor cannot be read.
    def unreadable(*_a: object, **_k: object) -> None:
        raise PermissionError(13, "Permission denied", "/somewhere/datapackage.json")

    monkeypatch.setattr(ex, "DataPackage", unreadable)
    with pytest.raises(ExportError, match=r"permission denied: /somewhere/datapackage\.json"):
        export(fmt, tmp_path / name, package="/somewhere")
    assert not (tmp_path / name).exists()
    # A write that fails half-way (e.g. the disk turned read-only) leaves nothing behind.
    monkeypatch.undo()
    real_replace = os.replace

    def denied(src: object, dst: object) -> None:
        raise PermissionError(13, "Permission denied", str(dst))

    monkeypatch.setattr(files.os, "replace", denied)
    with pytest.raises(ExportError, match="permission denied"):
        export(fmt, tmp_path / name, tables=["un_votes"])
    monkeypatch.setattr(files.os, "replace", real_replace)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ro"]


@pytest.mark.parametrize("umask", [0o022, 0o027, 0o002])
def test_written_files_follow_the_umask(umask: int, tmp_path: Path) -> None:
    import os
    import stat

    old = os.umask(umask)
    try:
        f = export("sqlite", tmp_path / "a.sqlite", tables=["un_votes"])
        d = export("parquet", tmp_path / "p", tables=["un_votes"])
    finally:
        os.umask(old)
    assert stat.S_IMODE(f.stat().st_mode) == 0o666 & ~umask
    assert stat.S_IMODE(d.stat().st_mode) == 0o777 & ~umask
    assert stat.S_IMODE((d / "un_votes.parquet").stat().st_mode) == 0o666 & ~umask


@pytest.mark.slow
def test_build_files_follow_the_umask(broken: BrokenCopy) -> None:
    import os
    import stat

    from indru_data.release.build import build

    broken.set_cell("un_votes", 0, "notes", "edited")
    old = os.umask(0o022)
    try:
        written = build(broken.descriptor)
    finally:
        os.umask(old)
    assert written
    for p in written:
        assert stat.S_IMODE(p.stat().st_mode) == 0o644, p


def test_leftovers_of_a_killed_export_are_removed(tmp_path: Path) -> None:
    dead = 2**22 + 12345  # above pid_max on a default system: no such process
    left = tmp_path / f".a.sqlite.{dead}.abcd1234.tmp"
    left.write_bytes(b"")
    left_dir = tmp_path / f".j.{dead}.abcd1234.tmp"
    left_dir.mkdir()
    other = tmp_path / f".b.sqlite.{dead}.abcd1234.tmp"  # another target's: kept
    other.write_bytes(b"")
    export("sqlite", tmp_path / "a.sqlite", tables=["un_votes"])
    export("jsonl", tmp_path / "j", tables=["un_votes"])
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["a.sqlite", "j", other.name])


def test_sigterm_during_an_export_leaves_no_temporary_file(tmp_path: Path) -> None:
    import signal
    import subprocess
    import sys
    import time

    script = (
        "import importlib, time\n"
        "ex = importlib.import_module('indru_data.outputs.export')\n"
        "real = ex._frame\n"
        "def slow(p, t):\n"
        "    time.sleep(60)\n"
        "    return real(p, t)\n"
        "ex._frame = slow\n"
        "from indru_data.cli import main\n"
        f"raise SystemExit(main(['export', 'sqlite', {str(tmp_path / 'a.sqlite')!r}]))\n"
    )
    proc = subprocess.Popen([sys.executable, "-c", script], stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while not list(tmp_path.glob(".a.sqlite.*.tmp")):
        assert proc.poll() is None and time.monotonic() < deadline, (
            proc.stderr.read() if proc.stderr else ""
        )
        time.sleep(0.05)
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=30) == 128 + signal.SIGTERM
    assert list(tmp_path.iterdir()) == []


def test_package_level_export_stays_the_function() -> None:
    import importlib
    import sys

    importlib.import_module("indru_data.outputs.export")  # as validation or a user might
    assert (
        callable(indru_data.export)
        and indru_data.export is sys.modules["indru_data.outputs.export"].export
    )


def test_read_only_file_system_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno
    import os

    import indru_data.core.files as files

    def read_only(*_a: object, **_k: object) -> None:
        raise OSError(errno.EROFS, os.strerror(errno.EROFS))

    monkeypatch.setattr(files.os, "replace", read_only)
    for fmt, name in ALL_FORMATS:
        with pytest.raises(ExportError, match=r"cannot export to .*: Read-only file system"):
            export(fmt, tmp_path / name, tables=["un_votes"])
    assert list(tmp_path.iterdir()) == []
