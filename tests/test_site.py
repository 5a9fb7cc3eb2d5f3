"""The documentation site (issue 16, item 1): generated pages and `mkdocs build --strict`."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from conftest import ROOT

import indru_data
from indru_data.cli.reference import reference_pages
from indru_data.outputs.site import build_site_pages, site_pages


def test_one_generated_page_per_table() -> None:
    pages = site_pages(references=reference_pages())
    for name in indru_data.tables():
        page = pages[f"tables/{name}.md"]
        info = indru_data.table_info(name)
        for f in info.fields:
            assert f"| `{f.name}` |" in page  # every column, with its documentation
        assert "## Coverage" in page and "**Primary key:**" in page
    trade = pages["tables/trade_annual.md"]
    assert "**One row is:**" in trade and "## Preferred rows" in trade
    assert "| `india_imports_from_russia` | Goods India imports from Russia" in trade
    assert "USD million" in trade  # units
    assert "## Sources" in trade and "](https://" in trade  # sources cited, as links
    assert "coverage.md#trade_annual" in trade
    assert {"tables/index.md", "reference/cli.md", "reference/python.md", "changelog.md"} <= set(
        pages
    )
    assert "## `indru-data search`" in pages["reference/cli.md"]
    assert "## `indru-data serve`" in pages["reference/cli.md"]
    assert "## `search`" in pages["reference/python.md"]


def test_no_generated_page_is_committed(tmp_path: Path) -> None:
    """Generated pages live in memory (the MkDocs hook) or in a folder outside docs/."""
    for rel in site_pages():
        assert not (ROOT / "docs" / rel).exists(), rel
    written = build_site_pages(tmp_path)
    assert (tmp_path / "tables" / "un_votes.md").is_file() and len(written) > 17


@pytest.mark.slow
def test_mkdocs_build_strict(docs_build: subprocess.CompletedProcess[str]) -> None:
    done, out = docs_build, Path(docs_build.args[-1])
    assert done.returncode == 0, done.stderr[-3000:]
    assert "WARNING" not in done.stderr, done.stderr[-3000:]
    for name in indru_data.tables():
        assert (out / "tables" / name / "index.html").is_file()
    home = (out / "index.html").read_text(encoding="utf-8")
    assert "charts/trade_official_fy.png" in home
    assert (out / "charts" / "trade_official_fy.png").is_file()
