"""Search across every table, from Python and the CLI (issue 16, item 4)."""

from __future__ import annotations

import json

import pytest

import indru_data
from indru_data.cli import main
from indru_data.core.search import pattern


def test_rosneft_finds_the_sanctions_actions() -> None:
    hits = indru_data.search("Rosneft")
    assert list(hits.columns) == ["table", "key", "column", "text"]
    actions = hits[hits["table"] == "sanctions_actions"]
    assert "2025-10-22-ofac-designates-rosneft-lukoil" in set(actions["key"])
    row = actions[
        (actions["key"] == "2025-10-22-ofac-designates-rosneft-lukoil")
        & (actions["column"] == "description")
    ]
    assert row["text"].str.contains("Rosneft").all()
    assert {"sanctioned_entities", "summit_agenda"} <= set(hits["table"])


def test_case_and_white_space_are_ignored() -> None:
    assert indru_data.search("ROSNEFT").equals(indru_data.search("rosneft"))
    assert len(indru_data.search("  rosneft ")) == len(indru_data.search("Rosneft"))


@pytest.mark.parametrize("query", ["ES-11/1", "A/RES/ES-11/1", "a/res/es-11/1"])
def test_un_symbol_found_with_or_without_prefix(query: str) -> None:
    hits = indru_data.search(query, tables=["un_votes"])
    assert list(hits["key"]) == ["uv-007"]  # not ES-11/10, ES-11/11 ...
    assert list(hits["text"]) == ["A/RES/ES-11/1"]


def test_identifier_pattern_is_whole() -> None:
    rx = pattern("ES-11/1")
    assert rx.search("A/RES/ES-11/1") and rx.search("resolution ES-11/1 (141-5-35)")
    assert not rx.search("A/RES/ES-11/10") and not rx.search("XES-11/1")
    assert pattern("S/RES/2623").search("S/RES/2623")
    assert not pattern("S/RES/2623").search("value 2623")


def test_no_match_and_filters() -> None:
    assert indru_data.search("no such text zzz").empty
    hits = indru_data.search("Rosneft", tables=["sanctioned_entities"], columns=["name_as_listed"])
    assert set(hits["column"]) == {"name_as_listed"} and len(hits) >= 3
    with pytest.raises(ValueError):
        indru_data.search("   ")
    with pytest.raises(indru_data.UnknownTableError):
        indru_data.search("x", tables=["nope"])


def test_cli_search(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["search", "Rosneft"]) == 0
    out = capsys.readouterr().out
    assert "sanctions_actions  2025-10-22-ofac-designates-rosneft-lukoil  description:" in out
    assert "matching cells in" in out
    assert main(["search", "ES-11/1", "--format", "json", "--table", "un_votes"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows == [
        {
            "table": "un_votes",
            "key": "uv-007",
            "column": "resolution_symbol",
            "text": "A/RES/ES-11/1",
        }
    ]
    assert main(["search", "no such text zzz"]) == 1
    assert "no match" in capsys.readouterr().out
