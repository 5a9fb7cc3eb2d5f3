"""The documentation site (issue 16, item 1; issue 33, item 3): generated pages, `mkdocs build
--strict`, and the built site in headless Chromium (tests/browser.py), measured as laid out,
with screenshots in build/screenshots/.

The browser tests are in this file, beside the strict build, so that under `--dist loadfile`
one worker builds the site (the session fixture `docs_build`) and every test reads that build.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from browser import Browser, Page, free_port, need, needs_chromium, stop, wait
from conftest import ROOT

import indru_data
from indru_data.cli.reference import reference_pages
from indru_data.core.markup import safe_url
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


def test_the_site_is_built_once_per_run() -> None:
    """The session fixture `docs_build` is per worker under pytest-xdist: when a second test file
    asked for it, `--dist loadfile` could send that file to another worker, which built the
    site again. Every test that reads the built site is in this file."""
    users = [
        p.name
        for p in (ROOT / "tests").glob("*.py")
        if p.name not in ("conftest.py", "test_site.py")
        and re.search(r"\bdocs_build\b", p.read_text(encoding="utf-8"))
    ]
    assert users == []


# --- what the pages say: numbers, links, headings (no browser) --------------------------------


def test_numbers_have_separators_and_one_number_of_decimals_per_column() -> None:
    from indru_data.findings.pages import number_column

    money = pd.Series([10686.86, 903.724999, 8730.0, None])
    assert number_column(money, "value_usd_mn").tolist() == ["10,686.86", "903.72", "8,730.00", ""]
    assert number_column(pd.Series([76.0, 75.5]), "share_pct").tolist() == ["76.0", "75.5"]
    assert number_column(pd.Series([0.5469, 0.1]), "identical_share").tolist() == ["0.547", "0.100"]
    counts = pd.Series([1220, 23013], dtype="Int64")
    assert number_column(counts, "roll_calls").tolist() == ["1,220", "23,013"]
    years = pd.Series([2009, None, 2024], dtype="Int64")
    assert number_column(years, "window_end_year").tolist() == ["2009", "", "2024"]
    assert number_column(pd.Series([True, False]), "preferred") is None
    assert number_column(pd.Series(["2021"]), "period") is None


def _source_urls() -> dict[str, str]:
    sources = indru_data.load("sources")
    return dict(zip(sources["source_id"].astype(str), sources["url"].astype(str), strict=True))


NUMBER = re.compile(r"^-?\d[\d,]*(\.\d+)?$")


def _numeric_cells(markdown: str) -> Iterator[tuple[str, list[str]]]:
    """Each right-aligned (numeric) column of each table in a page: its header and its cells."""
    lines = markdown.splitlines()
    for i, line in enumerate(lines):
        if not (line.startswith("|") and i + 1 < len(lines) and lines[i + 1].startswith("|-")):
            continue
        header = [c.strip() for c in line.strip("|").split("|")]
        align = lines[i + 1].strip("|").split("|")
        body = []
        for row in lines[i + 2 :]:
            if not row.startswith("|"):
                break
            body.append([c.strip() for c in row.strip().strip("|").split(" | ")])
        for j, a in enumerate(align):
            if a.endswith(":"):
                yield header[j], [r[j] for r in body if j < len(r) and r[j]]


@pytest.mark.parametrize("page", ["findings.md", "report-claims.md"])
def test_findings_pages_show_formatted_numbers(page: str) -> None:
    text = (ROOT / "docs" / page).read_text(encoding="utf-8")
    columns = list(_numeric_cells(text))
    assert len(columns) > 20
    for name, cells in columns:
        assert all(NUMBER.match(c) for c in cells), (name, cells)
        # one number of decimals per column, at most 3
        decimals = {len(c.split(".")[1]) if "." in c else 0 for c in cells}
        assert len(decimals) <= 1 and max(decimals, default=0) <= 3, (name, cells)
        if "year" not in name and name != "rank":  # a year is written as it is
            assert not any(re.search(r"\d{4}", c.split(".")[0].lstrip("-")) for c in cells), (
                name,
                cells,
            )
    assert "| 10,686.86 |" in (ROOT / "docs" / "findings.md").read_text(encoding="utf-8")
    assert "903.724999" not in text and "10686.86" not in text


def test_findings_pages_link_the_codebook_and_coverage() -> None:
    for page in ("findings.md", "report-claims.md"):
        text = (ROOT / "docs" / page).read_text(encoding="utf-8")
        assert "docs/codebook.md" not in text and "docs/coverage.md" not in text, page
    findings = (ROOT / "docs" / "findings.md").read_text(encoding="utf-8")
    assert "([codebook](codebook.md))" in findings
    assert "[coverage and gaps](coverage.md)" in findings


def test_claims_evidence_headings_fit_and_every_row_links_its_source() -> None:
    """Every `<x>_id` column that is a table's key holds that table's keys (no interaction ids
    under `summit_id`), and every evidence row names a source that resolves to a URL."""
    from indru_data.findings.claims import check_all

    keys = {}
    for name in indru_data.tables():
        info = indru_data.table_info(name)
        if len(info.primary_key) == 1:
            keys[info.primary_key[0]] = set(indru_data.load(name)[info.primary_key[0]].astype(str))
    urls = _source_urls()
    for claim, ev, _ in check_all():
        for col in ev.columns:
            if col in keys and col != "source_id":
                held = set(ev[col].dropna().astype(str))
                assert held <= keys[col], (claim.claim_id, col, held - keys[col])
        if ev.empty:
            continue
        cited = [c for c in ev.columns if c.endswith(("source_id", "source_ids"))]
        assert cited, (claim.claim_id, list(ev.columns))
        for _, row in ev.iterrows():
            ids = [i.strip() for c in cited for i in str(row[c]).split(";") if i.strip()]
            assert ids and all(i in urls for i in ids), (claim.claim_id, ids)


def test_claims_page_names_the_report_and_links_each_source() -> None:
    text = (ROOT / "docs" / "report-claims.md").read_text(encoding="utf-8")
    assert "*India and Russia: Exploring New Pathways for Cooperation*" in text
    assert "published 23 December 2025" in text
    urls = _source_urls()
    evidence = text.split("\n## ", 1)[1]
    rows = [r for r in evidence.splitlines() if r.startswith("| ") and not r.startswith("|-")]
    linked = 0
    for row in rows:
        for sid, url in re.findall(r"\[`([^`]+)`\]\(([^)\s]+)\)", row):
            assert urls[sid] == url or safe_url(urls[sid]) == url, (sid, url)
            linked += 1
    assert linked > 100


def test_generated_tables_escape_what_they_show() -> None:
    from indru_data.findings.pages import _table

    frame = pd.DataFrame(
        {
            "<img src=x onerror=alert(1)>": ["[a](javascript:alert(1))"],
            "source_id": ["not-a-source <script>"],
        }
    )
    out = "\n".join(_table(frame))
    markdown = pytest.importorskip("markdown", reason="needs the docs extra")
    page = markdown.markdown(out, extensions=["tables", "attr_list"])
    assert "<img" not in page and "<script" not in page and 'javascript:alert(1)"' not in page
    assert "href" not in page  # no link was made: the source is unknown, the text is text
    assert "`not-a-source <script>`" in out  # an unknown source id: code, not a link
    assert "&lt;img src=x onerror=alert(1)&gt;" in out and "\\[a\\](javascript:alert(1))" in out


# --- the built site in a real browser (beside the build, so it is built once per run) -------


@pytest.fixture(scope="module")
def chrome() -> Iterator[Browser]:
    with Browser() as browser:
        yield browser


@pytest.fixture(scope="module")
def docs_site(docs_build: subprocess.CompletedProcess[str]) -> Iterator[str]:
    need("material", "docs")
    out = Path(docs_build.args[-1])
    assert docs_build.returncode == 0, docs_build.stderr[-3000:]
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1"],
        cwd=out,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait(f"{base}/index.html", proc)
        yield base
    finally:
        stop(proc)


def browser_test(test: Callable[..., None]) -> Callable[..., None]:
    for mark in (pytest.mark.browser, pytest.mark.slow, needs_chromium):
        test = mark(test)
    return test


# Page layout, measured in the browser: what overflows the page, which tables neither fit nor
# scroll in a box, which column names or ids are broken inside a word, which code blocks scroll.
LAYOUT = r"""(() => {
  const article = document.querySelector('article');
  const right = article.getBoundingClientRect().right;
  const tables = Array.from(article.querySelectorAll('table'));
  const unboxed = tables.filter(t => {
    if (t.getBoundingClientRect().right <= right + 1) return false;  // fits
    const box = t.closest('.md-typeset__scrollwrap');
    return !(box && getComputedStyle(box).overflowX === 'auto'
             && box.getBoundingClientRect().right <= right + 20);
  }).map(t => t.querySelector('th') && t.querySelector('th').textContent);
  const broken = [];
  for (const el of article.querySelectorAll('table th, table td code')) {
    const text = el.textContent.trim();
    if (!text || /\s/.test(text)) continue;
    const range = document.createRange();
    range.selectNodeContents(el);
    const lines = new Set(Array.from(range.getClientRects()).map(r => Math.round(r.top)));
    if (lines.size > 1) broken.push(text);
  }
  const code = Array.from(article.querySelectorAll('pre > code'))
    .filter(c => c.scrollWidth > c.clientWidth + 1).map(c => c.textContent.slice(0, 60));
  return {
    overflow: document.documentElement.scrollWidth - innerWidth,
    tables: tables.length, unboxed, broken, code,
  };
})()"""


def _reads_well(page: Page) -> dict[str, Any]:
    at = page.js(LAYOUT)
    assert at["overflow"] <= 0, at  # the page itself never scrolls sideways
    assert at["unboxed"] == [], at  # a wide table scrolls inside its box
    assert at["broken"] == [], at  # no column name or id broken mid-word
    assert at["code"] == [], at  # no code block overflows
    return at  # type: ignore[no-any-return]


@browser_test
def test_docs_home_shows_the_trade_chart(docs_site: str, chrome: Browser) -> None:
    page = chrome.open(f"{docs_site}/", "docs-home")
    assert 'src="charts/trade_official_fy.png"' in page.dom()
    text = page.text()
    assert "India–Russia relations, as open data" in text and "Cite" in text
    page.js("document.getElementById('install-and-use').scrollIntoView()")
    page.screenshot("docs-home-install")
    assert len(page.js("Array.from(document.querySelectorAll('article pre > code'))")) >= 3
    _reads_well(page)
    with urllib.request.urlopen(f"{docs_site}/charts/trade_official_fy.png") as r:
        assert r.headers["Content-Type"] == "image/png" and r.read(8) == b"\x89PNG\r\n\x1a\n"


@browser_test
def test_docs_table_page_lists_its_columns(docs_site: str, chrome: Browser) -> None:
    page = chrome.open(f"{docs_site}/tables/trade_annual/", "docs-table")
    text = page.text()
    assert "India–Russia goods trade by period and flow" in text
    for f in indru_data.table_info("trade_annual").fields:
        assert f.name in text
    assert "Goods India imports from Russia" in text  # vocabulary meanings
    at = _reads_well(page)
    assert at["tables"] >= 5
    page.js("document.getElementById('columns').scrollIntoView()")
    page.screenshot("docs-table-columns")
    n = len(indru_data.load("unga_country_votes"))
    big = chrome.open(f"{docs_site}/tables/unga_country_votes/", "docs-table-large")
    assert n >= 1000 and f"Rows: {n:,}." in big.text()  # thousands separators
    _reads_well(big)


@browser_test
def test_docs_findings_read_well(docs_site: str, chrome: Browser) -> None:
    page = chrome.open(f"{docs_site}/findings/", "docs-findings")
    at = _reads_well(page)
    assert at["tables"] > 30
    text = page.text()
    assert "10,686.86" in text and "903.72" in text and "903.724999" not in text
    page.js("document.getElementById(" + json.dumps(MIRROR) + ").scrollIntoView()")
    page.screenshot("docs-findings-mirror")
    links = page.js("Array.from(document.querySelectorAll('article a')).map(a => a.href)")
    assert f"{docs_site}/codebook/" in links and f"{docs_site}/coverage/" in links


MIRROR = "mirror-statistics-each-countrys-figures-for-the-same-flow-imf-us-million"


@browser_test
def test_docs_claims_page_names_the_report_and_links_sources(
    docs_site: str, chrome: Browser
) -> None:
    page = chrome.open(f"{docs_site}/report-claims/", "docs-claims")
    text = page.text()
    assert "India and Russia: Exploring New Pathways for Cooperation" in text
    assert "23 December 2025" in text
    _reads_well(page)
    # every row of every evidence table (after the two summary tables) links to a web page
    unlinked = page.js(
        """Array.from(document.querySelectorAll('article table')).slice(2)
          .flatMap(t => Array.from(t.querySelectorAll('tbody tr')))
          .filter(tr => !tr.querySelector('a[href^="http"]'))
          .map(tr => tr.innerText.slice(0, 80))"""
    )
    assert unlinked == []
    page.js("document.getElementById('trade-prewar').scrollIntoView()")
    page.screenshot("docs-claims-evidence")
