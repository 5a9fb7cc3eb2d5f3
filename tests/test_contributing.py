"""CONTRIBUTING.md's walkthrough ("Adding a table") works as written on a copy of the checkout.

The blocks marked `<!-- example: walkthrough -->` run in order with `bash -e`, from the root
of a copy of the repository's files (as a fresh clone has them), with `indru-data` running
that copy's code. Between the blocks the test does what the prose asks a person to do: add a
column to the schema and a row that cites a source.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

BLOCK = re.compile(r"<!--\s*example:\s*walkthrough\s*-->\s*\n```bash\n(.*?)^```", re.M | re.S)


def walkthrough() -> list[str]:
    return BLOCK.findall((ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8"))


def checkout_copy(dest: Path) -> Path:
    files = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True
    ).stdout.split(b"\0")
    for name in filter(None, files):
        src = ROOT / name.decode()
        if src.is_file():
            (dest / name.decode()).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / name.decode())
    return dest


def run(block: str, root: Path, bin_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
        "PYTHONPATH": str(root / "src"),
    }
    return subprocess.run(
        ["bash", "-e", "-c", block], cwd=root, env=env, capture_output=True, text=True
    )


@pytest.mark.slow
def test_adding_a_table_works_as_written(tmp_path: Path) -> None:
    if not (ROOT / ".git").exists():
        pytest.skip("needs a git checkout (git ls-files)")
    blocks = walkthrough()
    assert len(blocks) == 2, "CONTRIBUTING.md: the scaffold block, then build and validate"
    root = checkout_copy(tmp_path / "indru-data")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    shim = bin_dir / "indru-data"
    shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m indru_data.cli "$@"\n')
    shim.chmod(0o755)

    done = run(blocks[0], root, bin_dir)
    assert done.returncode == 0, done.stderr
    schema_path = root / "schemas" / "port_calls.schema.json"
    assert schema_path.is_file() and "wrote" in done.stdout

    # Steps 2 and 3: a column described in the schema, a row citing a real source.
    schema = json.loads(schema_path.read_text())
    schema["fields"].insert(
        1,
        {
            "name": "port",
            "type": "string",
            "description": "Indian port of call.",
            "constraints": {"required": True, "maxLength": 100},
        },
    )
    schema_path.write_text(json.dumps(schema, indent=2) + "\n")
    source = (root / "data" / "sources.csv").read_text().splitlines()[1].split(",")[0]
    (root / "data" / "port_calls.csv").write_text(
        f"record_id,port,source_id,notes\ncall-1,Vadinar,{source},\n"
    )

    done = run(blocks[1], root, bin_dir)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "valid" in done.stdout
    loaders = (root / "src" / "indru_data" / "_loaders.py").read_text()
    assert "def load_port_calls(" in loaders  # the generated loader
    assert "port_calls" in (root / "docs" / "codebook.md").read_text()
    check = run(
        f'"{sys.executable}" -c "import indru_data; '
        "print(indru_data.load('port_calls')['port'].tolist())\"",
        root,
        bin_dir,
    )
    assert check.stdout.strip() == "['Vadinar']", check.stderr


def test_a_walkthrough_step_that_fails_is_reported(tmp_path: Path) -> None:
    """The runner itself: a failing command gives a non-zero exit, so the test above can fail."""
    done = run("indru-data new-table Bad-Name", tmp_path, tmp_path)
    assert done.returncode != 0
