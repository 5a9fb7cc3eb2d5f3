"""Exports and interoperability: SQLite with keys, Excel that runs nothing, JSON Lines, DuckDB, Polars."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pandas as pd
import pytest
from conftest import BrokenCopy

import indru_data
from indru_data.export import ExportError, export, neutralise


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


def test_spreadsheet_export_neutralises_formulas(broken: BrokenCopy, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    payload = '=HYPERLINK("http://example.invalid","x")'
    broken.set_cell("trade_annual", 0, "notes", payload)
    from indru_data.build import build

    build(broken.descriptor)
    out = export("xlsx", tmp_path / "x.xlsx", tables=["trade_annual"], package=broken.descriptor)
    ws = load_workbook(out)["trade_annual"]
    col = [c.value for c in ws[1]].index("notes") + 1
    cells = [ws.cell(row=r, column=col) for r in range(2, ws.max_row + 1)]
    hit = [c for c in cells if c.value and "HYPERLINK" in str(c.value)]
    assert hit and hit[0].value == "'" + payload and hit[0].data_type == "s"
    assert (
        neutralise("+1") == "'+1" and neutralise("@x") == "'@x" and neutralise("plain") == "plain"
    )
    assert neutralise(-5) == -5


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
    import indru_data.export as ex

    calls = {"n": 0}
    real = ex._frame

    def fail_on_second(package, table):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("interrupted")
        return real(package, table)

    monkeypatch.setattr(ex, "_frame", fail_on_second)
    for fmt, out in [("sqlite", tmp_path / "a.sqlite"), ("jsonl", tmp_path / "j")]:
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
