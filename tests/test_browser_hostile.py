"""Stored script injection (issue 29, item 3): a stranger's titles, descriptions, cells and
links, opened in a real browser through the docs site's pages and the explorer.

The payloads try every way a string can act in a page: a `<script>` element, an event
handler on an element (`<img onerror>`, and `{: onclick=...}`, which the site's attr_list
extension would turn into an attribute), a `javascript:` link in HTML and in Markdown, and
`javascript:` as the package's homepage and licence. The page, after its scripts ran, must
show the payloads as text and hold no element they made.
"""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.request
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pytest
from browser import browse, free_port, need, needs_chromium, stop, text_of, wait
from conftest import ROOT, BrokenCopy, read_rows

from indru_data.core.descriptor import DataPackage
from indru_data.release.build import build

pytestmark = [pytest.mark.browser, pytest.mark.slow, needs_chromium]

MARK = "pwned"
SCRIPT = f"<script>document.body.dataset.{MARK}='script'</script>"
IMAGE = f"<img src=x onerror=\"document.body.dataset.{MARK}='img'\">"
ATTRIBUTES = f"{{: onclick=\"document.body.dataset.{MARK}='attr'\" }}"
LINKS = '<a href="javascript:alert(1)">html link</a> [md link](javascript:alert(1)) <javascript:alert(1)>'


def hostile(copy: BrokenCopy) -> BrokenCopy:
    """The payloads in a source's title, a table's description, a column's description and
    the package's homepage and licence."""

    def descriptor(d: dict) -> None:  # type: ignore[type-arg]
        d["homepage"] = "javascript:alert(1)"
        d["licenses"] = [{"name": "x", "path": "javascript:alert(2)", "title": "Licence"}]
        (res,) = [r for r in d["resources"] if r["name"] == "trade_annual"]
        res["description"] = f"Described {SCRIPT} {IMAGE} {LINKS}\n{ATTRIBUTES}"

    def schema(s: dict) -> None:  # type: ignore[type-arg]
        s["fields"][1]["description"] = f"A column {SCRIPT} {IMAGE} {LINKS} {ATTRIBUTES}"

    copy.edit_descriptor(descriptor)
    copy.edit_schema("trade_annual", schema)
    _, sources = read_rows(copy.csv("sources"))
    at = [r["source_id"] for r in sources].index(most_cited(copy))
    copy.set_cell("sources", at, "title", f"Title {SCRIPT}{IMAGE} {ATTRIBUTES}")
    build(copy.descriptor)  # the payloads pass validation; the pages read the Parquet copies
    return copy


def most_cited(copy: BrokenCopy) -> str:
    """The source that trade_annual cites most: its table page lists it first."""
    _, rows = read_rows(copy.csv("trade_annual"))
    return Counter(r["source_id"] for r in rows).most_common(1)[0][0]


class Acting(HTMLParser):
    """What in a page can run: event-handler attributes, javascript: links, script text."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._in_script = tag == "script"
        for name, value in attrs:
            value = (value or "").strip().lower()
            if name.startswith("on") and MARK in value:
                self.found.append(f"<{tag} {name}={value!r}>")
            if name in ("href", "src", "action") and value.startswith("javascript:"):
                self.found.append(f"<{tag} {name}={value!r}>")
            if name == f"data-{MARK}":
                self.found.append(f"<{tag} data-{MARK}> (a payload ran)")

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script and MARK in data:
            self.found.append(f"<script>{data[:80]}</script>")


def acting(dom: str) -> list[str]:
    parser = Acting()
    parser.feed(dom)
    return parser.found


def test_the_parser_sees_a_payload_that_acts() -> None:
    """The check itself can fail: each payload, left raw, is found."""
    raw = f"<body data-{MARK}='1'>{SCRIPT}{IMAGE}<a href='JavaScript:x'>a</a></body>"
    assert len(acting(raw)) == 4


@pytest.fixture(scope="module")
def hostile_copy(tmp_path_factory: pytest.TempPathFactory) -> BrokenCopy:
    return hostile(BrokenCopy(tmp_path_factory.mktemp("hostile")))


def test_site_pages_show_the_payloads_as_text(hostile_copy: BrokenCopy, tmp_path: Path) -> None:
    need("material", "docs")
    from indru_data.outputs.codebook import codebook_markdown
    from indru_data.outputs.site import site_pages

    pkg = DataPackage(hostile_copy.descriptor)
    docs = tmp_path / "docs"
    docs.mkdir()
    pages = site_pages(pkg)
    from indru_data.core.load import load

    frames = {name: load(name, "csv", package=pkg.path) for name in pkg.table_names}
    pages["codebook.md"] = codebook_markdown(pkg, frames)
    for rel, text in pages.items():
        (docs / rel).parent.mkdir(parents=True, exist_ok=True)
        (docs / rel).write_text(text, encoding="utf-8")
    (docs / "index.md").write_text("# Hostile\n")
    # The site's own theme and Markdown extensions, without its hook and navigation.
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    keep = (
        config.split("hooks:")[0]
        + "markdown_extensions:"
        + config.split("markdown_extensions:")[1].split("validation:")[0]
    )
    (tmp_path / "mkdocs.yml").write_text(keep.replace("strict: true", "strict: false"))
    built = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(tmp_path / "site")],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert built.returncode == 0, built.stderr[-3000:]
    for page, shot in (
        ("tables/trade_annual/index.html", "hostile-table"),
        ("codebook/index.html", "hostile-codebook"),
    ):
        dom = browse((tmp_path / "site" / page).as_uri(), shot)
        assert acting(dom) == [], (page, acting(dom))
        text = text_of(dom)
        assert "<script>document.body" in text and "onerror=" in text, page
        if page.startswith("tables"):
            assert f"Title <script>document.body.dataset.{MARK}" in text  # the source's title
        if page.startswith("tables/trade_annual"):
            assert "[md link](javascript:alert(1))" in text  # shown, not made a link


def test_the_explorer_shows_the_payloads_as_text(hostile_copy: BrokenCopy) -> None:
    need("datasette", "explore")
    port = free_port()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "indru_data.cli",
            "serve",
            "--port",
            str(port),
            "--package",
            str(hostile_copy.descriptor),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait(f"{base}/-/versions.json", proc)
        with urllib.request.urlopen(f"{base}/-/metadata.json", timeout=30) as r:
            meta = json.load(r)
        assert "javascript" not in meta.get("license_url", "") + meta.get("source_url", "")
        for page, shot in (
            ("/", "hostile-explorer-home"),
            ("/indru/trade_annual", "hostile-explorer-table"),
            (f"/indru/sources/{most_cited(hostile_copy)}", "hostile-explorer-source"),
        ):
            dom = browse(base + page, shot)
            assert acting(dom) == [], (page, acting(dom))
        assert f"Title <script>document.body.dataset.{MARK}" in text_of(dom)
    finally:
        stop(proc)
