"""The README's set-up command, run as written in a fresh virtual environment from a clone.

README.md, "Set-up (fresh machine)": in a clone, `pip install . && indru-data validate &&
indru-data list`. This test takes that command from the README (not a copy of it) and runs it
with `bash -e` in:

- a copy of the files a clone holds (`git ls-files`: tracked files, with their uncommitted
  edits, and new files not ignored; no build/, dist/ or egg-info);
- a new virtual environment (`python -m venv`), whose only indru-data is the one the command
  installs.

A fresh machine downloads the dependencies (pandas, pyarrow, …) and the build backend
(hatchling); the tests use no network, so the new environment sees this environment's
installed packages (every one but indru-data itself) through a .pth file, and pip runs with
`--no-index` and without build isolation. What is tested is the README's part: that the
command installs indru-data from the clone, and that the installed command validates the
packaged data and lists its tables.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest
from conftest import ROOT

README = ROOT / "README.md"
FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.MULTILINE | re.DOTALL)


def setup_command() -> str:
    """The first shell block of the README's "Set-up (fresh machine)" section."""
    text = README.read_text(encoding="utf-8")
    start = text.index("## Set-up (fresh machine)")
    section = text[start : text.index("\n## ", start + 1)]
    block = next(m for m in FENCE.finditer(section) if m.group(1) in ("bash", "sh", "console"))
    lines = [ln for ln in block.group(2).splitlines() if ln.strip() and not ln.startswith("#")]
    assert len(lines) == 1, lines
    return lines[0]


def test_the_setup_command_installs_from_the_clone_and_runs_the_main_job() -> None:
    command = setup_command()
    assert command.startswith("pip install . ")  # from a clone: not on PyPI yet
    assert "indru-data validate" in command and "indru-data list" in command


def _clone(dest: Path) -> None:
    """The files a clone of this checkout holds, as they are in the working tree."""
    listed = subprocess.run(
        ["git", "-C", str(ROOT), "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        capture_output=True,
        check=False,
    )
    if listed.returncode != 0:
        pytest.skip(f"not a git checkout: {listed.stderr.decode(errors='replace').strip()}")
    for name in filter(None, listed.stdout.decode().split("\0")):
        source = ROOT / name
        if source.is_file():  # a file deleted in the working tree is not in it
            target = dest / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)


def _dependencies(dest: Path) -> Path:
    """This environment's installed packages, all but indru-data, as one folder of links."""
    dest.mkdir()
    for where in {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}:
        for entry in Path(where).iterdir():
            name = entry.name.lower()
            if "indru" in name or name.startswith("__editable__") or name.endswith(".pth"):
                continue
            if not (dest / entry.name).exists():
                (dest / entry.name).symlink_to(entry)
    return dest


@pytest.mark.slow
def test_readme_setup_in_a_fresh_venv_from_a_clone(tmp_path: Path) -> None:
    clone = tmp_path / "indru-data"
    _clone(clone)
    assert (clone / "pyproject.toml").is_file() and not (clone / "build").exists()
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = venv / "bin" / "python"
    purelib = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    deps = _dependencies(tmp_path / "deps")
    (Path(purelib) / "dependencies-of-the-test-run.pth").write_text(f"{deps}\n")
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "PIP_", "VIRTUAL_ENV"))
    }
    env.update(
        PATH=os.pathsep.join([str(venv / "bin"), env.get("PATH", "")]),
        VIRTUAL_ENV=str(venv),
        PIP_NO_INDEX="1",  # no network: the dependencies are the ones linked above
        # the build backend (hatchling) too; pip reads this variable inverted: "0" is
        # `--no-build-isolation`
        PIP_NO_BUILD_ISOLATION="0",
        PIP_DISABLE_PIP_VERSION_CHECK="1",
        PIP_CONSTRAINT="",
        PIP_FIND_LINKS="",
    )
    command = setup_command()
    done = subprocess.run(
        ["bash", "-e", "-c", command],
        cwd=clone,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, f"{command}\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    assert ": valid" in done.stdout, done.stdout[-2000:]
    assert "trade_annual" in done.stdout and "sources" in done.stdout
    # The indru-data that ran is the one the command installed into the new environment.
    where = subprocess.run(
        [str(python), "-c", "import indru_data; print(indru_data.__file__)"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert where.startswith(purelib), where
    assert (venv / "bin" / "indru-data").is_file()
