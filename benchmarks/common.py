"""Shared pieces of the benchmarks: targets, settings, results, running and timing processes, formatting."""

from __future__ import annotations

import cProfile
import datetime as dt
import io
import os
import platform
import pstats
import re
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]

DEFAULT_OUTPUT = ROOT / "docs" / "performance.md"

IMPORT_TARGET = 1.10  # import indru_data / import pandas

LOAD_TARGET = 1.5  # load(name) / pq.read_table(path).to_pandas(), per table

VALIDATE_TARGET = 1.7  # indru-data validate held to one CPU / import pandas, pandera, frictionless

VALIDATE_SECONDS = 3.0  # median of indru-data validate

SCALE_TOLERANCE = 1.25  # time per row at the largest size / at the smallest: "linear"

ROWS_PER_S = 500_000  # rows checked per second at the largest size

MEMORY_RATIO = 3.0  # memory validation adds at the largest size / the frames' size

BASELINE_IMPORTS = "import pandas, pandera.pandas, frictionless"

# The libraries' own cost the first time each one validates or reads anything.
FIRST_USE = """
import pathlib, tempfile
import pandas, pandera.pandas as pa, frictionless, pyarrow as arrow, pyarrow.parquet as pq
with tempfile.TemporaryDirectory() as tmp:
    d = pathlib.Path(tmp)
    (d / "t.csv").write_text("a\\n1\\n")
    frictionless.validate(str(d / "t.csv"))
    frame = pandas.read_csv(d / "t.csv")
    pa.DataFrameSchema({"a": pa.Column(int, pa.Check.ge(0))}).validate(frame)
    pq.write_table(arrow.table({"a": [1]}), d / "t.parquet")
    pq.ParquetFile(d / "t.parquet").read().to_pandas()
"""

NO_HYPOTHESIS = "import sys\nsys.modules['hypothesis'] = None\n"


@dataclass
class Settings:
    quick: bool
    runs: int  # whole-process runs per command
    repeats: int  # in-process repeats per load measurement
    sizes: list[int]  # trade_annual rows for the scaling runs


@dataclass
class Results:
    settings: Settings
    environment: dict[str, str] = field(default_factory=dict)
    imports: dict[str, float] = field(default_factory=dict)
    import_profile: list[tuple[str, float]] = field(default_factory=list)
    loads: list[dict[str, Any]] = field(default_factory=list)
    load_profile: str = ""
    validate: dict[str, float] = field(default_factory=dict)
    stages_cli: dict[str, float] = field(default_factory=dict)
    stages_warm: dict[str, float] = field(default_factory=dict)
    validate_profile: str = ""
    validate_parts: list[tuple[str, float]] = field(default_factory=list)
    scale: list[dict[str, Any]] = field(default_factory=list)
    scale_profile: str = ""


def child_env() -> dict[str, str]:
    """The environment of measured processes: bytecode may be cached, as after a pip install."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def cli() -> list[str]:
    script = Path(sys.executable).parent / "indru-data"
    return [str(script)] if script.is_file() else [sys.executable, "-m", "indru_data.cli"]


def run_process(command: Sequence[str]) -> tuple[float, str]:
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, env=child_env(), check=False)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise RuntimeError(
            f"{' '.join(command)} failed:\n{done.stdout[-2000:]}{done.stderr[-2000:]}"
        )
    return elapsed, done.stdout


def median_processes(
    commands: dict[str, list[str]],
    runs: int,
    outputs: dict[str, list[str]] | None = None,
    warm_up: bool = True,
) -> dict[str, float]:
    """Median wall time of each command; one untimed warm-up each, then runs interleaved.

    With `outputs`, each command's stdout of the timed runs is collected there. Without
    `warm_up` (quick mode) each command runs only its timed runs: with one timed run, the
    warm-up doubled the quick run's processes for a time that is thrown away.
    """
    if warm_up:
        for command in commands.values():
            run_process(command)
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, command in commands.items():
            elapsed, stdout = run_process(command)
            times[name].append(elapsed)
            if outputs is not None:
                outputs.setdefault(name, []).append(stdout)
    return {name: statistics.median(values) for name, values in times.items()}


def python(code: str) -> list[str]:
    return [sys.executable, "-c", code]


def ratio(a: float, b: float) -> float:
    return a / b if b else float("nan")


def verdict(ok: bool) -> str:
    return "**met**" if ok else "**missed**"


NOISE = ("<frozen importlib", "builtins.exec}", "builtins.__import__}", "<string>:1(<module>)")


def top_profile(profile: cProfile.Profile | str, limit: int = 20) -> str:
    """The heaviest entries of a profile by cumulative time, import machinery left out."""
    out = io.StringIO()
    stats = pstats.Stats(profile, stream=out)
    stats.sort_stats("cumulative").print_stats(limit * 3)
    lines = out.getvalue().splitlines()
    start = next((i for i, line in enumerate(lines) if line.lstrip().startswith("ncalls")), 0)
    kept = [lines[start]]
    for line in lines[start + 1 :]:
        if not line.strip() or any(n in line for n in NOISE):
            continue
        # Paths from the package or environment root: indru_data/..., pandera/..., json/...
        line = re.sub(r"(?<=\s)/\S*/(?:site-packages|src|lib/python3\.\d+)/", "", line)
        kept.append(line.rstrip())
        if len(kept) > limit:
            break
    return "\n".join(kept)


def environment(s: Settings) -> dict[str, str]:
    def version(dist: str) -> str:
        if dist == "indru-data":  # the code measured, which may not be the installed copy
            import indru_data

            return indru_data.__version__
        try:
            return metadata.version(dist)
        except metadata.PackageNotFoundError:
            return "not installed"

    return {
        "date (UTC)": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M"),
        "mode": "quick (small sizes, few repeats: not for conclusions)" if s.quick else "full",
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, {platform.system()}",
        "python": platform.python_version(),
        "packages": ", ".join(
            f"{d} {version(d)}"
            for d in ("indru-data", "pandas", "pyarrow", "pandera", "frictionless", "numpy")
        ),
        "hypothesis": version("hypothesis"),
        "runs": f"{s.runs} whole-process runs per command, {s.repeats} repeats per load"
        + (", no warm-up runs, profiles in this process" if s.quick else ""),
    }


def fmt_s(seconds: float) -> str:
    return f"{seconds:.3f} s"


def fmt_mb(n: float) -> str:
    return f"{n / 1024**2:,.0f} MB"


def fmt_ms(ms: float) -> str:
    return f"{ms:.2f} ms"


def memory_ratio(row: dict[str, Any]) -> float:
    return ratio(row["growth"], row["frame"])
