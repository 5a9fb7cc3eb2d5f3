"""The data explorer behind `indru-data serve` (issue 16, item 2), without a browser."""

from __future__ import annotations

import hashlib
import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

from indru_data.core.descriptor import packaged
from indru_data.outputs.explore import INSTALL_HINT, datasette_command, prepare, text_columns


def _fingerprint() -> dict[str, str]:
    files = [ROOT / "datapackage.json", *sorted((ROOT / "data").rglob("*"))]
    return {str(p): hashlib.sha256(p.read_bytes()).hexdigest() for p in files if p.is_file()}


@pytest.fixture(scope="module")
def prepared(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:  # type: ignore[type-arg]
    before = _fingerprint()
    db, meta = prepare(tmp_path_factory.mktemp("explore"))
    assert _fingerprint() == before  # the packaged data is read, never written
    return db, json.loads(meta.read_text(encoding="utf-8"))


def test_metadata_from_the_schemas(prepared: tuple[Path, dict]) -> None:  # type: ignore[type-arg]
    _, meta = prepared
    pkg = packaged()
    assert pkg.version in meta["title"]
    assert meta["license"].startswith("Creative Commons Attribution 4.0")
    assert meta["license_url"].startswith("https://creativecommons.org/")
    tables = meta["databases"]["indru"]["tables"]
    assert set(tables) == set(pkg.table_names)
    trade = tables["trade_annual"]
    assert "Unit: USD million." in trade["columns"]["value_usd_mn"]
    assert "total_trade" in trade["columns"]["flow"]
    assert {"flow", "reporter", "preferred"} <= set(trade["facets"])
    assert "jurisdiction" in tables["sanctions_actions"]["facets"]
    assert "supplier" in tables["arms_transfers"]["facets"]
    assert "window_end_year" in tables["arms_supplier_shares"]["facets"]
    assert tables["sources"]["label_column"] == "title"
    assert tables["sanctions_actions"]["fts_table"] == "sanctions_actions_fts"


def test_database_has_keys_links_and_full_text(prepared: tuple[Path, dict]) -> None:  # type: ignore[type-arg]
    db, _ = prepared
    con = sqlite3.connect(db)
    try:
        fks = con.execute("PRAGMA foreign_key_list(trade_annual)").fetchall()
        assert any(fk[2] == "sources" and fk[3] == "source_id" for fk in fks)
        url, src = con.execute(
            "SELECT t.source_url, s.url FROM trade_annual t JOIN sources s USING (source_id) "
            "LIMIT 1"
        ).fetchone()
        assert url == src and url.startswith("http")
        hits = [
            r[0]
            for r in con.execute(
                "SELECT action_id FROM sanctions_actions WHERE rowid IN "
                "(SELECT rowid FROM sanctions_actions_fts WHERE sanctions_actions_fts MATCH ?)",
                ["Rosneft"],
            )
        ]
        assert "2025-10-22-ofac-designates-rosneft-lukoil" in hits
    finally:
        con.close()


def test_full_text_columns_are_prose() -> None:
    cols = text_columns(packaged().table("sanctions_actions"))
    assert {"description", "target"} <= set(cols)
    assert "action_id" not in cols and "jurisdiction" not in cols and "source_id" not in cols


def test_datasette_is_read_only_and_local(tmp_path: Path) -> None:
    cmd = datasette_command(tmp_path / "indru.db", tmp_path / "m.json", "127.0.0.1", 8001)
    assert cmd[cmd.index("-i") + 1].endswith("indru.db")  # immutable: opened read-only
    assert cmd[cmd.index("--host") + 1] == "127.0.0.1"
    assert "sql_time_limit_ms" not in cmd  # Datasette's default time limit is kept
    assert "--plugins-dir" not in cmd and "--root" not in cmd


def test_missing_extra_gives_one_line_hint() -> None:
    code = (
        "import sys; sys.modules['datasette'] = None\n"
        "from indru_data.cli import main\nsys.exit(main(['serve', '--port', '1']))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 1
    assert done.stderr.strip() == f"indru-data: error: {INSTALL_HINT}"


OPTIONAL = ("datasette", "mkdocs", "material", "matplotlib")


@pytest.mark.slow
@pytest.mark.parametrize(
    "code",
    [
        "import indru_data",
        "import indru_data\nfor t in indru_data.tables(): indru_data.load(t)",
        "import indru_data\nindru_data.validate()",
        "import indru_data\nindru_data.search('Rosneft')",
    ],
)
def test_optional_extras_stay_unimported(code: str) -> None:
    probe = f"import sys\n{code}\nprint(','.join(m for m in {OPTIONAL!r} if m in sys.modules))"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.strip().splitlines()[-1:] in ([], [""])
