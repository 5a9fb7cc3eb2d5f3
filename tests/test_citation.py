"""CITATION.cff is valid CFF 1.2, and every place that states the version states the same one."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import DESCRIPTOR, ROOT

import indru_data
from indru_data.cli import main
from indru_data.core.citation import cite, read_citation, with_version

CFF = ROOT / "CITATION.cff"


def _cffconvert() -> str | None:
    """cffconvert lives in its own virtual environment (.ci/run makes it): it pins
    jsonschema<4, which frictionless cannot work with, so it cannot be a test extra."""
    return os.environ.get("INDRU_CFFCONVERT") or shutil.which("cffconvert")


def test_citation_cff_is_valid_cff_1_2() -> None:
    tool = _cffconvert()
    if tool is None:
        if os.environ.get("CI"):
            pytest.fail("cffconvert not found: .ci/run sets INDRU_CFFCONVERT")
        pytest.skip("cffconvert not installed (python -m venv V && V/bin/pip install cffconvert)")
    done = subprocess.run(
        [tool, "--validate", "-i", str(CFF)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "valid according to schema version 1.2.0" in done.stdout


def test_cffconvert_rejects_a_broken_citation(tmp_path: Path) -> None:
    """The validator really checks: a licence that is not SPDX and a missing title fail."""
    tool = _cffconvert()
    if tool is None:
        pytest.skip("cffconvert not installed")
    bad = tmp_path / "CITATION.cff"
    text = CFF.read_text(encoding="utf-8").replace("  - MIT\n", "  - Not-A-Licence\n")
    bad.write_text(re.sub(r"^title:.*\n", "", text, flags=re.MULTILINE), encoding="utf-8")
    done = subprocess.run([tool, "--validate", "-i", str(bad)], capture_output=True, text=True)
    assert done.returncode != 0


def _changelog_version() -> str:
    text = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    match = re.search(r"^## (\d+\.\d+\.\d+)\b", text, flags=re.MULTILINE)
    assert match, "CHANGELOG.md has no '## MAJOR.MINOR.PATCH' entry"
    return match.group(1)


def test_one_version_everywhere() -> None:
    version = indru_data.__version__
    cff = read_citation(CFF)
    assert str(cff["version"]) == version
    assert json.loads(DESCRIPTOR.read_text(encoding="utf-8"))["version"] == version
    assert indru_data.data_version() == version
    assert _changelog_version() == version
    assert f"version {version}" in indru_data.cite()
    assert f"version = {{{version}}}" in indru_data.cite("bibtex")
    assert f"version: {version}" in indru_data.cite("cff")


def test_a_released_version_has_a_dated_changelog_entry_and_citation() -> None:
    """Once releases/<version> exists, CHANGELOG and CITATION.cff carry the release date."""
    version = indru_data.__version__
    if not (ROOT / "releases" / version).is_dir():
        pytest.skip(f"{version} is not released yet")
    text = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    match = re.search(rf"^## {re.escape(version)} — (\d{{4}}-\d{{2}}-\d{{2}})$", text, re.M)
    assert match, f"CHANGELOG.md: the {version} entry has no release date"
    assert str(read_citation(CFF)["date-released"]) == match.group(1)
    assert f"({match.group(1)[:4]})" in cite()


def test_cite_styles_and_licence_terms() -> None:
    text = cite("text")
    assert "CC-BY-4.0" in text and "MIT" in text and "SIPRI" in text
    bib = cite("bibtex")
    assert bib.startswith("@misc{indru_data_") and bib.rstrip().endswith("}")
    assert bib.count("{") == bib.count("}")
    with pytest.raises(ValueError, match="valid styles"):
        cite("apa")  # type: ignore[arg-type]


def test_build_writes_the_version_into_the_citation() -> None:
    text = CFF.read_text(encoding="utf-8")
    bumped = with_version(text, "9.9.9")
    assert "version: 9.9.9" in bumped and "date-released" not in bumped
    dated = with_version(bumped, "9.9.9", "2030-01-02")
    assert read_citation_text(dated)["date-released"] == "2030-01-02"
    assert dated.startswith("# The version")  # comments survive


def read_citation_text(text: str) -> dict[str, object]:
    import yaml

    return yaml.safe_load(text)


def test_cli_cite(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["cite", "--format", "bibtex"]) == 0
    assert capsys.readouterr().out == cite("bibtex")


def test_dir_shows_only_the_public_api() -> None:
    names = dir(indru_data)
    assert names == sorted(indru_data.__all__)
    assert "cite" in names and "load" in names
    for private in ("annotations", "TYPE_CHECKING", "Any", "packaged", "descriptor", "_loaders"):
        assert private not in names
