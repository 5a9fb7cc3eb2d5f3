"""The built wheel carries the data: it loads and validates from outside the checkout."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

SCRIPT = """
import sys, indru_data
assert indru_data.__file__.startswith(sys.argv[1]), indru_data.__file__
for t in indru_data.tables():
    df = indru_data.load(t)
    assert len(df) > 0, t
    assert indru_data.load(t, "csv").equals(df), t
report = indru_data.validate()
assert report.valid, report.to_text()
assert "_package" in report.descriptor, report.descriptor
# Released versions travel in the wheel: by number, from any directory.
import indru_data.core.releases as v
released = v.released_versions()
assert released[0] == "0.1.0", released
old = indru_data.load("trade_annual", version="0.1.0")
assert len(old) == 80 and old.attrs["version"] == "0.1.0", (len(old), old.attrs)
h = indru_data.history("trade_annual")
assert h["first_version"].iloc[0] in released + [indru_data.__version__], h.head()
assert set(h["first_version"]) >= {"0.1.0"}
d = indru_data.diff("0.1.0", indru_data.__version__)
assert d.has_changes and d.problems.empty, d.problems
assert f"version {indru_data.__version__}" in indru_data.cite()
assert indru_data.load("trade_annual").attrs["version"] == indru_data.__version__
print("ok", len(indru_data.tables()))
"""


@pytest.mark.slow
@pytest.mark.xdist_group("installed-wheel")  # one wheel, built once (test_docs.py)
def test_wheel_installs_and_loads_from_outside_the_checkout(tmp_path: Path, wheel: Path) -> None:
    _check_release_sizes(wheel)
    target = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "-q",
            "--no-deps",
            "--target",
            str(target),
            str(wheel),
        ],
        check=True,
    )
    # Run from an unrelated directory with only the installed copy first on the path.
    env = {**os.environ, "PYTHONPATH": str(target)}
    out = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(target)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert out.returncode == 0, out.stderr[-3000:]
    assert out.stdout.startswith("ok")
    # The wheel's console script itself (the docs' shell examples fork their commands from a
    # server instead: tests/forkserver.py): it validates the packaged data from the install.
    script = target / "bin" / "indru-data"
    done = subprocess.run(
        [str(script), "validate"], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert ": valid" in done.stdout and str(target) in done.stdout, done.stdout


def _check_release_sizes(wheel: Path) -> None:
    """The README says each release adds about 200 KB to the wheel: keep that true."""
    import re
    import zipfile

    sizes: dict[str, int] = {}
    with zipfile.ZipFile(wheel) as z:
        for info in z.infolist():
            m = re.match(r"indru_data/_package/releases/([^/]+)/", info.filename)
            if m:
                sizes[m.group(1)] = sizes.get(m.group(1), 0) + info.compress_size
    released = sorted(p.name for p in (ROOT / "releases").iterdir() if p.is_dir())
    assert sorted(sizes) == released  # every release travels in the wheel
    for version, size in sizes.items():
        assert size < 300_000, f"release {version} adds {size} bytes to the wheel"
