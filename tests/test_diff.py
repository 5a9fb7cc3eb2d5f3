"""indru_data.diff and `indru-data diff`: schema and row changes between two data packages."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import DESCRIPTOR, BrokenCopy, cli, read_rows

import indru_data
from indru_data.release.diff import PackageDiff, diff
from indru_data.release.versioning import Bump, reasons, required_bump

ADDED_ID = "zz-test-added-row"
NEW_VALUE = "12345.6"


def records(frame: Any) -> list[dict[str, Any]]:
    return frame.astype(object).where(frame.notna(), None).to_dict(orient="records")


def summary_row(d: PackageDiff, table: str) -> dict[str, Any]:
    (row,) = [r for r in records(d.summary) if r["table"] == table]
    return row


@pytest.fixture
def three_changes(broken: BrokenCopy) -> dict[str, Any]:
    """One value changed and one row added in trade_annual, one column renamed in arms_transfers."""
    _, rows = read_rows(broken.csv("trade_annual"))
    first = rows[0]
    assert first["value_usd_mn"] != NEW_VALUE

    def change(_h: list[str], rows: list[dict[str, str]]) -> None:
        rows[0]["value_usd_mn"] = NEW_VALUE
        rows.append({**rows[-1], "trade_id": ADDED_ID})

    broken.edit("trade_annual", change)
    broken.rename_column("arms_transfers", "description", "weapon_description")
    return {
        "copy": broken,
        "key": first["trade_id"],
        "old_value": float(first["value_usd_mn"]),
        "rows": len(rows),
    }


def test_reports_exactly_the_three_changes(three_changes: dict[str, Any]) -> None:
    d = diff(DESCRIPTOR, three_changes["copy"].root)
    assert records(d.schema) == [
        {
            "table": "arms_transfers",
            "change": "column_renamed",
            "column": "weapon_description",
            "old": "description",
            "new": "weapon_description",
        }
    ]
    assert records(d.rows) == [
        {
            "table": "trade_annual",
            "key": ADDED_ID,
            "change": "added",
            "column": None,
            "old": None,
            "new": None,
        },
        {
            "table": "trade_annual",
            "key": three_changes["key"],
            "change": "changed",
            "column": "value_usd_mn",
            "old": three_changes["old_value"],
            "new": float(NEW_VALUE),
        },
    ]
    assert d.problems.empty
    n = three_changes["rows"]
    trade = summary_row(d, "trade_annual")
    assert trade == {
        "table": "trade_annual",
        "status": "changed",
        "rows_old": n,
        "rows_new": n + 1,
        "rows_added": 1,
        "rows_removed": 0,
        "rows_changed": 1,
        "cells_changed": 1,
        "schema_changes": 0,
        "problems": 0,
    }
    arms = summary_row(d, "arms_transfers")
    assert (arms["status"], arms["schema_changes"], arms["cells_changed"]) == ("changed", 1, 0)
    status = {r["table"]: r["status"] for r in records(d.summary)}
    assert set(status) == set(indru_data.tables())
    assert {t for t, s in status.items() if s != "unchanged"} == {"trade_annual", "arms_transfers"}


def test_policy_demands_major_for_the_rename(three_changes: dict[str, Any]) -> None:
    d = diff(DESCRIPTOR, three_changes["copy"].root)
    assert required_bump(d) == Bump.MAJOR
    assert reasons(d) == ["arms_transfers: column 'description' renamed to 'weapon_description'"]


def test_renderers_carry_the_counts(three_changes: dict[str, Any]) -> None:
    d = diff(DESCRIPTOR, three_changes["copy"].root)
    n = three_changes["rows"]
    md = d.to_markdown()
    assert "1 schema change, 1 row added, 0 removed, 1 changed (1 cell)" in md
    assert f"| `trade_annual` | {n} → {n + 1} | 1 | 0 | 1 | 1 | 0 |" in md
    assert "- `arms_transfers`: column `description` renamed to `weapon_description`" in md
    assert f"- `trade_annual` (1): `{ADDED_ID}`" in md
    old = f"{three_changes['old_value']:g}"
    assert f"| `trade_annual` | `{three_changes['key']}` | `value_usd_mn` | {old} | 12345.6 |" in md

    text = d.to_text()
    assert f"trade_annual [{three_changes['key']}] value_usd_mn: {old} -> 12345.6" in text
    assert f"trade_annual [{ADDED_ID}]: added" in text

    data = json.loads(d.to_json())
    assert data["totals"] == {
        "schema_changes": 1,
        "rows_added": 1,
        "rows_removed": 0,
        "rows_changed": 1,
        "cells_changed": 1,
        "problems": 0,
    }
    assert [r["key"] for r in data["rows"]] == [ADDED_ID, three_changes["key"]]


def test_markdown_lists_at_most_the_limit(broken: BrokenCopy) -> None:
    def add_three(_h: list[str], rows: list[dict[str, str]]) -> None:
        rows += [{**rows[0], "trade_id": f"zz-added-{i}"} for i in range(3)]

    broken.edit("trade_annual", add_three)
    md = diff(DESCRIPTOR, broken.descriptor).to_markdown(limit=2)
    assert "- `trade_annual` (3): `zz-added-0`, `zz-added-1` and 1 more" in md


def test_a_copy_has_no_differences(broken: BrokenCopy) -> None:
    d = diff(DESCRIPTOR, broken.root)
    assert not d.has_changes
    assert d.rows.empty and d.schema.empty and d.problems.empty
    assert set(d.summary["status"]) == {"unchanged"}
    assert required_bump(d) == Bump.NONE
    v = indru_data.__version__
    assert d.to_markdown() == f"No changes from data package version {v} to {v}.\n"


def test_duplicate_keys_are_reported_not_compared(broken: BrokenCopy) -> None:
    _, rows = read_rows(broken.csv("trade_annual"))
    key = rows[0]["trade_id"]

    def duplicate(_h: list[str], rows: list[dict[str, str]]) -> None:
        rows.append({**rows[0], "value_usd_mn": NEW_VALUE})

    broken.edit("trade_annual", duplicate)
    d = diff(DESCRIPTOR, broken.root)
    assert records(d.problems) == [
        {
            "table": "trade_annual",
            "package": "new",
            "key": key,
            "problem": "duplicate_key",
            "detail": "2 rows share this key; they are not compared",
        }
    ]
    assert d.rows.empty  # neither "changed" nor "added" for the duplicated key
    assert f"`trade_annual` (new) `{key}`: duplicate_key" in d.to_markdown()


def test_incompatible_schemas_compare_the_common_columns(broken: BrokenCopy) -> None:
    _, rows = read_rows(broken.csv("trade_annual"))
    used = rows[0]["period_type"]

    def schema(s: dict[str, Any]) -> None:
        fields = {f["name"]: f for f in s["fields"]}
        fields["months_covered"]["type"] = "string"  # its range no longer applies to text
        fields["months_covered"]["constraints"] = {"required": True}
        fields["flow"]["constraints"]["enum"].append("services")
        fields["period_type"]["constraints"]["enum"].remove(used)
        s["fields"] = [f for f in s["fields"] if f["name"] != "notes"]

    def csv(header: list[str], rows: list[dict[str, str]]) -> None:
        header.remove("notes")
        for r in rows:
            del r["notes"]
        rows[0]["value_usd_mn"] = NEW_VALUE

    broken.edit_schema("trade_annual", schema)
    broken.edit("trade_annual", csv)
    d = diff(DESCRIPTOR, broken.root)
    assert {(c["change"], c["column"], c["old"], c["new"]) for c in records(d.schema)} == {
        ("column_retyped", "months_covered", "integer", "string"),
        ("vocabulary_added", "flow", None, "services"),
        ("vocabulary_removed", "period_type", used, None),
        ("column_removed", "notes", "string", None),
    }
    # A retyped column with the same text is not a change, and a value that left the
    # vocabulary is still itself (not missing): only the edited cell differs.
    assert [(r["key"], r["column"]) for r in records(d.rows)] == [
        (rows[0]["trade_id"], "value_usd_mn")
    ]
    assert d.problems.empty
    assert required_bump(d) == Bump.MAJOR


def test_cells_that_do_not_fit_their_type_are_compared_as_text(broken: BrokenCopy) -> None:
    broken.set_cell("trade_annual", 1, "months_covered", "twelve")
    d = diff(DESCRIPTOR, broken.root)
    (problem,) = records(d.problems)
    assert (problem["package"], problem["problem"]) == ("new", "untyped_column")
    assert "months_covered" in problem["detail"]
    (row,) = records(d.rows)
    assert (row["column"], row["new"]) == ("months_covered", "twelve")


def test_removed_and_added_columns_with_other_values_are_not_a_rename(
    broken: BrokenCopy,
) -> None:
    broken.rename_column("arms_transfers", "description", "weapon_description")
    broken.set_cell("arms_transfers", 0, "weapon_description", "something else")
    d = diff(DESCRIPTOR, broken.root)
    assert [(c["change"], c["column"]) for c in records(d.schema)] == [
        ("column_removed", "description"),
        ("column_added", "weapon_description"),
    ]


def test_primary_key_change_is_reported_and_rows_follow_the_new_key(broken: BrokenCopy) -> None:
    broken.edit_schema("arms_transfers", lambda s: s.update(primaryKey=["sipri_deal_id"]))
    d = diff(DESCRIPTOR, broken.root)
    assert [(c["change"], c["old"], c["new"]) for c in records(d.schema)] == [
        ("primary_key_changed", "transfer_id", "sipri_deal_id")
    ]
    assert d.rows.empty  # same rows, matched by sipri_deal_id


@pytest.mark.slow
def test_tables_added_and_removed(broken: BrokenCopy) -> None:
    _, shares = read_rows(broken.csv("arms_supplier_shares"))
    broken.edit_descriptor(
        lambda d: d.update(
            resources=[r for r in d["resources"] if r["name"] != "arms_supplier_shares"]
        )
    )
    removed = diff(DESCRIPTOR, broken.root)
    assert records(removed.schema) == [
        {
            "table": "arms_supplier_shares",
            "change": "table_removed",
            "column": None,
            "old": None,
            "new": None,
        }
    ]
    row = summary_row(removed, "arms_supplier_shares")
    assert (row["status"], row["rows_old"], row["rows_removed"]) == (
        "removed",
        len(shares),
        len(shares),
    )
    assert removed.rows.empty  # rows of a whole table are counted, not listed
    assert required_bump(removed) == Bump.MAJOR

    added = diff(broken.root, DESCRIPTOR)
    assert list(added.schema["change"]) == ["table_added"]
    assert summary_row(added, "arms_supplier_shares")["rows_added"] == len(shares)
    assert required_bump(added) == Bump.MINOR


def test_a_missing_csv_is_a_problem_not_a_crash(broken: BrokenCopy) -> None:
    broken.csv("sources").unlink()
    d = diff(DESCRIPTOR, broken.root)
    (problem,) = records(d.problems)
    assert (problem["table"], problem["problem"]) == ("sources", "unreadable")
    assert summary_row(d, "sources")["rows_new"] is None


def test_package_level_diff_is_the_function() -> None:
    # The module and the function share the name: names from the module are imported with
    # `from indru_data.release.diff import ...`; the package attribute stays the function.
    from indru_data.release.diff import PackageDiff as FromModule

    assert indru_data.diff is diff  # not shadowed by the submodule of the same name
    assert sys.modules["indru_data.release.diff"].diff is diff
    assert FromModule is PackageDiff is indru_data.PackageDiff
    assert indru_data.diff(DESCRIPTOR, DESCRIPTOR.parent).has_changes is False


# --- the command ---------------------------------------------------------------------------


@pytest.mark.slow
def test_cli_diff_formats(three_changes: dict[str, Any]) -> None:
    new = str(three_changes["copy"].root)
    md = cli("diff", str(DESCRIPTOR), new, "--format", "markdown")
    assert md.returncode == 0, md.stderr
    assert "1 schema change, 1 row added, 0 removed, 1 changed (1 cell)" in md.stdout
    out = cli("diff", str(DESCRIPTOR.parent), new, "--format", "json")
    assert out.returncode == 0
    assert json.loads(out.stdout)["totals"]["cells_changed"] == 1
    text = cli("diff", str(DESCRIPTOR), new)
    assert text.returncode == 0 and "column 'description' renamed" in text.stdout


@pytest.mark.parametrize("which", ["old", "new"])
def test_cli_unknown_path_is_a_one_line_error(tmp_path: Path, which: str) -> None:
    missing = str(tmp_path / "no-such-package")
    args = [missing, str(DESCRIPTOR)] if which == "old" else [str(DESCRIPTOR), missing]
    out = cli("diff", *args)
    assert out.returncode == 2
    assert out.stderr.strip().count("\n") == 0
    assert "not found" in out.stderr and "no-such-package" in out.stderr
    assert "Traceback" not in out.stderr


def test_cli_not_a_descriptor_is_a_one_line_error(tmp_path: Path) -> None:
    bad = tmp_path / "datapackage.json"
    bad.write_text('{"resources": [{"path": "data/x.csv"}]}', encoding="utf-8")
    out = cli("diff", str(bad), str(DESCRIPTOR))
    assert out.returncode == 2
    assert out.stderr.strip().count("\n") == 0 and "Traceback" not in out.stderr


# --- reading each side once, comparing only what differs ------------------------------------


def test_unchanged_tables_are_not_compared_cell_by_cell(
    broken: BrokenCopy, monkeypatch: pytest.MonkeyPatch
) -> None:
    import indru_data.release.diff as diff_module

    compared: list[str] = []
    real = diff_module._changed_cells

    def noting(table: str, *args: Any) -> Any:
        compared.append(table)
        return real(table, *args)

    monkeypatch.setattr(diff_module, "_changed_cells", noting)
    broken.set_cell("summits", 0, "city", "Elsewhere")
    d = diff(DESCRIPTOR, broken.descriptor)
    assert compared == ["summits"]  # the only table whose frames differ
    changed = [r for r in records(d.rows) if r["change"] == "changed"]
    assert [(r["table"], r["column"], r["new"]) for r in changed] == [
        ("summits", "city", "Elsewhere")
    ]
    assert (
        sum(r["status"] == "unchanged" for r in records(d.summary)) == len(indru_data.tables()) - 1
    )


def test_a_release_table_is_read_once_per_process(
    broken: BrokenCopy, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import indru_data.release.diff_input as diff_input
    from indru_data.release.snapshots import snapshot_release

    broken.set_version("0.1.0")
    snapshot_release(broken.descriptor, tmp_path / "releases")
    release = tmp_path / "releases" / "0.1.0"
    monkeypatch.setattr(diff_input, "_READ", {})
    read: list[str] = []
    real = diff_input._read_table

    def noting(table: Any, *args: Any) -> Any:
        read.append(table.name)
        return real(table, *args)

    monkeypatch.setattr(diff_input, "_read_table", noting)
    n = len(indru_data.tables())
    assert diff(release, broken.descriptor).summary["status"].eq("unchanged").all()
    assert len(read) == 2 * n  # the first time, both sides
    broken.set_cell("summits", 0, "city", "Elsewhere")
    d = diff(release, broken.descriptor)
    assert read[2 * n :] == ["summits"]  # the edited file only: every other read is kept
    assert summary_row(d, "summits")["cells_changed"] == 1
