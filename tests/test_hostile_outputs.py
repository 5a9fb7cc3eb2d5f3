"""Hostile packages given to the commands that write (issue 29, items 1 and 2).

`build` turns descriptor text into Python that is imported, and every writing command
(`build`, `export`, `release`, `charts`, `new-table`, `serve --dir`, the site pages) takes
its targets from a folder a stranger may have prepared: nothing from the descriptor may run,
and no write may follow a symlink out of the folder it belongs in.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import ROOT, BrokenCopy, cli

from indru_data.core.files import WriteRefused
from indru_data.outputs.codebook import docstring_literal
from indru_data.release.build import build

pytestmark = pytest.mark.slow  # builds and a fresh interpreter

TITLE_PAYLOAD = 'Trade"""\nimport os\nos.system("touch PWNED")\ndef _f():\n    """'


def with_source_tree(copy: BrokenCopy) -> Path:
    """The copy made a checkout: src/indru_data beside it, so `build` writes _loaders.py."""
    shutil.copytree(
        ROOT / "src" / "indru_data",
        copy.root / "src" / "indru_data",
        ignore=shutil.ignore_patterns("__pycache__"),
    )
    return copy.root / "src" / "indru_data"


def set_resource(copy: BrokenCopy, table: str, key: str, value: str) -> None:
    def change(d: dict) -> None:  # type: ignore[type-arg]
        (res,) = [r for r in d["resources"] if r["name"] == table]
        res[key] = value

    copy.edit_descriptor(change)


@pytest.mark.parametrize(
    "text",
    [TITLE_PAYLOAD, 'a\\"""b', "x\\", "\u202eevil\u2028\x00\x1b[31m", "'''", "\\N{BELL}"],
)
def test_docstring_literal_gives_back_the_text(text: str) -> None:
    import ast

    literal = docstring_literal(text)
    assert ast.literal_eval(literal) == text
    assert len(ast.parse(literal).body) == 1  # one expression: nothing else to run


def test_a_title_with_code_is_a_docstring_after_build(broken: BrokenCopy) -> None:
    """The red team's title closed the docstring and ran os.system on `import indru_data`."""
    with_source_tree(broken)
    set_resource(broken, "trade_annual", "title", TITLE_PAYLOAD)
    build(broken.descriptor)
    env = {**os.environ, "PYTHONPATH": str(broken.root / "src")}
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            "import indru_data; print(indru_data.__file__); "
            "print(indru_data.load_trade_annual.__doc__)",
        ],
        cwd=broken.root,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith(str(broken.root / "src")), out.stdout  # the built copy ran
    assert TITLE_PAYLOAD in out.stdout
    assert not (broken.root / "PWNED").exists()


@pytest.mark.parametrize("name", ["trade-annual.x", "Trade", "class", "a" * 65, "x y", "9lives"])
def test_a_table_name_that_is_not_an_identifier_is_refused(broken: BrokenCopy, name: str) -> None:
    def rename(d: dict) -> None:  # type: ignore[type-arg]
        (res,) = [r for r in d["resources"] if r["name"] == "trade_annual"]
        res["name"] = name

    broken.edit_descriptor(rename)
    out = cli("validate", str(broken.descriptor))
    assert out.returncode == 2, (out.stdout, out.stderr)
    assert "is not allowed: a table name is" in out.stderr and "Traceback" not in out.stderr
    out = cli("build", str(broken.descriptor))  # refused by validation, before any code is made
    assert out.returncode != 0 and "nothing was written" in out.stderr, out.stderr
    assert "is not allowed: a table name is" in out.stderr


def test_a_title_that_is_not_text_is_refused(broken: BrokenCopy) -> None:
    def change(d: dict) -> None:  # type: ignore[type-arg]
        d["resources"][0]["title"] = ["not", "text"]

    broken.edit_descriptor(change)
    out = cli("validate", str(broken.descriptor))
    assert out.returncode == 2 and "'title' must be a string" in out.stderr


# --- every write confined (item 2) -----------------------------------------------------------


def files_under(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


@pytest.fixture
def outside(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder outside the package, holding one file a link may point at."""
    folder = tmp_path_factory.mktemp("outside")
    (folder / "victim.txt").write_text("keep me\n")
    return folder


def link(at: Path, to: Path) -> None:
    if at.is_dir() and not at.is_symlink():
        shutil.rmtree(at)
    else:
        at.unlink(missing_ok=True)
    at.parent.mkdir(parents=True, exist_ok=True)
    at.symlink_to(to, target_is_directory=to.is_dir())


def _build_docs_folder(copy: BrokenCopy, outside: Path) -> Callable[[], object]:
    with_source_tree(copy)
    link(copy.root / "docs", outside)
    return lambda: build(copy.descriptor)


def _build_source_folder(copy: BrokenCopy, outside: Path) -> Callable[[], object]:
    source = with_source_tree(copy)
    shutil.copytree(source, outside / "indru_data")
    link(source, outside / "indru_data")
    (outside / "indru_data" / "_loaders.py").write_text("# stale\n")
    return lambda: build(copy.descriptor)


def _build_codebook_file(copy: BrokenCopy, outside: Path) -> Callable[[], object]:
    with_source_tree(copy)
    link(copy.root / "docs" / "codebook.md", outside / "victim.txt")
    return lambda: build(copy.descriptor)


def _snapshot_folder(copy: BrokenCopy, outside: Path) -> Callable[[], object]:
    from indru_data.release.snapshots import snapshot_release

    link(copy.root / "releases", outside)
    copy.set_version("9.0.0")  # a release, not a .dev0 tree
    return lambda: snapshot_release(copy.descriptor)


def _release_zip_file(copy: BrokenCopy, outside: Path) -> Callable[[], object]:
    from indru_data.release.publish import release_zip

    version = json.loads(copy.descriptor.read_text())["version"]
    link(copy.root / "dist" / f"indru-data-{version}.zip", outside / "victim.txt")
    return lambda: release_zip(copy.descriptor, date="2030-01-02", overwrite=True)


def _new_table_schema_file(copy: BrokenCopy, outside: Path) -> Callable[[], object]:
    # (A symlinked schemas/ or data/ folder is refused as input before new-table is reached.)
    from indru_data.release.scaffold import new_table

    (copy.root / "schemas" / "fresh_table.schema.json").symlink_to(outside / "absent.json")
    return lambda: new_table("fresh_table", package=copy.descriptor)


def _new_table_file(copy: BrokenCopy, outside: Path) -> Callable[[], object]:
    from indru_data.release.scaffold import new_table

    (copy.root / "data" / "fresh_table.csv").symlink_to(outside / "absent.csv")
    return lambda: new_table("fresh_table", package=copy.descriptor)


def _charts_default_folder(copy: BrokenCopy, outside: Path) -> Callable[[], object]:
    pytest.importorskip("matplotlib")
    from indru_data.outputs.charts import render

    link(copy.root / "docs", outside)
    return lambda: render(copy.root / "docs" / "charts", inside=copy.root)


def _charts_file(copy: BrokenCopy, outside: Path) -> Callable[[], object]:
    pytest.importorskip("matplotlib")
    from indru_data.outputs.charts import CHARTS, render

    out = copy.root / "charts"
    link(out / next(iter(CHARTS)), outside / "victim.txt")
    return lambda: render(out)


def _explorer_file(copy: BrokenCopy, outside: Path) -> Callable[[], object]:
    from indru_data.core.descriptor import DataPackage
    from indru_data.outputs.explore import prepare

    out = copy.root / "explore"
    link(out / "metadata.json", outside / "victim.txt")
    return lambda: prepare(out, DataPackage(copy.descriptor))


def _explorer_database_file(copy: BrokenCopy, outside: Path) -> Callable[[], object]:
    from indru_data.core.descriptor import DataPackage
    from indru_data.outputs.explore import prepare

    out = copy.root / "explore"
    link(out / "indru.db", outside / "victim.txt")
    return lambda: prepare(out, DataPackage(copy.descriptor))


def _site_folder(copy: BrokenCopy, outside: Path) -> Callable[[], object]:
    from indru_data.core.descriptor import DataPackage
    from indru_data.outputs.site import build_site_pages

    out = copy.root / "site-pages"
    link(out / "tables", outside)
    return lambda: build_site_pages(out, DataPackage(copy.descriptor))


def _site_file(copy: BrokenCopy, outside: Path) -> Callable[[], object]:
    from indru_data.core.descriptor import DataPackage
    from indru_data.outputs.site import build_site_pages

    out = copy.root / "site-pages"
    link(out / "tables" / "index.md", outside / "victim.txt")
    return lambda: build_site_pages(out, DataPackage(copy.descriptor))


@pytest.mark.parametrize(
    "arrange",
    [
        _build_docs_folder,
        _build_source_folder,
        _build_codebook_file,
        _snapshot_folder,
        _release_zip_file,
        _new_table_schema_file,
        _new_table_file,
        _charts_default_folder,
        _charts_file,
        _explorer_file,
        _explorer_database_file,
        _site_folder,
        _site_file,
    ],
)
def test_a_symlink_out_of_the_folder_is_refused_before_any_write(
    broken: BrokenCopy,
    outside: Path,
    arrange: Callable[[BrokenCopy, Path], Callable[[], object]],
) -> None:
    run = arrange(broken, outside)
    before = files_under(outside)
    with pytest.raises(WriteRefused, match="outside"):
        run()
    assert files_under(outside) == before


@pytest.mark.parametrize("fmt", ["csv", "sqlite"])
def test_export_refuses_a_target_that_links_elsewhere(
    tmp_path: Path, outside: Path, fmt: str
) -> None:
    target = tmp_path / ("out" if fmt == "csv" else "out.db")
    target.symlink_to(outside if fmt == "csv" else outside / "victim.txt")
    before = files_under(outside)
    out = cli("export", fmt, str(target), "--force", "--table", "un_votes")
    assert out.returncode == 1 and "outside" in out.stderr, out.stderr
    assert files_under(outside) == before


def test_the_build_command_names_the_refused_target(broken: BrokenCopy, outside: Path) -> None:
    _build_docs_folder(broken, outside)
    before = files_under(broken.root / "data")
    out = cli("build", str(broken.descriptor))
    assert out.returncode == 1, out.stderr
    assert "codebook.md" in out.stderr and "outside" in out.stderr and "Traceback" not in out.stderr
    assert files_under(broken.root / "data") == before  # nothing written half-way


# --- escaped output (item 3; tests/test_browser_hostile.py opens the pages in a browser) -----


@pytest.mark.parametrize(
    ("text", "absent"),
    [
        ("<script>alert(1)</script>", r"<script"),
        ("[x](javascript:alert(1))", r"(?<!\\)\]\("),
        ("<javascript:alert(1)>", r"<javascript"),
        ('{: onclick="alert(1)" }', r"(?<!\\)\{:"),
        ("![i](x.png)", r"(?<!\\)\["),
        ("`a` [b](c)", r"(?<!\\)\["),
    ],
)
def test_markdown_text_makes_no_markup(text: str, absent: str) -> None:
    """No tag and no unescaped link, image or attribute list is left."""
    import re

    from indru_data.core.markup import md_cell, md_text

    for made in (md_text(text), md_cell(text)):
        assert not re.search(absent, made), made


@pytest.mark.parametrize(
    "url",
    ["javascript:alert(1)", "JaVaScRiPt:x", "data:text/html,x", "vbscript:x", " https://a.b", 7],
)
def test_only_web_addresses_become_links(url: object) -> None:
    from indru_data.core.markup import md_link, safe_url

    assert safe_url(url) is None
    assert "](" not in md_link("label", url)


def test_a_web_address_keeps_to_its_link() -> None:
    from indru_data.core.markup import safe_url

    assert safe_url('https://a.b/x(1)<y>"') == "https://a.b/x%281%29%3Cy%3E%22"
    assert safe_url("https://a.b/Мир?q=1&r=2") == "https://a.b/Мир?q=1&r=2"


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "sqlite"])
def test_export_refuses_an_edited_unbuilt_package(broken: BrokenCopy, fmt: str) -> None:
    """Once: the CSV export took the edited file and the XLSX the stale Parquet, silently."""
    broken.set_cell("un_votes", 0, "notes", "edited, not rebuilt", keep_hash=True)
    target = broken.root / ("out" if fmt == "csv" else f"out.{fmt}")
    out = cli("export", fmt, str(target), "--package", str(broken.descriptor))
    assert out.returncode == 1 and "changed since the last `indru-data build`" in out.stderr
    assert "un_votes" in out.stderr and not target.exists()
