"""Hostile or broken packages given to `indru-data validate PATH`: a clear error, never a
traceback, a network request or a read outside the package folder."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import BrokenCopy, cli, rehash

from indru_data.validation import validate

pytestmark = pytest.mark.slow  # CLI processes and very large files: the full run covers them


def set_path(copy: BrokenCopy, table: str, value: str, key: str = "path") -> None:
    d = json.loads(copy.descriptor.read_text())
    for r in d["resources"]:
        if r["name"] == table:
            r[key] = value
    copy.descriptor.write_text(json.dumps(d))


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any connect or name lookup during a test fails it (in this process).

    `cli` runs the command in this process too, so the guard covers its runs as well.
    """

    def refuse(*_a, **_k):  # type: ignore[no-untyped-def]
        raise AssertionError("validation tried to open a network connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


def one_line_error(out: subprocess.CompletedProcess[str], code: int, *words: str) -> None:
    """The CLI failed with `code` and one line on stderr that holds every word, no traceback."""
    assert out.returncode == code, (out.returncode, out.stdout[-2000:], out.stderr[-2000:])
    assert "Traceback" not in out.stderr and out.stderr.count("\n") == 1, out.stderr
    for word in words:
        assert word in out.stderr, (word, out.stderr)


@pytest.mark.parametrize(
    ("value", "key", "words"),
    [
        ("/etc/passwd", "path", "outside the package folder"),
        ("../outside.csv", "path", "outside the package folder"),
        ("https://example.invalid/data.csv", "path", "is a URL"),
        ("https://example.invalid/schema.json", "schema", "is a URL"),
        ("../../schema.json", "schema", "outside the package folder"),
    ],
)
def test_unsafe_paths_are_refused_before_any_read(
    broken: BrokenCopy, value: str, key: str, words: str
) -> None:
    set_path(broken, "trade_annual", value, key)
    report = validate(broken.descriptor)
    assert not report.valid
    assert len(report.failures) == 1 and words in report.failures[0].message
    out = cli("validate", str(broken.descriptor))
    assert out.returncode == 2
    assert words in out.stderr and out.stderr.count("\n") == 1 and "Traceback" not in out.stderr


def test_symlink_out_of_the_folder_is_refused(
    broken: BrokenCopy, tmp_path_factory: pytest.TempPathFactory
) -> None:
    outside = tmp_path_factory.mktemp("outside") / "secret.csv"
    outside.write_text("secret\n")
    link = broken.root / "data" / "link.csv"
    os.symlink(outside, link)
    set_path(broken, "trade_annual", "data/link.csv")
    report = validate(broken.descriptor)
    assert "resolves outside the package folder" in report.failures[0].message


def test_missing_file(broken: BrokenCopy) -> None:
    broken.csv("trade_annual").unlink()
    report = validate(broken.descriptor)
    assert [f.rule for f in report.failures] == ["file-missing"]
    assert cli("validate", str(broken.descriptor)).returncode == 1


def test_binary_file(broken: BrokenCopy) -> None:
    broken.csv("trade_annual").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 50)
    rehash(broken.descriptor)
    report = validate(broken.descriptor)
    assert [f.rule for f in report.failures] == ["binary-file"]


def test_huge_file_is_refused_without_reading_it(broken: BrokenCopy) -> None:
    path = broken.csv("trade_annual")
    with path.open("r+b") as f:  # sparse: 3 GiB on paper, no disk used
        f.truncate(3 * 1024**3)
    out = cli("validate", str(broken.descriptor))
    assert out.returncode == 1
    assert "file-too-large" in out.stdout and "Traceback" not in out.stderr


def test_malformed_json(tmp_path: Path) -> None:
    bad = tmp_path / "datapackage.json"
    bad.write_text('{"name": "x", "resources": [')
    out = cli("validate", str(bad))
    assert out.returncode == 2
    assert "not valid JSON" in out.stderr and out.stderr.count("\n") == 1


def test_schema_with_unknown_type(broken: BrokenCopy) -> None:
    schema = broken.root / "schemas" / "trade_annual.schema.json"
    d = json.loads(schema.read_text())
    d["fields"][1]["type"] = "complex-number"
    schema.write_text(json.dumps(d))
    out = cli("validate", str(broken.descriptor))
    assert out.returncode == 2
    assert "unknown type 'complex-number'" in out.stderr and "Traceback" not in out.stderr


def test_resources_not_a_list(tmp_path: Path) -> None:
    bad = tmp_path / "datapackage.json"
    bad.write_text('{"name": "x", "resources": {"a": 1}}')
    out = cli("validate", str(bad))
    assert out.returncode == 2 and "must be a list" in out.stderr


# --- issue 18 -------------------------------------------------------------------------------

URL = "http://127.0.0.1:9/d.json"  # the discard port: a connect attempt fails at once


def test_dialect_url_made_frictionless_connect_before_the_fix(broken: BrokenCopy) -> None:
    # The guard itself works: Frictionless, given the descriptor directly, tries to connect.
    import frictionless

    set_path(broken, "trade_annual", URL, "dialect")
    with pytest.raises(Exception, match="network connection"):
        frictionless.Package(str(broken.descriptor)).validate()


def _resource(copy: BrokenCopy, key: str, value: object) -> None:
    def change(d: dict) -> None:  # type: ignore[type-arg]
        (res,) = [r for r in d["resources"] if r["name"] == "trade_annual"]
        res[key] = value

    copy.edit_descriptor(change)


@pytest.mark.parametrize(
    ("where", "key", "value", "words"),
    [
        ("resource", "dialect", URL, ["'trade_annual'", "'dialect'", "is a URL"]),
        ("resource", "dialect", "//127.0.0.1/d.json", ["'trade_annual'", "'dialect'"]),
        ("resource", "profile", URL, ["'trade_annual'", "'profile'", "named profile"]),
        ("resource", "profile", "file:///etc/passwd", ["'trade_annual'", "'profile'"]),
        ("resource", "schema", "file:schemas/trade_annual.schema.json", ["'schema'", "URL"]),
        ("resource", "path", "file:data/trade_annual.csv", ["'trade_annual'", "'path'"]),
        ("resource", "dialect", {"$ref": URL}, ["'trade_annual'", "dialect.$ref"]),
        ("package", "profile", URL, ["package", "'profile'"]),
        ("package", "$schema", "https://example.org/profile.json", ["package", "'$schema'"]),
        ("schema", "profile", URL, ["trade_annual.schema.json", "'profile'"]),
        ("field", "$ref", "/etc/passwd", ["trade_annual.schema.json", "fields[2].$ref"]),
    ],
)
def test_remote_references_are_refused_before_frictionless(
    broken: BrokenCopy, where: str, key: str, value: object, words: list[str]
) -> None:
    if where == "resource":
        _resource(broken, key, value)
    elif where == "package":
        broken.edit_descriptor(lambda d: d.update({key: value}))
    elif where == "schema":
        broken.edit_schema("trade_annual", lambda s: s.update({key: value}))
    else:
        broken.edit_schema("trade_annual", lambda s: s["fields"].insert(2, {key: value}))
    report = validate(broken.descriptor)  # the socket guard fails the test on any connect
    assert [f.rule for f in report.failures] == ["descriptor"], report.to_text()
    one_line_error(cli("validate", str(broken.descriptor)), 2, *words)


def test_the_real_package_validates_without_any_socket(broken: BrokenCopy) -> None:
    # Its homepage and licence URLs are metadata: named, never fetched.
    broken.edit_descriptor(
        lambda d: d.update({"$schema": "https://datapackage.org/profiles/2.0/datapackage.json"})
    )
    report = validate(broken.descriptor)
    assert report.valid, report.to_text()


@pytest.mark.parametrize(
    "content",
    [
        bytes(range(256)) * 4,  # random-looking bytes
        '{"name": "d\u00e9p\u00f4t", "resources": []}'.encode("latin-1"),
    ],
    ids=["binary", "latin-1"],
)
def test_descriptor_not_utf8(tmp_path: Path, content: bytes) -> None:
    bad = tmp_path / "datapackage.json"
    bad.write_bytes(content)
    one_line_error(cli("validate", str(bad)), 2, "not UTF-8", str(bad))


def test_deeply_nested_descriptor(tmp_path: Path) -> None:
    bad = tmp_path / "datapackage.json"
    bad.write_text('{"x": ' + "[" * 100_000 + "]" * 100_000 + "}")  # 200 KB
    one_line_error(cli("validate", str(bad)), 2, "nested too deeply", str(bad))
    bad.write_text('{"x": ' + "[" * 40 + "]" * 40 + ', "resources": []}')  # parses, too deep
    one_line_error(cli("validate", str(bad)), 2, "levels deep", "limit of 32")


def test_huge_descriptor_is_refused_before_reading(tmp_path: Path) -> None:
    bad = tmp_path / "datapackage.json"
    with bad.open("wb") as f:  # sparse: 1 GiB on paper
        f.write(b'{"resources": [')
        f.truncate(1024**3)
    out = cli("validate", str(bad))
    one_line_error(out, 2, "bytes, more than the limit", str(bad))


def test_schema_field_without_a_name(broken: BrokenCopy) -> None:
    broken.edit_schema("trade_annual", lambda s: s["fields"].insert(1, {"type": "string"}))
    one_line_error(
        cli("validate", str(broken.descriptor)),
        2,
        "trade_annual.schema.json",
        "table 'trade_annual'",
        "field 2 has no 'name'",
    )


def test_zipped_package_is_refused_clearly(tmp_path: Path, broken: BrokenCopy) -> None:
    import zipfile

    archive = tmp_path / "pkg.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.write(broken.descriptor, "datapackage.json")
        z.writestr("../../evil.txt", "zip-slip")
    one_line_error(cli("validate", str(archive)), 2, "zip archive", str(archive))
    assert not (tmp_path.parent / "evil.txt").exists()


def test_ten_thousand_resources_fail_fast(broken: BrokenCopy) -> None:
    import time

    def many(d: dict) -> None:  # type: ignore[type-arg]
        d["resources"] = [
            {"name": f"t{i}", "path": "data/sources.csv", "schema": "schemas/sources.schema.json"}
            for i in range(10_000)
        ]  # under the descriptor's size limit: the resource limit is what stops it

    broken.edit_descriptor(many)
    start = time.perf_counter()
    out = cli("validate", str(broken.descriptor))
    assert time.perf_counter() - start < 30
    one_line_error(out, 2, "10000 resources", "limit of 200")


def test_too_many_fields(broken: BrokenCopy) -> None:
    broken.edit_schema(
        "trade_annual",
        lambda s: s["fields"].extend({"name": f"x{i}", "type": "string"} for i in range(600)),
    )
    one_line_error(
        cli("validate", str(broken.descriptor)), 2, "table 'trade_annual'", "limit of 500"
    )


def test_duplicate_resource_names_are_named(broken: BrokenCopy) -> None:
    def twice(d: dict) -> None:  # type: ignore[type-arg]
        d["resources"][3]["name"] = d["resources"][1]["name"]

    broken.edit_descriptor(twice)
    name = json.loads(broken.descriptor.read_text())["resources"][1]["name"]
    one_line_error(
        cli("validate", str(broken.descriptor)), 2, f"resources 1 and 3 are both named {name!r}"
    )


def test_a_dialect_file_is_refused_naming_the_table(broken: BrokenCopy) -> None:
    _resource(broken, "dialect", "../d.json")
    one_line_error(
        cli("validate", str(broken.descriptor)),
        2,
        "table 'trade_annual'",
        "'dialect' must be an object; only the default CSV dialect is read",
    )


def test_duplicate_header_is_reported_at_its_column(broken: BrokenCopy) -> None:
    path = broken.csv("trade_annual")
    lines = path.read_text().split("\n")
    header = lines[0].split(",")
    header[3] = header[2]  # period_start's column now repeats period_type
    lines[0] = ",".join(header)
    path.write_text("\n".join(lines))
    rehash(broken.descriptor)
    report = validate(broken.descriptor)
    (dup,) = [f for f in report.failures if f.rule == "duplicate-label"]
    assert (dup.row, dup.column, dup.value) == (1, "period_start", "period_type")
    assert "header column 4 is 'period_type', which header column 3 already has" in dup.message


def test_two_hundred_thousand_copies_of_one_row(broken: BrokenCopy) -> None:
    path = broken.csv("trade_annual")
    header, first = path.read_text().split("\n")[:2]
    path.write_text(header + "\n" + (first + "\n") * 200_000)
    rehash(broken.descriptor)
    out = cli("validate", str(broken.descriptor), "--format", "json", "--no-parquet")
    assert out.returncode == 1 and "Traceback" not in out.stderr
    assert len(out.stdout) < 1_000_000  # was 213 MB
    report = json.loads(out.stdout)
    counts = {(c["table"], c["rule"]): c for c in report["failure_counts"]}
    for rule in ("primary-key", "constraint-error:unique"):
        assert counts["trade_annual", rule]["count"] == 200_000  # exact
        assert counts["trade_annual", rule]["listed"] == 100
    assert report["failure_count"] >= 600_000
    listed = [f for f in report["failures"] if f["rule"] == "primary-key"]
    assert len(listed) == 100 and listed[0]["row"] == 2 and listed[0]["key"]
    text = cli("validate", str(broken.descriptor), "--no-parquet").stdout
    assert "... and 199900 more failure(s) of rule primary-key" in text


NON_FINITE = ["inf", "-Infinity", "1e400", "NaN", "nan"]


def test_non_finite_numbers_are_refused_in_every_number_column(broken: BrokenCopy) -> None:
    from indru_data.core.descriptor import DataPackage

    placed: dict[tuple[str, int, str], str] = {}
    for table in DataPackage(broken.descriptor).tables.values():
        numbers = [f.name for f in table.fields if f.type == "number"]
        for i, column in enumerate(numbers):
            value = NON_FINITE[i % len(NON_FINITE)]

            def change(
                _h: list[str], rows: list[dict[str, str]], c: str = column, v: str = value
            ) -> None:
                rows[0][c] = v

            broken.edit(table.name, change)
            placed[table.name, 2, column] = value
    assert len(placed) >= 5
    report = validate(broken.descriptor, check_parquet=False)
    found = {(f.table, f.row, f.column): f.value for f in report.failures}
    for place, value in placed.items():
        assert found.get(place) == value, (place, report.to_text())
        (f,) = [f for f in report.failures if (f.table, f.row, f.column) == place]
        assert f.rule == "non-finite-number"


def test_oversized_cell_and_maxlength(broken: BrokenCopy) -> None:
    broken.set_cell("trade_annual", 0, "notes", "x" * 10_000_000)  # 10 MB note
    broken.set_cell("trade_annual", 1, "notes", "y" * 6_000)  # over maxLength 5000
    broken.set_cell("sources", 0, "publisher", "z" * 1_001)  # a name: maxLength 1000
    out = cli("validate", str(broken.descriptor), "--no-parquet")
    assert out.returncode == 1 and "Traceback" not in out.stderr
    assert len(out.stdout) < 20_000  # the values are cut in the report
    assert (
        "trade_annual: data/trade_annual.csv row 2 [fy1996-97-total-fe-ficci] column 'notes': "
        "cell has 10000000 characters, more than the limit of 100000 (rule: cell-too-large)"
    ) in out.stdout
    assert "row 3 [" in out.stdout and "(rule: constraint-error:maxLength)" in out.stdout
    assert "data/sources.csv row 2" in out.stdout


def test_a_ten_megabyte_key_is_refused(broken: BrokenCopy) -> None:
    broken.set_cell("trade_annual", 0, "trade_id", "k" * 10_000_000)
    report = validate(broken.descriptor, check_parquet=False)
    (f,) = [f for f in report.failures if f.column == "trade_id"]
    assert (f.row, f.rule) == (2, "cell-too-large")
    assert len(report.to_json()) < 100_000


def test_modules_in_the_working_directory_do_not_run(tmp_path: Path) -> None:
    """`python -m indru_data.cli validate` in a stranger's checkout: its `pandera.py` (imported
    lazily by the command) and `frictionless_*.py` (taken as a plugin by Frictionless) must not
    run, though `-m` puts the working directory first on the module path."""
    marker = tmp_path / "ran"
    work = tmp_path / "checkout"
    work.mkdir()
    for name in ("pandera.py", "frictionless.py", "frictionless_plugin.py", "openpyxl.py"):
        (work / name).write_text(f"open({str(marker)!r}, 'a').write({name!r})\n", "utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "indru_data.cli", "validate"],
        cwd=work,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert not marker.exists(), marker.read_text()
