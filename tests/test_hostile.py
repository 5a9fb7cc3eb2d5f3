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
from conftest import BrokenCopy, rehash

from indru_data.validation import validate


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "indru_data.cli", *args],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def set_path(copy: BrokenCopy, table: str, value: str, key: str = "path") -> None:
    d = json.loads(copy.descriptor.read_text())
    for r in d["resources"]:
        if r["name"] == table:
            r[key] = value
    copy.descriptor.write_text(json.dumps(d))


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_a, **_k):  # type: ignore[no-untyped-def]
        raise AssertionError("validation tried to open a network connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


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
