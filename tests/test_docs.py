"""Every Python and shell example in README.md and docs/*.md runs as written, after a plain
install of the wheel, from a directory outside the checkout.

- The wheel is built and installed into a folder of its own (no checkout on the path).
- A file's ```python blocks run in order in one interpreter, like a notebook, from an empty
  temporary directory. Each ```bash block runs with `bash -e` from such a directory.
- Each `indru-data` command in a ```bash block is a fresh process forked from one that imported
  the wheel's libraries once (tests/forkserver.py; tests/test_forkserver.py checks that it gives
  what the command gives), not 1-2 s of imports per command.
- `pip install indru-data…` in an example is the plain install that was already made: a `pip`
  on the PATH accepts exactly that and refuses anything else (no network in tests).
- A block preceded by `<!-- example: checkout -->` is a step for a checkout of indru-data
  (building, releasing, running the tests) and is not run; one preceded by
  `<!-- example: fork -->` runs in a folder holding a copy of the data package; one preceded
  by `<!-- example: server -->` starts a long-running server (the explorer, the docs site)
  and is not run here: the browser tests start and check those servers.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import ROOT, copy_package
from forkserver import serving

DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.MULTILINE | re.DOTALL)
MARKER = re.compile(r"<!--\s*example:\s*(\w+)\s*-->\s*$")
RUN = ("python", "bash", "sh", "shell")
# Checkout steps are not run; keep them few and deliberate.
MAX_CHECKOUT_BLOCKS = 4

PIP_SHIM = """#!/bin/sh
# Examples run after a plain install: `pip install indru-data[...]` is already done.
case "$1 $2" in
  "install indru-data"*|"install indru-data["*) exit 0 ;;
esac
echo "pip (tests/test_docs.py): only 'pip install indru-data' is available here: $*" >&2
exit 1
"""


@dataclass(frozen=True)
class Example:
    doc: Path
    line: int
    lang: str
    code: str
    mode: str  # run | checkout | fork | server

    @property
    def where(self) -> str:
        return f"{self.doc.relative_to(ROOT)}:{self.line}"


def examples(doc: Path) -> list[Example]:
    text = doc.read_text(encoding="utf-8")
    found = []
    for m in FENCE.finditer(text):
        lang = m.group(1)
        if lang not in RUN:
            continue
        before = text[: m.start()].rstrip("\n").splitlines()
        marker = MARKER.search(before[-1]) if before else None
        mode = marker.group(1) if marker else "run"
        assert mode in ("run", "checkout", "fork", "server"), f"{doc}: unknown marker {mode!r}"
        line = text[: m.start()].count("\n") + 1
        found.append(Example(doc, line, "python" if lang == "python" else "bash", m.group(2), mode))
    return found


ALL = [e for doc in DOCS for e in examples(doc)]

# One worker builds and installs the wheel for every docs example and for test_wheel.py.
pytestmark = pytest.mark.xdist_group("installed-wheel")


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory, wheel: Path) -> Iterator[dict[str, str]]:
    """The wheel installed into its own folder; the environment examples run with."""
    tmp = tmp_path_factory.mktemp("docs")
    pip = [sys.executable, "-m", "pip"]
    target = tmp / "site"
    subprocess.run(
        [*pip, "install", "-q", "--no-deps", "--target", str(target), str(wheel)], check=True
    )
    shim = tmp / "shim"
    shim.mkdir()
    (shim / "pip").write_text(PIP_SHIM)
    (shim / "pip").chmod(0o755)
    (shim / "python").write_text(f'#!/bin/sh\nexec "{sys.executable}" "$@"\n')
    (shim / "python").chmod(0o755)
    path = os.pathsep.join([str(shim), str(target / "bin"), os.environ["PATH"]])
    env = {**os.environ, "PYTHONPATH": str(target), "PATH": path, "MPLBACKEND": "Agg"}
    # `indru-data` in the shell examples: a fresh process per command, forked from a server
    # that imported the wheel's libraries once (tests/forkserver.py), not 1-2 s of imports each.
    with serving(tmp, shim, str(target), env):
        yield env


def test_examples_are_found_and_checkout_steps_are_few() -> None:
    assert sum(e.doc.name == "README.md" for e in ALL) >= 5
    assert any(e.lang == "python" and e.mode == "run" for e in ALL)
    checkout = [e.where for e in ALL if e.mode == "checkout"]
    assert len(checkout) <= MAX_CHECKOUT_BLOCKS, checkout
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "indru_data.path(" in readme and "path/to/" not in readme  # the DuckDB example


DRIVER = """
import sys, traceback
blocks = {blocks!r}
namespace = {{"__name__": "__main__"}}
for where, code in blocks:
    try:
        exec(compile(code, where, "exec"), namespace)
    except BaseException:
        traceback.print_exc()
        print("example failed: " + where, file=sys.stderr)
        sys.exit(1)
import indru_data
assert indru_data.__file__.startswith({target!r}), indru_data.__file__
print("ran", len(blocks))
"""


@pytest.mark.slow
@pytest.mark.parametrize(
    "doc",
    [d for d in DOCS if any(e.doc == d and e.lang == "python" and e.mode == "run" for e in ALL)],
    ids=lambda d: d.name,
)
def test_python_examples_run_outside_the_checkout(
    doc: Path, installed: dict[str, str], tmp_path: Path
) -> None:
    blocks = [
        (e.where, e.code) for e in ALL if e.doc == doc and e.lang == "python" and e.mode == "run"
    ]
    script = DRIVER.format(blocks=blocks, target=installed["PYTHONPATH"])
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=tmp_path, env=installed, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr[-4000:]
    assert done.stdout.strip().endswith(f"ran {len(blocks)}")


@pytest.mark.slow
@pytest.mark.parametrize(
    "example",
    [e for e in ALL if e.lang == "bash" and e.mode not in ("checkout", "server")],
    ids=lambda e: e.where,
)
def test_shell_examples_run_outside_the_checkout(
    example: Example, installed: dict[str, str], tmp_path: Path
) -> None:
    cwd = tmp_path / "work"
    if example.mode == "fork":
        copy_package(cwd)  # a fork: the data package, nothing else of the checkout
    else:
        cwd.mkdir()
    done = subprocess.run(
        ["bash", "-e", "-o", "pipefail", "-c", example.code],
        cwd=cwd,
        env=installed,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, f"{example.where}\n{done.stdout[-2000:]}\n{done.stderr[-3000:]}"
    assert str(ROOT) not in done.stdout + done.stderr, "the example used the checkout"
    shutil.rmtree(cwd, ignore_errors=True)
