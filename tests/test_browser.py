"""The explorer and the documentation site in a real browser (issue 16, item 3).

Each test starts a server on a free loopback port (`indru-data serve`, or `python -m
http.server` over a fresh `mkdocs build`), then drives Debian's headless `chromium`: `--dump-dom`
for the rendered page (assertions are on its text, after scripts ran) and `--screenshot` for a
PNG in SCREENSHOTS (build/screenshots/, or $INDRU_SCREENSHOTS). No browser is downloaded: .ci/run
installs chromium with apt; without it these tests are skipped with that reason.
"""

from __future__ import annotations

import hashlib
import html
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import ROOT

import indru_data

CHROMIUM = shutil.which("chromium")
# Set by .ci/run: there a missing browser or extra is a failure, not a reason to skip.
REQUIRED = os.environ.get("INDRU_REQUIRE_BROWSER") == "1"
SCREENSHOTS = Path(os.environ.get("INDRU_SCREENSHOTS", ROOT / "build" / "screenshots"))
FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--window-size=1280,1600",
]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(
        CHROMIUM is None and not REQUIRED,
        reason="chromium not found: apt-get install -y chromium (.ci/run installs it)",
    ),
]


def _need(module: str, extra: str) -> None:
    if REQUIRED:
        __import__(module)  # fails loudly in CI
    pytest.importorskip(module, reason=f"needs the {extra} extra: pip install -e '.[{extra}]'")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait(url: str, proc: subprocess.Popen[bytes], timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the server exited with {proc.returncode} before {url} answered")
        try:
            with urllib.request.urlopen(url, timeout=5) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise TimeoutError(f"{url} did not answer within {timeout} s")


def _stop(proc: subprocess.Popen[bytes]) -> None:
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def _chromium(*args: str) -> subprocess.CompletedProcess[str]:
    assert CHROMIUM is not None, "chromium not found (INDRU_REQUIRE_BROWSER=1)"
    with tempfile.TemporaryDirectory(prefix="indru-chromium-") as profile:
        return subprocess.run(
            [CHROMIUM, *FLAGS, f"--user-data-dir={profile}", *args],
            capture_output=True,
            text=True,
            timeout=120,
        )


def browse(url: str, shot: str) -> str:
    """The page's DOM after its scripts ran; also writes SCREENSHOTS/<shot>.png."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    png = SCREENSHOTS / f"{shot}.png"
    png.unlink(missing_ok=True)
    # One browser run gives both: the screenshot file and the DOM on stdout.
    done = _chromium(f"--screenshot={png}", "--dump-dom", url)
    assert png.is_file() and png.read_bytes().startswith(b"\x89PNG"), done.stderr[-2000:]
    assert done.returncode == 0 and "<html" in done.stdout, done.stderr[-2000:]
    return done.stdout


def text_of(dom: str) -> str:
    """Rendered text, roughly: tags dropped, entities decoded, white space collapsed."""
    import re

    dom = re.sub(r"<(script|style)\b.*?</\1>", " ", dom, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", dom)).split())


def _fingerprint() -> dict[str, str]:
    files = [ROOT / "datapackage.json", *sorted((ROOT / "data").rglob("*"))]
    return {str(p): hashlib.sha256(p.read_bytes()).hexdigest() for p in files if p.is_file()}


# --- the data explorer -------------------------------------------------------------------


@pytest.fixture(scope="module")
def explorer() -> Iterator[str]:
    _need("datasette", "explore")
    before = _fingerprint()
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "indru_data.cli", "serve", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait(f"{base}/-/versions.json", proc)
        yield base
    finally:
        _stop(proc)
    assert _fingerprint() == before  # serving never wrote to the packaged data


def test_explorer_home(explorer: str) -> None:
    text = text_of(browse(f"{explorer}/", "explorer-home"))
    assert f"data version {indru_data.data_version()}" in text
    names = indru_data.tables()
    rows = sum(len(indru_data.load(t)) for t in names)
    assert f"{rows:,} rows in {len(names)} tables" in text  # full-text indexes are hidden
    # the home lists the largest tables (Datasette shows the first few by row count)
    largest = max(names, key=lambda t: len(indru_data.load(t)))
    assert "sources" in text and largest in text
    db = text_of(browse(f"{explorer}/indru", "explorer-database"))
    for name in names:
        assert name in db


def test_explorer_table_filtered_by_a_facet(explorer: str) -> None:
    actions = indru_data.load("sanctions_actions")
    expected = int((actions["jurisdiction"] == "IND").sum())
    text = text_of(browse(f"{explorer}/indru/sanctions_actions?jurisdiction=IND", "explorer-facet"))
    assert "Sanctions actions touching India–Russia cooperation" in text  # title, from schemas
    assert f'{expected} rows where jurisdiction = "IND"' in text
    assert "action_type" in text and "Who acted: ISO 3166-1 alpha-3" in text  # facets, docs
    assert "Creative Commons Attribution 4.0" in text  # the licence from the descriptor


def test_explorer_row_links_to_its_source(explorer: str) -> None:
    trade = indru_data.load("trade_annual")
    row = trade[trade["trade_id"] == "fy2021-22-total-tradestat"].iloc[0]
    sources = indru_data.load("sources").set_index("source_id")
    url = sources.loc[row["source_id"], "url"]
    dom = browse(f"{explorer}/indru/trade_annual/{row['trade_id']}", "explorer-row")
    assert f'<a href="{html.escape(url)}">{html.escape(url)}</a>' in dom  # shown, and a link
    text = text_of(dom)
    assert "source_url" in text and row["source_id"] in text and "FY2021-22" in text
    # the table view links the row's source_id to its sources row, labelled by its title
    listing = browse(f"{explorer}/indru/trade_annual?trade_id={row['trade_id']}", "explorer-rows")
    assert f'href="/indru/sources/{row["source_id"]}"' in listing
    assert sources.loc[row["source_id"], "title"] in text_of(listing)


def test_explorer_full_text_search(explorer: str) -> None:
    text = text_of(browse(f"{explorer}/indru/sanctions_actions?_search=Rosneft", "explorer-search"))
    assert "rows where search matches" in text
    assert "2025-10-22-ofac-designates-rosneft-lukoil" in text
    assert "OFAC blocked Rosneft" in text


# --- the documentation site --------------------------------------------------------------


@pytest.fixture(scope="module")
def docs_site(request: pytest.FixtureRequest) -> Iterator[str]:
    _need("material", "docs")
    built = request.getfixturevalue("docs_build")  # the site tests/test_site.py checks
    out = Path(built.args[-1])
    assert built.returncode == 0, built.stderr[-3000:]
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1"],
        cwd=out,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait(f"{base}/index.html", proc)
        yield base
    finally:
        _stop(proc)


def test_docs_home_shows_the_trade_chart(docs_site: str) -> None:
    dom = browse(f"{docs_site}/", "docs-home")
    assert 'src="charts/trade_official_fy.png"' in dom
    text = text_of(dom)
    assert "India–Russia relations, as open data" in text and "Cite" in text
    with urllib.request.urlopen(f"{docs_site}/charts/trade_official_fy.png") as r:
        assert r.headers["Content-Type"] == "image/png" and r.read(8) == b"\x89PNG\r\n\x1a\n"


def test_docs_table_page_lists_its_columns(docs_site: str) -> None:
    text = text_of(browse(f"{docs_site}/tables/trade_annual/", "docs-table"))
    assert "India–Russia goods trade by period and flow" in text
    for f in indru_data.table_info("trade_annual").fields:
        assert f.name in text
    assert "Goods India imports from Russia" in text  # vocabulary meanings
