"""The explorer in a real browser (issue 16, item 3; issue 33, item 3).

A module fixture starts `indru-data serve` on a free loopback port; headless Chromium
(tests/browser.py) opens its pages at the size of a laptop's first screen, measures them as laid
out, and saves a screenshot of each first screen in build/screenshots/ (or $INDRU_SCREENSHOTS).
The documentation site's pages are opened by tests/test_site.py, beside the `mkdocs build` they
read, so that the site is built once per test run.
"""

from __future__ import annotations

import hashlib
import html
import re
import subprocess
import sys
from collections.abc import Iterator

import pytest
from browser import SCREEN, Browser, Page, free_port, need, needs_chromium, stop, wait
from conftest import ROOT

import indru_data

pytestmark = [pytest.mark.browser, pytest.mark.slow, needs_chromium]


def _fingerprint() -> dict[str, str]:
    files = [ROOT / "datapackage.json", *sorted((ROOT / "data").rglob("*"))]
    return {str(p): hashlib.sha256(p.read_bytes()).hexdigest() for p in files if p.is_file()}


@pytest.fixture(scope="module")
def chrome() -> Iterator[Browser]:
    with Browser() as browser:
        yield browser


@pytest.fixture(scope="module")
def explorer() -> Iterator[str]:
    need("datasette", "explore")
    before = _fingerprint()
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "indru_data.cli", "serve", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait(f"{base}/-/versions.json", proc)
        yield base
    finally:
        stop(proc)
    assert _fingerprint() == before  # serving never wrote to the packaged data


# What a table page looks like on the first screen: where its rows start, how tall they are,
# where the column descriptions are.
LAYOUT = """(() => {
  const rows = Array.from(document.querySelectorAll('table.rows-and-columns tbody tr'));
  const box = el => el ? el.getBoundingClientRect() : null;
  const docs = document.querySelector('details.indru-column-docs');
  const top = document.querySelector('section.content > dl.column-descriptions');
  return {
    screen: innerHeight,
    rows: rows.length,
    first_row_bottom: rows.length ? box(rows[0]).bottom : null,
    tallest_row: Math.max(0, ...rows.map(r => box(r).height)),
    table_bottom: box(document.querySelector('table.rows-and-columns')).bottom,
    docs_top: docs ? box(docs).top : null,
    docs_open: docs ? docs.open : null,
    docs_above_rows_shown: top ? getComputedStyle(top).display !== 'none' : false,
    page_width: document.documentElement.scrollWidth,
  };
})()"""


def cells(page: Page, column: str) -> list[str]:
    return page.js(  # type: ignore[no-any-return]
        f"Array.from(document.querySelectorAll('table.rows-and-columns td.col-{column}'))"
        ".map(td => td.innerText.trim())"
    )


def test_explorer_home_and_database_list_no_hidden_tables(explorer: str, chrome: Browser) -> None:
    page = chrome.open(f"{explorer}/", "explorer-home")
    text = page.text()
    assert f"data version {indru_data.data_version()}" in text
    names = indru_data.tables()
    rows = sum(len(indru_data.load(t)) for t in names)
    assert f"{rows:,} rows in {len(names)} tables" in text
    assert "hidden" not in text  # the full-text indexes behind the search box are not listed
    # the home lists the largest tables (Datasette shows the first few by row count)
    largest = max(names, key=lambda t: len(indru_data.load(t)))
    assert "sources" in text and largest in text
    db = chrome.open(f"{explorer}/indru", "explorer-database")
    listed = db.text()
    for name in names:
        assert name in listed
    assert "hidden table" not in listed and "_fts" not in listed
    assert "_show_hidden" not in db.dom() and "hidden" not in page.dom()  # not even in the HTML


@pytest.mark.parametrize("table", ["trade_annual", "sanctions_actions", "sources", "interactions"])
def test_explorer_table_shows_rows_on_the_first_screen(
    explorer: str, chrome: Browser, table: str
) -> None:
    page = chrome.open(f"{explorer}/indru/{table}", f"explorer-table-{table}")
    at = page.js(LAYOUT)
    assert at["screen"] == SCREEN[1] and at["rows"] > 0
    assert at["first_row_bottom"] <= at["screen"], at  # rows start on the first screen
    assert at["tallest_row"] <= 40, at  # one line each (a long cell is cut)
    assert not at["docs_above_rows_shown"], at
    # the column descriptions: folded, below the rows
    assert at["docs_open"] is False and at["docs_top"] > at["table_bottom"], at
    assert at["page_width"] <= SCREEN[0], at  # a wide table scrolls in its own box
    info = indru_data.table_info(table)
    first = info.fields[0]
    assert first.description.strip()[:30] not in page.text()  # folded: not shown …
    page.js("document.querySelector('details.indru-column-docs').open = true")
    assert first.description.strip()[:30] in page.text()  # … until opened


def test_explorer_booleans_read_true_and_false(explorer: str, chrome: Browser) -> None:
    page = chrome.open(f"{explorer}/indru/trade_annual?_sort=trade_id", "explorer-booleans")
    trade = (
        indru_data.load("trade_annual").sort_values("trade_id").head(len(cells(page, "is_partial")))
    )
    for column in ("preferred", "is_partial"):
        shown = cells(page, column)
        assert shown and set(shown) <= {"true", "false"}, shown
        assert shown == [str(v).lower() for v in trade[column]]  # the same values, as words
    facet = page.text()
    assert "preferred" in facet and "true" in facet and "false" in facet  # the facet too
    # a filter on a boolean reads as a word too
    preferred = int(indru_data.load("trade_annual")["preferred"].sum())
    text = chrome.open(f"{explorer}/indru/trade_annual?preferred=true", "explorer-bool-filter")
    assert f'{preferred} rows where preferred = "true"' in text.text()


def test_explorer_numbers_read_with_separators_and_one_decimals_per_column(
    explorer: str, chrome: Browser
) -> None:
    """As on the site: 65,695.54 not 65695.54, one number of decimals per column, years as
    written; sorting still follows the numbers."""
    page = chrome.open(f"{explorer}/indru/trade_annual?_sort_desc=value_usd_mn", "explorer-numbers")
    values = indru_data.load("trade_annual")["value_usd_mn"].dropna()
    shown = [c for c in cells(page, "value_usd_mn") if c]
    assert shown[0] == f"{values.max():,.2f}", shown[:3]  # the largest first, formatted
    assert all(re.fullmatch(r"\d{1,3}(,\d{3})*\.\d{2}", c) for c in shown), shown
    assert len({len(c.split(".")[1]) for c in shown}) == 1  # one number of decimals
    years = chrome.open(f"{explorer}/indru/arms_supplier_shares", "explorer-years")
    starts = cells(years, "window_start_year")
    assert starts and all(re.fullmatch(r"\d{4}", c) for c in starts), starts[:3]


def test_explorer_table_filtered_by_a_facet(explorer: str, chrome: Browser) -> None:
    actions = indru_data.load("sanctions_actions")
    expected = int((actions["jurisdiction"] == "IND").sum())
    page = chrome.open(f"{explorer}/indru/sanctions_actions?jurisdiction=IND", "explorer-facet")
    text = page.text()
    assert "Sanctions actions touching India–Russia cooperation" in text  # title, from schemas
    assert f'{expected} rows where jurisdiction = "IND"' in text
    assert "action_type" in text  # facets and columns
    assert "Creative Commons Attribution 4.0" in text  # the licence from the descriptor
    page.js("document.querySelector('details.indru-column-docs').open = true")
    assert "Who acted: ISO 3166-1 alpha-3" in page.text()  # column docs, once unfolded
    page.screenshot("explorer-facet-column-docs", full_page=True)


def test_explorer_row_links_to_its_source(explorer: str, chrome: Browser) -> None:
    trade = indru_data.load("trade_annual")
    row = trade[trade["trade_id"] == "fy2021-22-total-tradestat"].iloc[0]
    sources = indru_data.load("sources").set_index("source_id")
    url = sources.loc[row["source_id"], "url"]
    page = chrome.open(f"{explorer}/indru/trade_annual/{row['trade_id']}", "explorer-row")
    dom = page.dom()
    assert f'<a href="{html.escape(url)}">{html.escape(url)}</a>' in dom  # shown, and a link
    text = page.text()
    assert "source_url" in text and row["source_id"] in text and "FY2021-22" in text
    # the table view links the row's source_id to its sources row, labelled by its title
    listing = chrome.open(
        f"{explorer}/indru/trade_annual?trade_id={row['trade_id']}", "explorer-rows"
    )
    assert f'href="/indru/sources/{row["source_id"]}"' in listing.dom()
    assert sources.loc[row["source_id"], "title"][:40] in listing.text()


def test_explorer_full_text_search(explorer: str, chrome: Browser) -> None:
    page = chrome.open(f"{explorer}/indru/sanctions_actions?_search=Rosneft", "explorer-search")
    text = page.text()
    assert "rows where search matches" in text
    assert "2025-10-22-ofac-designates-rosneft-lukoil" in text
    assert "OFAC blocked Rosneft" in text


def test_explorer_cuts_a_long_cell_and_its_row_page_shows_it_whole(
    explorer: str, chrome: Browser
) -> None:
    actions = indru_data.load("sanctions_actions")
    row = actions.loc[actions["description"].str.len().idxmax()]
    text = " ".join(str(row["description"]).split())
    assert len(text) > 200
    listing = chrome.open(
        f"{explorer}/indru/sanctions_actions?action_id={row['action_id']}", "explorer-long-cell"
    )
    (shown,) = cells(listing, "description")
    assert shown.endswith("…") and len(shown) < len(text) and text.startswith(shown[:-1])
    assert listing.js(LAYOUT)["tallest_row"] <= 40
    page = chrome.open(
        f"{explorer}/indru/sanctions_actions/{row['action_id']}", "explorer-row-whole"
    )
    assert text in page.text()
    # one line per column: its name, its value, what it holds; nothing wider than the screen
    (doc,) = [
        f.description
        for f in indru_data.table_info("sanctions_actions").fields
        if f.name == "jurisdiction"
    ]
    lines = page.js(
        "Array.from(document.querySelectorAll('table.indru-row tbody tr')).map(tr => tr.innerText)"
    )
    assert len(lines) == len(actions.columns) + 1  # and source_url, added by the explorer
    assert any(ln.startswith("jurisdiction") and doc[:30] in ln for ln in lines), lines
    assert page.js("document.documentElement.scrollWidth") <= SCREEN[0]
