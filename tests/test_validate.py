"""Validation on the real data (must pass) and on copies broken in one place (must fail, located)."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from typing import Any

import pytest
from conftest import DESCRIPTOR, BrokenCopy, read_rows, rehash

from indru_data.validation import Failure, Report, ValidationError, validate, validate_frame


def failures(
    report: Report, *, table: str, rule: str, column: str | None = None, row: int | None = None
) -> list[Failure]:
    return [
        f
        for f in report.failures
        if f.table == table
        and f.rule.startswith(rule)
        and (column is None or f.column == column)
        and (row is None or f.row == row)
    ]


def test_shipped_package_is_valid_and_every_row_was_checked() -> None:
    report = validate()
    assert report.valid, report.to_text()
    for table in ("sources", "trade_annual"):
        _, rows = read_rows(DESCRIPTOR.parent / "data" / f"{table}.csv")
        assert report.rows_checked[table] == len(rows) > 0


def test_repository_package_is_valid() -> None:
    assert validate(DESCRIPTOR).valid


def test_raise_on_error(broken: BrokenCopy) -> None:
    broken.set_cell("trade_annual", 0, "value_usd_mn", "abc")
    with pytest.raises(ValidationError, match="value_usd_mn"):
        validate(broken.descriptor, raise_on_error=True)


# (description, table, data row, column, new value, expected rule)
CELL_FAULTS = [
    ("wrong type", "trade_annual", 1, "value_usd_mn", "twelve", "type"),
    (
        "out-of-range year",
        "trade_annual",
        2,
        "period_start",
        "1890-04-01",
        "constraint-error:minimum",
    ),
    ("impossible date", "trade_annual", 2, "period_end", "2019-13-45", "type"),
    ("negative value", "trade_annual", 3, "value_usd_mn", "-5", "constraint-error:minimum"),
    ("unknown vocabulary value", "trade_annual", 4, "flow", "exports", "constraint-error:enum"),
    (
        "padded vocabulary value",
        "trade_annual",
        4,
        "reporter",
        " russia_customs",
        "constraint-error:enum",
    ),
    (
        "differently-cased vocabulary",
        "trade_annual",
        4,
        "period_type",
        "Calendar_Year",
        "constraint-error:enum",
    ),
    ("months out of range", "trade_annual", 0, "months_covered", "13", "constraint-error:maximum"),
    ("dangling source_id", "trade_annual", 5, "source_id", "no-such-source", "foreign-key"),
    ("missing required value", "trade_annual", 5, "flow", "", "constraint-error:required"),
    ("bad slug", "sources", 0, "source_id", "Not A Slug", "constraint-error:pattern"),
    ("bad url", "sources", 0, "url", "not a url", "non-canonical"),
    ("bad publisher type", "sources", 0, "publisher_type", "blog", "constraint-error:enum"),
    ("future access date", "sources", 0, "accessed_date", "2999-01-01", "not_after_today"),
    # Cells pandas alone would accept (as 1, NaN, year 0 or 13): Frictionless's verdict stands.
    ("decimal in an integer", "trade_annual", 0, "months_covered", "12.0", "non-canonical"),
    ("signed integer", "trade_annual", 0, "months_covered", "+13", "non-canonical"),
    # NaN is a number to Python and Frictionless, but no figure here is undefined (issue 18).
    ("NaN as a number", "trade_annual", 1, "value_usd_mn", "NaN", "non-finite-number"),
    ("year zero", "trade_annual", 1, "period_start", "0000-04-01", "non-canonical"),
    ("url without a scheme", "sources", 1, "url", "www.example.org/x", "non-canonical"),
]


# The quick loop (`pytest -m "not slow"`) keeps one of each kind; the full run has them all.
QUICK = {"wrong type", "dangling source_id", "bad url", "future access date"}


@pytest.mark.parametrize(
    ("what", "table", "row", "column", "value", "rule"),
    [
        pytest.param(*c, id=c[0], marks=() if c[0] in QUICK else pytest.mark.slow)
        for c in CELL_FAULTS
    ],
)
def test_cell_fault_is_caught_and_located(
    broken: BrokenCopy, what: str, table: str, row: int, column: str, value: str, rule: str
) -> None:
    if table == "sources" and column == "source_id":
        # renaming a source would also orphan the rows citing it; rename them too
        old = read_rows(broken.csv("sources"))[1][row]["source_id"]

        def follow(_h: list[str], rows: list[dict[str, str]]) -> None:
            for r in rows:
                if r["source_id"] == old:
                    r["source_id"] = value

        broken.edit("trade_annual", follow)
    broken.set_cell(table, row, column, value)
    report = validate(broken.descriptor)
    assert not report.valid
    found = failures(report, table=table, rule=rule, column=column, row=row + 2)
    assert found, f"{what}: expected {rule} at {table} row {row + 2} {column}:\n{report.to_text()}"
    assert found[0].file == f"data/{table}.csv"
    text = found[0].to_text()
    assert f"row {row + 2}" in text and column in text


def test_duplicate_primary_key(broken: BrokenCopy) -> None:
    def dup(_h: list[str], rows: list[dict[str, str]]) -> None:
        rows[1]["trade_id"] = rows[0]["trade_id"]

    broken.edit("trade_annual", dup)
    report = validate(broken.descriptor)
    assert failures(report, table="trade_annual", rule="primary-key", row=3) or failures(
        report, table="trade_annual", rule="constraint-error:unique", row=3
    ), report.to_text()


def test_missing_column(broken: BrokenCopy) -> None:
    def drop(header: list[str], rows: list[dict[str, str]]) -> None:
        header.remove("notes")
        for r in rows:
            del r["notes"]

    broken.edit("trade_annual", drop)
    report = validate(broken.descriptor)
    # `notes` is not the last column (the derived `preferred` follows it), so Frictionless
    # sees a shifted header; our own check names the missing column itself.
    assert failures(report, table="trade_annual", rule="missing-column", column="notes"), (
        report.to_text()
    )


@pytest.mark.slow
def test_extra_column(broken: BrokenCopy) -> None:
    def add(header: list[str], rows: list[dict[str, str]]) -> None:
        header.append("comment")
        for r in rows:
            r["comment"] = "x"

    broken.edit("trade_annual", add)
    report = validate(broken.descriptor)
    assert failures(report, table="trade_annual", rule="extra-label"), report.to_text()


@pytest.mark.slow
def test_edited_file_fails_its_hash(broken: BrokenCopy) -> None:
    broken.set_cell("trade_annual", 0, "notes", "edited by hand", keep_hash=True)
    report = validate(broken.descriptor)
    found = failures(report, table="trade_annual", rule="hash-count")
    assert found and "indru-data build" in found[0].message


@pytest.mark.slow
def test_total_not_equal_to_parts(broken: BrokenCopy) -> None:
    _, rows = read_rows(broken.csv("trade_annual"))
    i = next(
        i
        for i, r in enumerate(rows)
        if r["flow"] == "total_trade"
        and sum(1 for o in rows if o["period"] == r["period"] and o["source_id"] == r["source_id"])
        == 3
    )
    broken.set_cell("trade_annual", i, "value_usd_mn", str(float(rows[i]["value_usd_mn"]) + 1000))
    report = validate(broken.descriptor)
    assert failures(report, table="trade_annual", rule="group_total", row=i + 2), report.to_text()


@pytest.mark.slow
def test_dates_out_of_order(broken: BrokenCopy) -> None:
    start = read_rows(broken.csv("trade_annual"))[1][0]["period_start"]
    broken.set_cell("trade_annual", 0, "period_end", f"{int(start[:4]) - 1}{start[4:]}")
    report = validate(broken.descriptor)
    assert failures(report, table="trade_annual", rule="date_order", column="period_end", row=2)


@pytest.mark.slow
def test_partial_flag_must_match_months(broken: BrokenCopy) -> None:
    broken.set_cell("trade_annual", 0, "is_partial", "true")
    report = validate(broken.descriptor)
    assert failures(report, table="trade_annual", rule="partial_matches_months", row=2), (
        report.to_text()
    )


@pytest.mark.slow
def test_unused_source(broken: BrokenCopy) -> None:
    def add(_h: list[str], rows: list[dict[str, str]]) -> None:
        extra = dict(rows[0])
        extra["source_id"] = "nobody-cites-this"
        rows.append(extra)

    broken.edit("sources", add)
    report = validate(broken.descriptor)
    assert failures(report, table="sources", rule="source-unused", column="source_id"), (
        report.to_text()
    )


def test_a_source_cited_only_in_a_key_list_is_used(broken: BrokenCopy) -> None:
    """`other_source_ids` cites too: a source named only there is not reported as unused."""

    def add(_h: list[str], rows: list[dict[str, str]]) -> None:
        extra = dict(rows[0])
        extra["source_id"] = "cited-in-a-list-only"
        extra["url"] = "https://example.org/cited-in-a-list-only"
        rows.append(extra)

    def cite(_h: list[str], rows: list[dict[str, str]]) -> None:
        listed = [s for s in rows[0]["other_source_ids"].split(";") if s]
        rows[0]["other_source_ids"] = ";".join([*listed, "cited-in-a-list-only"])

    broken.edit("sources", add)
    before = validate(broken.descriptor)
    assert failures(before, table="sources", rule="source-unused"), before.to_text()
    broken.edit("summits", cite)
    report = validate(broken.descriptor)
    assert not failures(report, table="sources", rule="source-unused"), report.to_text()
    # Only the Parquet copies, not rebuilt after the edits, may differ.
    assert {f.rule for f in report.failures} <= {"parquet-stale"}, report.to_text()


@pytest.mark.slow
def test_parquet_that_disagrees_with_csv(broken: BrokenCopy) -> None:
    broken.set_cell(
        "trade_annual", 0, "notes", "a corrected note"
    )  # valid edit, Parquet not rebuilt
    report = validate(broken.descriptor)
    found = failures(report, table="trade_annual", rule="parquet-stale")
    assert found and "indru-data build" in found[0].message, report.to_text()


@pytest.mark.slow
def test_truncated_file(broken: BrokenCopy) -> None:
    path = broken.csv("trade_annual")
    data = path.read_bytes()
    path.write_bytes(data[: len(data) - 40])  # cut mid-row
    report = validate(broken.descriptor)
    assert not report.valid
    assert any(f.table == "trade_annual" for f in report.failures)


@pytest.mark.slow
def test_a_path_outside_the_package_is_refused(broken: BrokenCopy) -> None:
    descriptor = json.loads(broken.descriptor.read_text(encoding="utf-8"))
    descriptor["resources"][1]["path"] = "../../etc/passwd"
    broken.descriptor.write_text(json.dumps(descriptor), encoding="utf-8")
    report = validate(broken.descriptor)
    assert any("outside the package folder" in f.message for f in report.failures), report.to_text()


def test_unknown_descriptor_path(tmp_path) -> None:  # type: ignore[no-untyped-def]
    report = validate(tmp_path / "nowhere" / "datapackage.json")
    assert not report.valid and "not found" in report.failures[0].message


def test_validate_frame_accepts_the_real_table_and_rejects_a_bad_copy() -> None:
    import indru_data

    df = indru_data.load("trade_annual")
    typed = validate_frame(df, "trade_annual")
    assert len(typed) == len(df)
    bad = df.copy()
    bad["value_usd_mn"] = bad["value_usd_mn"].astype(object)
    bad.loc[0, "value_usd_mn"] = -1.0
    bad["source_id"] = bad["source_id"].astype(object)
    bad.loc[1, "source_id"] = "missing-source"
    with pytest.raises(ValidationError) as info:
        validate_frame(bad, "trade_annual")
    rules = {(f.rule, f.row) for f in info.value.report.failures}
    assert ("constraint-error:minimum", 2) in rules and ("foreign-key", 3) in rules


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    # A real process on purpose: this is the test of `python -m indru_data.cli validate` as a
    # command (exit codes, output, gc.freeze() in the process); the others run it in-process.
    return subprocess.run(
        [sys.executable, "-m", "indru_data.cli", *args], capture_output=True, text=True, check=False
    )


@pytest.mark.slow
def test_cli_validate_exit_codes_and_json(broken: BrokenCopy) -> None:
    ok = run_cli("validate")
    assert ok.returncode == 0 and "valid" in ok.stdout
    broken.set_cell("trade_annual", 2, "flow", "sideways")
    bad = run_cli("validate", str(broken.descriptor))
    assert bad.returncode == 1
    assert "data/trade_annual.csv row 4" in bad.stdout and "'flow'" in bad.stdout
    js = json.loads(run_cli("validate", str(broken.descriptor), "--format", "json").stdout)
    assert js["valid"] is False
    assert any(
        f["row"] == 4 and f["column"] == "flow" and f["value"] == "sideways" for f in js["failures"]
    )


@pytest.mark.slow
def test_outside_tool_frictionless_validates_the_descriptor() -> None:
    exe = [sys.executable, "-m", "frictionless"]
    done = subprocess.run(
        [*exe, "validate", "--json", str(DESCRIPTOR)],
        capture_output=True,
        text=True,
        check=False,
        cwd=DESCRIPTOR.parent,
    )
    assert done.returncode == 0, done.stdout[-2000:]
    result = json.loads(done.stdout)
    assert result["valid"] is True
    assert sum(t["stats"]["rows"] for t in result["tasks"]) > 0


@pytest.mark.parametrize(
    ("change", "where"),
    [
        (lambda d: d.update(keywords="trade"), "'keywords'"),  # an array in the profile
        # (a title that is not a string is refused earlier, by our own guards)
        (lambda d: d["resources"][0].update(sources="x"), "'sources'"),  # an array there
    ],
)
def test_a_descriptor_against_the_profile_stops_validation_before_the_data(
    broken: BrokenCopy, change: Callable[[dict[str, Any]], None], where: str
) -> None:
    """Stage 0: Frictionless checks the descriptor against the Data Package profile, once,
    and a descriptor that fails it stops validation before any data is read."""
    broken.set_cell("trade_annual", 0, "value_usd_mn", "not-a-number")  # never reached
    broken.edit_descriptor(change)
    report = validate(broken.descriptor)
    assert not report.valid and not report.rows_checked, report.to_text()
    assert [(f.stage, f.file) for f in report.failures] == [("frictionless", "datapackage.json")]
    assert where in report.failures[0].message, report.to_text()


def edit_schema(broken: BrokenCopy, table: str, change: Callable[[dict[str, Any]], None]) -> None:
    path = broken.root / "schemas" / f"{table}.schema.json"
    schema = json.loads(path.read_text(encoding="utf-8"))
    change(schema)
    path.write_text(json.dumps(schema, indent=2), encoding="utf-8")


@pytest.mark.parametrize(
    ("change", "said"),
    [
        (lambda f: f.update(format="email"), "format 'email' is not supported"),
        (lambda f: f.update(type="year"), "unknown type 'year'"),
        (lambda f: f.update(trueValues=["yes"]), "'trueValues' is not supported"),
        (lambda f: f["constraints"].update(exclusiveMinimum=1), "'exclusiveMinimum'"),
    ],
)
def test_schema_features_validation_does_not_check_are_refused(
    broken: BrokenCopy, change: Callable[[dict[str, Any]], None], said: str
) -> None:
    """Every cell is checked by our stages: a schema asking for more is refused, not half-checked."""

    def edit(schema: dict[str, Any]) -> None:
        field = next(f for f in schema["fields"] if f["name"] == "language")
        field.setdefault("constraints", {})
        change(field)

    edit_schema(broken, "sources", edit)
    report = validate(broken.descriptor)
    assert not report.valid and not report.rows_checked, report.to_text()
    assert said in report.failures[0].message and "'language'" in report.failures[0].message


@pytest.mark.parametrize("cell", ["+5", "1e3", " 2019", "2019.0"])
def test_a_number_not_in_canonical_form_is_named(broken: BrokenCopy, cell: str) -> None:
    broken.set_cell("trade_annual", 0, "months_covered", cell)
    report = validate(broken.descriptor, check_parquet=False)
    found = failures(report, table="trade_annual", rule="", column="months_covered", row=2)
    assert [f.rule for f in found] == ["non-canonical"], report.to_text()
    assert "write an integer as digits" in found[0].message


@pytest.mark.slow
def test_structure_errors_are_named_with_their_lines(broken: BrokenCopy) -> None:
    path = broken.csv("trade_annual")
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[3] = lines[3].rstrip("\n") + ",surplus\n"  # one cell too many on CSV line 4
    lines.insert(5, "\n")  # a blank row
    path.write_text("".join(lines), encoding="utf-8")
    rehash(broken.descriptor)
    report = validate(broken.descriptor)
    rules = {(f.stage, f.rule, f.row) for f in report.failures if f.table == "trade_annual"}
    assert ("structure", "extra-cell", 4) in rules, report.to_text()
    assert ("structure", "blank-row", 6) in rules, report.to_text()
    assert report.structure["trade_annual"] == "csv"


def test_files_of_many_blocks_hash_and_locate_as_one_block(
    broken: BrokenCopy, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With tiny blocks every file is read in many: the hash (computed in a second thread) still
    matches the recorded one, and failures deep in a file are on the line they are on."""
    from indru_data.validation import files

    monkeypatch.setattr(files, "BLOCK_BYTES", 4096)
    assert validate(broken.descriptor).valid  # every hash recorded by build is matched

    path = broken.csv("sources")
    data = path.read_bytes()
    lines = data.split(b"\n")
    lines[400] = lines[400] + b"\r"  # line 401 of the file
    lines[500] = lines[500].replace(b",", b",\xff", 1)  # line 501: not UTF-8
    path.write_bytes(b"\n".join(lines))
    report = validate(broken.descriptor)
    found = {(f.rule, f.row) for f in report.failures if f.stage == "file"}
    assert ("encoding", 501) in found, report.to_text()

    lines[500] = lines[500].replace(b",\xff", b",", 1)
    path.write_bytes(b"\n".join(lines)[:-1])  # and the last newline cut off
    report = validate(broken.descriptor)
    found = {(f.rule, f.row) for f in report.failures if f.stage == "file"}
    assert ("line-ending", 401) in found, report.to_text()
    assert ("truncated", data.count(b"\n")) in found, report.to_text()
