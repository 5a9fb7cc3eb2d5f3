"""CITATION.cff is valid CFF 1.2, every place that states the version states the same one,
and every release can be cited by version, date and the SHA-256 of its release zip."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import DESCRIPTOR, ROOT
from jsonschema import Draft7Validator

import indru_data
from indru_data.cli import main
from indru_data.core.citation import STYLES, CitationError, cite, read_citation, with_version
from indru_data.core.releases import (
    is_development,
    read_release_index,
    release_version,
    released_versions,
)

CFF = ROOT / "CITATION.cff"
# The official CFF 1.2.0 schema, copied from citation-file-format/citation-file-format at tag
# 1.2.0 (CC BY 4.0; tests/schemas/README.md says where from): no second venv, no network.
CFF_SCHEMA = ROOT / "tests" / "schemas" / "cff-1.2.0.schema.json"
CFF_SCHEMA_SHA256 = "0b8d22140da702d766df318dcff3a91af2f39521298dcf36d76315fd99cc169b"


class _CffLoader(yaml.SafeLoader):
    """YAML as CFF tools read it: a date stays the string the file holds (the schema wants a
    string; PyYAML's timestamp resolver would turn an unquoted date into a date object)."""


_CffLoader.yaml_implicit_resolvers = {
    key: [r for r in resolvers if r[0] != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def cff_errors(text: str) -> list[str]:
    """Every way `text` breaks the CFF 1.2.0 schema (formats such as `date` checked too)."""
    schema = json.loads(CFF_SCHEMA.read_text(encoding="utf-8"))
    validator = Draft7Validator(schema, format_checker=Draft7Validator.FORMAT_CHECKER)
    data: Any = yaml.load(text, Loader=_CffLoader)  # a SafeLoader subclass
    return [f"{'/'.join(map(str, e.path))}: {e.message}" for e in validator.iter_errors(data)]


def test_the_schema_is_the_official_cff_1_2_0_schema() -> None:
    assert hashlib.sha256(CFF_SCHEMA.read_bytes()).hexdigest() == CFF_SCHEMA_SHA256
    schema = json.loads(CFF_SCHEMA.read_text(encoding="utf-8"))
    assert schema["$id"] == "https://citation-file-format.github.io/1.2.0/schema.json"
    Draft7Validator.check_schema(schema)  # this jsonschema understands its draft


def test_citation_cff_is_valid_cff_1_2() -> None:
    text = CFF.read_text(encoding="utf-8")
    assert re.search(r"^cff-version: 1\.2\.0$", text, re.MULTILINE)
    assert cff_errors(text) == []


@pytest.mark.parametrize("version", released_versions())
def test_the_cff_of_every_release_is_valid(version: str) -> None:
    text = cite("cff", version)
    assert cff_errors(text) == []
    data = yaml.load(text, Loader=_CffLoader)
    record = read_release_index(ROOT / "releases")[version]
    assert (data["version"], data["date-released"]) == (version, record.date)
    assert data["identifiers"] == [
        {
            "type": "other",
            "value": f"sha256:{record.zip_sha256}",
            "description": f"SHA-256 of the release zip {record.zip}",
        }
    ]


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (lambda t: t.replace("  - MIT\n", "  - Not-A-Licence\n"), "license"),
        (lambda t: re.sub(r"^title:.*\n", "", t, flags=re.MULTILINE), "'title' is a required"),
        (lambda t: t + 'date-released: "2026-13-45"\n', "is not a 'date'"),
        (lambda t: t.replace("type: dataset", "type: database"), "type"),
        (lambda t: t + "colour: blue\n", "Additional properties"),
    ],
)
def test_the_schema_check_rejects_a_broken_citation(edit: Any, expected: str) -> None:
    """The validator really checks: each broken copy of CITATION.cff fails for its reason."""
    broken = edit(CFF.read_text(encoding="utf-8"))
    assert broken != CFF.read_text(encoding="utf-8")
    errors = cff_errors(broken)
    assert errors and any(expected in e for e in errors), errors


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
    assert _changelog_version() == release_version(version)  # "## 0.3.0" for 0.3.0.dev0
    assert f"version {version}" in indru_data.cite()
    assert f"version = {{{version}}}" in indru_data.cite("bibtex")
    assert f"version: {version}" in indru_data.cite("cff")
    assert f"Data package `indru-data` version {version}." in (
        (ROOT / "docs" / "codebook.md").read_text(encoding="utf-8")
    )


def test_an_unreleased_tree_carries_a_development_version() -> None:
    """PEP 440: 0.3.0.dev0 until `indru-data release` makes it 0.3.0; a plain version is
    only ever one that releases/ holds."""
    version = indru_data.__version__
    released = release_version(version) in released_versions()
    assert is_development(version) != released, (version, released_versions())
    if is_development(version):
        assert "date-released" not in read_citation(CFF)
        assert re.search(
            rf"^## {re.escape(release_version(version))} — unreleased$",
            (ROOT / "CHANGELOG.md").read_text(encoding="utf-8"),
            re.MULTILINE,
        )


def test_a_released_version_has_a_dated_changelog_entry_and_citation() -> None:
    """Each release after the 0.1.0 baseline has a CHANGELOG entry dated as the index dates it;
    when the tree's own version is released, CITATION.cff carries that date too."""
    text = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    index = read_release_index(ROOT / "releases")
    for version, record in index.items():
        if version == "0.1.0":  # the baseline: "## 0.1.0 — baseline (not published; …)"
            assert re.search(r"^## 0\.1\.0 — baseline \(not published", text, re.M)
            continue
        match = re.search(rf"^## {re.escape(version)} — (\d{{4}}-\d{{2}}-\d{{2}})$", text, re.M)
        assert match, f"CHANGELOG.md: the {version} entry has no release date"
        assert match.group(1) == record.date
    version = indru_data.__version__
    if version in index:
        assert str(read_citation(CFF)["date-released"]) == index[version].date
        assert f"({index[version].date[:4]})" in cite()


def test_cite_styles_and_licence_terms() -> None:
    text = cite("text")
    assert "CC-BY-4.0" in text and "MIT" in text and "SIPRI" in text
    bib = cite("bibtex")
    assert bib.startswith("@misc{indru_data_") and bib.rstrip().endswith("}")
    assert bib.count("{") == bib.count("}")


def test_every_release_is_in_the_index_and_the_index_names_only_releases() -> None:
    index = read_release_index(ROOT / "releases")
    assert list(index) == released_versions() and index
    for record in index.values():
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", record.date)
        assert re.fullmatch(r"[0-9a-f]{64}", record.zip_sha256)
        assert record.zip == f"indru-data-{record.version}.zip"
        assert record.note  # how the zip was made


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("version", released_versions())
def test_every_release_in_every_style(style: str, version: str) -> None:
    """Version, date and the zip's SHA-256 identify a release; no URL is named, as the
    project records none (not on PyPI yet, no public repository recorded)."""
    record = read_release_index(ROOT / "releases")[version]
    out = cite(style, version)  # type: ignore[arg-type]
    assert version in out and record.zip_sha256 in out
    assert record.date in out or (style == "apa" and f"({record.date[:4]})" in out)
    assert "http" not in out and "pypi" not in out.lower()
    assert "unreleased" not in out
    assert cite(style, f"v{version}") == out  # type: ignore[arg-type]


def test_cite_0_1_0_apa() -> None:
    record = read_release_index(ROOT / "releases")["0.1.0"]
    assert indru_data.cite(style="apa", version="0.1.0") == (
        "indru-data contributors. (2026). indru-data: India–Russia relations dataset "
        "(Version 0.1.0) [Data set].\n"
        f"Release zip indru-data-0.1.0.zip, SHA-256 {record.zip_sha256}.\n"
    )


def test_the_installed_development_version_is_cited_as_unreleased(tmp_path: Path) -> None:
    """A .dev version: no date, no zip, and the latest release named instead."""
    import shutil

    shutil.copytree(ROOT / "releases", tmp_path / "releases", ignore=lambda *_: ["data"])
    cff = tmp_path / "CITATION.cff"
    cff.write_text(with_version(CFF.read_text(encoding="utf-8"), "9.1.0.dev3"), encoding="utf-8")
    latest = released_versions()[-1]
    latest_date = read_release_index(ROOT / "releases")[latest].date
    text = cite("text", path=cff)
    assert "version 9.1.0.dev3 (unreleased)" in text
    assert f"The latest release is {latest} ({latest_date})" in text
    apa = cite("apa", path=cff)
    assert apa.startswith("indru-data contributors. (n.d.). ")
    assert "(Version 9.1.0.dev3, unreleased)" in apa
    assert "year" not in cite("bibtex", path=cff)
    assert cite("cff", path=cff) == cff.read_text(encoding="utf-8")
    assert "http" not in text + apa


def test_unknown_style_or_version_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match=re.escape("unknown style 'apaa' (did you mean 'apa'?)")):
        cite("apaa")  # type: ignore[arg-type]
    with pytest.raises(CitationError, match="valid styles: text, bibtex, apa, cff"):
        cite("chicago")  # type: ignore[arg-type]
    with pytest.raises(
        CitationError, match=re.escape("unknown version '0.1.1' (did you mean '0.1.0'?)")
    ):
        cite("apa", "0.1.1")
    with pytest.raises(CitationError, match=re.escape("released: 0.1.0, 0.2.0")):
        cite("text", "7.0.0")


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
    assert main(["cite", "--version", "v0.1.0", "--format", "apa"]) == 0
    assert capsys.readouterr().out == cite("apa", "0.1.0")
    assert main(["cite", "--version", "0.2"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("indru-data: error: unknown version '0.2' (did you mean '0.2.0'?)")


def test_dir_shows_only_the_public_api() -> None:
    names = dir(indru_data)
    assert names == sorted(indru_data.__all__)
    assert "cite" in names and "load" in names
    for private in ("annotations", "TYPE_CHECKING", "Any", "packaged", "descriptor", "_loaders"):
        assert private not in names
