"""Rules that look across rows and tables, on copies broken in one place: keys with empty
cells, foreign keys, counts a parent row states, numbers that follow date order."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from conftest import BrokenCopy, read_rows
from test_validate import failures

from indru_data.core.descriptor import Table
from indru_data.validation import Report, validate
from indru_data.validation.cross_table import foreign_keys


@pytest.mark.slow
def test_primary_key_cells_all_empty(broken: BrokenCopy) -> None:
    def optional_key(schema: dict[str, Any]) -> None:
        del schema["fields"][0]["constraints"]["required"]

    broken.edit_schema("trade_annual", optional_key)
    broken.set_cell("trade_annual", 3, "trade_id", "")
    report = validate(broken.descriptor)
    assert failures(report, table="trade_annual", rule="primary-key", row=5), report.to_text()


@pytest.mark.slow
def test_foreign_key_with_some_cells_empty_is_checked(tmp_path: Path) -> None:
    """As Frictionless: a key with every cell empty is skipped; a partly empty one must match."""
    schema = {
        "fields": [{"name": "a", "type": "string"}, {"name": "b", "type": "string"}],
        "foreignKeys": [
            {"fields": ["a", "b"], "reference": {"resource": "t", "fields": ["a", "b"]}}
        ],
    }
    table = Table("s", "s", "", tmp_path / "s.csv", tmp_path / "s.json", schema, tmp_path / "s.pq")
    target = pd.DataFrame({"a": ["x", "y"], "b": ["1", None]}, dtype="string")
    rows = pd.DataFrame({"a": ["x", None, "x", "y"], "b": ["1", None, None, None]}, dtype="string")
    report = Report("test")
    foreign_keys(table, rows, {"t": target, "s": rows}, report, "s.csv")
    assert [(f.row, f.rule) for f in report.failures] == [(4, "foreign-key")]


@pytest.mark.slow
def test_more_entity_rows_than_the_action_states(broken: BrokenCopy) -> None:
    _, actions = read_rows(broken.csv("sanctions_actions"))
    _, entities = read_rows(broken.csv("sanctioned_entities"))
    held = [e["action_id"] for e in entities]
    # an action stating one Indian entity whose row is held (some counts have no row yet)
    target = next(a for a in actions if a["india_entities_named"] == "1" and a["action_id"] in held)

    def add(_h: list[str], rows: list[dict[str, str]]) -> None:
        extra = dict(next(r for r in rows if r["action_id"] == target["action_id"]))
        extra["entity_id"] = "an-extra-indian-firm"
        extra["name_as_listed"] = "An Extra Indian Firm"
        extra["india_based"] = "true"
        rows.append(extra)

    broken.edit("sanctioned_entities", add)
    report = validate(broken.descriptor)
    found = failures(
        report, table="sanctions_actions", rule="child-count", column="india_entities_named"
    )
    assert found and "2 rows" in found[0].message and found[0].key == target["action_id"]


@pytest.mark.slow
def test_summit_numbers_must_follow_date_order(broken: BrokenCopy) -> None:
    _, rows = read_rows(broken.csv("summits"))
    i = next(i for i, r in enumerate(rows) if r["summit_number"] == "15")
    broken.set_cell("summits", i, "summit_number", "16")
    report = validate(broken.descriptor)
    assert failures(report, table="summits", rule="ordinal_matches_order", row=i + 2), (
        report.to_text()
    )
