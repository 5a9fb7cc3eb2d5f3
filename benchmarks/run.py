"""Benchmarks for indru-data; writes docs/performance.md.

    python benchmarks/run.py            # the full run (a few minutes: includes 1M rows)
    python benchmarks/run.py --quick    # small sizes and few repeats (CI checks the output)

Everything is measured on this machine in this one run, with the Python running this script:
whole processes for import and validation (median of N runs, commands interleaved so that
drift hits both sides alike), in-process medians for loading, and one validation per size of a
synthetic extension of trade_annual for scaling. Only the standard library and indru-data's own
dependencies are used.
"""

from __future__ import annotations

import argparse
import cProfile
import csv
import datetime as dt
import io
import json
import os
import platform
import pstats
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUTPUT = ROOT / "docs" / "performance.md"

IMPORT_TARGET = 1.10  # import indru_data / import pandas
LOAD_TARGET = 1.5  # load(name) / pq.read_table(path).to_pandas(), per table
VALIDATE_TARGET = 1.5  # indru-data validate / import pandas, pandera.pandas, frictionless
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


# -- helpers -------------------------------------------------------------------------------------


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
    commands: dict[str, list[str]], runs: int, outputs: dict[str, list[str]] | None = None
) -> dict[str, float]:
    """Median wall time of each command; one untimed warm-up each, then runs interleaved.

    With `outputs`, each command's stdout of the timed runs is collected there.
    """
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


# -- 1. import -----------------------------------------------------------------------------------


def bench_import(s: Settings, r: Results) -> None:
    r.imports = median_processes(
        {"indru_data": python("import indru_data"), "pandas": python("import pandas")}, s.runs
    )
    if ratio(r.imports["indru_data"], r.imports["pandas"]) > IMPORT_TARGET:
        r.import_profile = import_time_beyond_pandas()


def import_time_beyond_pandas() -> list[tuple[str, float]]:
    """Modules `import indru_data` loads that `import pandas` does not, by cumulative ms."""

    def modules(code: str) -> dict[str, float]:
        done = subprocess.run(
            [sys.executable, "-X", "importtime", "-c", code],
            capture_output=True,
            text=True,
            env=child_env(),
            check=True,
        )
        found = {}
        for line in done.stderr.splitlines():
            if line.startswith("import time:") and "|" in line and "cumulative" not in line:
                _, cumulative, name = (part.strip() for part in line[12:].split("|"))
                found[name] = int(cumulative) / 1000
        return found

    pandas_modules = modules("import pandas")
    ours = modules("import indru_data")
    extra = {k: v for k, v in ours.items() if k not in pandas_modules}
    return sorted(extra.items(), key=lambda kv: -kv[1])[:12]


# -- 2. load -------------------------------------------------------------------------------------


def bench_load(s: Settings, r: Results) -> None:
    import pyarrow.parquet as pq

    import indru_data
    from indru_data.core.descriptor import packaged
    from indru_data.core.load import _cached

    def median_ms(fn: Callable[[], object], others: list[Callable[[], object]]) -> float:
        samples = []
        for _ in range(s.repeats):
            for other in others:  # interleaved, so that drift hits every variant alike
                other()
            start = time.perf_counter()
            fn()
            samples.append(time.perf_counter() - start)
        return statistics.median(samples) * 1000

    package = packaged()
    for name in indru_data.tables():
        path = package.table(name).parquet_path

        def floor(path: Path = path) -> object:
            return pq.read_table(path).to_pandas()

        def cold(name: str = name) -> object:
            _cached.cache_clear()
            return indru_data.load(name)

        def cached(name: str = name) -> object:
            return indru_data.load(name)

        def csv_cold(name: str = name) -> object:
            _cached.cache_clear()
            return indru_data.load(name, "csv")

        for fn in (floor, cold, cached, csv_cold):
            fn()  # warm-up: imports, file cache
        row = {
            "table": name,
            "rows": len(indru_data.load(name)),
            "floor": median_ms(floor, []),
            "load": median_ms(cold, [floor]),
            "cached": median_ms(cached, []),
            "csv": median_ms(csv_cold, []),
        }
        row["ratio"] = ratio(row["load"], row["floor"])
        r.loads.append(row)
    worst = max(r.loads, key=lambda row: row["ratio"])
    if worst["ratio"] > LOAD_TARGET:
        profile = cProfile.Profile()
        profile.enable()
        for _ in range(20):
            _cached.cache_clear()
            indru_data.load(worst["table"])
        profile.disable()
        r.load_profile = top_profile(profile)


# -- 3. validate ---------------------------------------------------------------------------------


def hypothesis_installed() -> bool:
    import importlib.util

    return importlib.util.find_spec("hypothesis") is not None


def bench_validate(s: Settings, r: Results) -> None:
    # `--format json` prints Report.seconds; the JSON output itself costs microseconds.
    commands = {
        "validate": [*cli(), "validate", "--format", "json"],
        "baseline": python(BASELINE_IMPORTS),
        "first_use": python(FIRST_USE),
        "validate_warm": python(
            BASELINE_IMPORTS + "\nfrom indru_data.cli import main\n"
            "main(['validate', '--format', 'json'])"
        ),
    }
    if hypothesis_installed():
        commands["validate_no_hypothesis"] = python(
            NO_HYPOTHESIS + "from indru_data.cli import main\nsys.exit(main(['validate']))"
        )
    outputs: dict[str, list[str]] = {}
    r.validate = median_processes(commands, s.runs, outputs)

    def stages(name: str) -> dict[str, float]:
        runs = [json.loads(out)["seconds"] for out in outputs[name]]
        return {k: statistics.median(run[k] for run in runs) for k in runs[0]}

    r.stages_cli = stages("validate")
    r.stages_warm = stages("validate_warm")
    missed = (
        ratio(r.validate["validate"], r.validate["baseline"]) > VALIDATE_TARGET
        or r.validate["validate"] > VALIDATE_SECONDS
    )
    if missed:
        r.validate_profile, r.validate_parts = profile_validate()


# Where validation time goes: (label, file suffix, function) of profile entries, cumulative.
ATTRIBUTION = [
    ("Frictionless: plugin discovery and import", "frictionless/system/system.py", "plugins"),
    (
        "Frictionless: descriptor metadata checks",
        "frictionless/package/package.py",
        "metadata_validate",
    ),
    (
        "Frictionless: reading the files (structure, hashes)",
        "frictionless/resource/resource.py",
        "validate",
    ),
    (
        "Pandera: backend registration (imports its strategies, hypothesis)",
        "pandera/backends/pandas/register.py",
        "register_pandas_backends",
    ),
    (
        "Pandera: running the checks",
        "pandera/backends/pandas/container.py",
        "run_checks_and_handle_errors",
    ),
    ("indru-data: reading the CSV text", "indru_data/core/tableio.py", "read_csv_text"),
    (
        "indru-data: typing cells, Frictionless's cell verdicts",
        "indru_data/validation/typing_stage.py",
        "typed_frame",
    ),
    ("indru-data: foreign keys", "indru_data/validation/crosstable.py", "foreign_keys"),
    (
        "indru-data: Parquet agrees with CSV",
        "indru_data/validation/crosstable.py",
        "parquet_agrees",
    ),
]


def profile_validate() -> tuple[str, list[tuple[str, float]]]:
    """cProfile of `indru-data validate` after the baseline imports (so: the excess only)."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "validate.prof"
        code = (
            BASELINE_IMPORTS + "\nimport cProfile, contextlib, io\n"
            "from indru_data.cli import main\n"
            "with contextlib.redirect_stdout(io.StringIO()):\n"
            f"    cProfile.run(\"main(['validate'])\", {str(out)!r})\n"
        )
        run_process(python(code))
        entries = pstats.Stats(str(out)).stats  # type: ignore[attr-defined]
        parts = []
        for label, suffix, function in ATTRIBUTION:
            seconds = sum(
                value[3]
                for (path, _, name), value in entries.items()
                if name == function and path.replace(os.sep, "/").endswith(suffix)
            )
            parts.append((label, seconds))
        return top_profile(str(out), limit=15), parts


# -- 4. scale ------------------------------------------------------------------------------------


def synthetic_package(dest: Path, rows: int) -> Path:
    """A copy of the shipped package whose trade_annual has `rows` valid rows.

    Copy k of the real rows gets unique keys (`<trade_id>-x<k>`) and cites copies of its sources
    (`<source_id>-x<k>`, URL with a `#x<k>` fragment), so keys, (period, flow, reporter, source)
    combinations and URLs stay unique, every source stays cited and totals still equal their
    parts. `indru-data build` then re-derives the preferred flags, the Parquet copies and the
    hashes, so the package is valid.
    """
    from indru_data.core.descriptor import packaged
    from indru_data.release.build import build

    shipped = packaged().root
    for name in ("data", "schemas"):
        shutil.copytree(shipped / name, dest / name)
    shutil.copy2(shipped / "datapackage.json", dest / "datapackage.json")

    def read(path: Path) -> tuple[list[str], list[dict[str, str]]]:
        with path.open(newline="", encoding="utf-8") as handle:
            reader = csv.DictReader(handle)
            return list(reader.fieldnames or []), list(reader)

    trade_path, sources_path = dest / "data" / "trade_annual.csv", dest / "data" / "sources.csv"
    trade_header, trade = read(trade_path)
    sources_header, sources = read(sources_path)
    by_id = {row["source_id"]: row for row in sources}
    out_trade, out_sources = list(trade), list(sources)
    copy = 0
    while len(out_trade) < rows:
        copy += 1
        part = trade[: rows - len(out_trade)]  # the last copy may be partial
        for source_id in sorted({row["source_id"] for row in part}):
            source = dict(by_id[source_id])
            source["source_id"] = f"{source_id}-x{copy}"
            source["url"] = f"{source['url']}#x{copy}"
            out_sources.append(source)
        for row in part:
            row = dict(row)
            row["trade_id"] = f"{row['trade_id']}-x{copy}"
            row["source_id"] = f"{row['source_id']}-x{copy}"
            out_trade.append(row)
    for path, header, data in (
        (trade_path, trade_header, out_trade),
        (sources_path, sources_header, out_sources),
    ):
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=header, lineterminator="\n")
            writer.writeheader()
            writer.writerows(data)
    descriptor = dest / "datapackage.json"
    # The build re-derives `preferred` (copies repeat observations), Parquet and hashes.
    build(descriptor)
    return descriptor


SCALE_RUN = """
import json, sys, time
import pandas, pandera.pandas, frictionless
from indru_data.validation import validate
def memory(key):  # VmRSS (now) or VmHWM (peak) of this process, bytes
    # /proc, not getrusage: ru_maxrss survives fork and exec, so a child started by a large
    # parent (this script after building a synthetic package) would report the parent's peak.
    with open("/proc/self/status") as handle:
        line = next(line for line in handle if line.startswith(key + ":"))
    return int(line.split()[1]) * 1024
# Peak memory at the end of each part, to see which part sets the peak.
from indru_data.validation import crosstable, frictionless_stage, pandera_stage, typing_stage
parts = {}
def watch(module, name, label):
    function = getattr(module, name)
    def watched(*args, **kwargs):
        result = function(*args, **kwargs)
        parts[label] = memory("VmHWM")
        return result
    setattr(module, name, watched)
watch(frictionless_stage, "run", "file stage, structure (Arrow read)")
watch(typing_stage, "typed_frame", "typing cells")
watch(pandera_stage, "check_frame", "Pandera checks and rules")
watch(crosstable, "table_rules", "foreign keys, preferred rows")
watch(crosstable, "parquet_agrees", "Parquet agrees with CSV")
before = memory("VmRSS")
start = time.perf_counter()
report = validate(sys.argv[1])
seconds = time.perf_counter() - start
peak = memory("VmHWM")
print(json.dumps({"valid": report.valid, "seconds": seconds, "stages": report.seconds,
                  "rows": report.rows_checked, "failures": report.to_text()[:2000],
                  "rss_before": before, "peak": peak, "structure": report.structure,
                  "parts": parts}))
"""
# The frames validation checks, as load() returns them: their size in memory (all tables).
FRAME_SIZE = """
import json, sys
from indru_data.core.descriptor import DataPackage
from indru_data.core.tableio import read_parquet
package = DataPackage(sys.argv[1])
print(json.dumps(sum(int(read_parquet(t).memory_usage(deep=True).sum())
                     for t in package.tables.values())))
"""


def profile_scale(descriptor: Path) -> str:
    """cProfile of `validate()` on a synthetic package (after the imports)."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "scale.prof"
        code = (
            BASELINE_IMPORTS + "\nimport cProfile\nfrom indru_data.validation import validate\n"
            f"cProfile.run({f'validate({str(descriptor)!r})'!r}, {str(out)!r})\n"
        )
        run_process(python(code))
        return top_profile(str(out), limit=25)


def bench_scale(s: Settings, r: Results) -> None:
    for size in s.sizes:
        profile = size == s.sizes[-2]  # kept if a target is missed at the largest size
        with tempfile.TemporaryDirectory() as tmp:
            descriptor = synthetic_package(Path(tmp), size)
            _, out = run_process([sys.executable, "-c", SCALE_RUN, str(descriptor)])
            _, frame = run_process([sys.executable, "-c", FRAME_SIZE, str(descriptor)])
            if profile:
                r.scale_profile = profile_scale(descriptor)
        run = json.loads(out)
        if not run["valid"]:
            raise RuntimeError(f"the synthetic package of {size} rows is not valid:\n{run}")
        total_rows = sum(run["rows"].values())
        r.scale.append(
            {
                "size": size,
                "rows": total_rows,
                "trade_rows": run["rows"]["trade_annual"],
                "seconds": run["seconds"],
                "stages": run["stages"],
                "us_per_row": run["seconds"] / total_rows * 1e6,
                "rows_per_s": total_rows / run["seconds"],
                "frame": json.loads(frame),
                "peak": run["peak"],
                "growth": run["peak"] - run["rss_before"],
                "arrow": sum(v == "arrow" for v in run["structure"].values()),
                "parts": {k: v - run["rss_before"] for k, v in run["parts"].items()},
            }
        )


# -- report --------------------------------------------------------------------------------------


def environment(s: Settings) -> dict[str, str]:
    def version(dist: str) -> str:
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
        "runs": f"{s.runs} whole-process runs per command, {s.repeats} repeats per load",
    }


def fmt_s(seconds: float) -> str:
    return f"{seconds:.3f} s"


def fmt_mb(n: float) -> str:
    return f"{n / 1024**2:,.0f} MB"


def fmt_ms(ms: float) -> str:
    return f"{ms:.2f} ms"


def render(r: Results) -> str:
    s = r.settings
    imp = ratio(r.imports["indru_data"], r.imports["pandas"])
    worst = max(r.loads, key=lambda row: row["ratio"])
    val = ratio(r.validate["validate"], r.validate["baseline"])
    lines = [
        "# Performance",
        "",
        "Generated by `python benchmarks/run.py"
        + (" --quick" if s.quick else "")
        + "`: every number below comes from one run on one machine. Do not edit by hand;",
        "rerun the command. Ratios compare two measurements of the same run, so they travel",
        "between machines better than the absolute times.",
        "",
        "| | |",
        "|---|---|",
        *(f"| {k} | {v} |" for k, v in r.environment.items()),
        "",
        "## Targets",
        "",
        "| measure | measured | target | |",
        "|---|---|---|---|",
        f"| `import indru_data` / `import pandas` (whole process) | {imp:.2f}x | "
        f"≤ {IMPORT_TARGET:.2f}x | {verdict(imp <= IMPORT_TARGET)} |",
        f"| `load(name)` / `pq.read_table(path).to_pandas()`, worst table ({worst['table']}) | "
        f"{worst['ratio']:.2f}x | ≤ {LOAD_TARGET:.1f}x per table | "
        f"{verdict(worst['ratio'] <= LOAD_TARGET)} |",
        f'| `indru-data validate` / `python -c "{BASELINE_IMPORTS}"` (see 3.) | {val:.2f}x | '
        f"≤ {VALIDATE_TARGET:.1f}x | {verdict(val <= VALIDATE_TARGET)} |",
        f"| `indru-data validate`, median | {fmt_s(r.validate['validate'])} | "
        f"≤ {VALIDATE_SECONDS:.0f} s | {verdict(r.validate['validate'] <= VALIDATE_SECONDS)} |",
        f"| validation time per row, {s.sizes[-1]:,} vs {s.sizes[0]:,} trade rows | "
        f"{ratio(r.scale[-1]['us_per_row'], r.scale[0]['us_per_row']):.2f}x | "
        f"linear (≤ {SCALE_TOLERANCE:.2f}x) | "
        f"{verdict(r.scale[-1]['us_per_row'] <= SCALE_TOLERANCE * r.scale[0]['us_per_row'])} |",
        f"| `validate()` rows checked per second, {s.sizes[-1]:,} trade rows | "
        f"{r.scale[-1]['rows_per_s']:,.0f} rows/s | ≥ {ROWS_PER_S:,} rows/s | "
        f"{verdict(r.scale[-1]['rows_per_s'] >= ROWS_PER_S)} |",
        f"| `validate()` peak memory added / the frames' size, {s.sizes[-1]:,} trade rows | "
        f"{memory_ratio(r.scale[-1]):.2f}x | ≤ {MEMORY_RATIO:.1f}x | "
        f"{verdict(memory_ratio(r.scale[-1]) <= MEMORY_RATIO)} |",
        "",
    ]
    lines += render_import(r, imp)
    lines += render_load(r, worst)
    lines += render_validate(r, val)
    lines += render_scale(r)
    lines += [
        "## What the code does for these numbers",
        "",
        "- Validation, structure: Frictionless checks the descriptor and schemas once. The file",
        "  stage reads each CSV once in 16 MiB blocks (hash, NUL, UTF-8, carriage returns). Arrow's",
        "  multithreaded CSV reader, every column declared as text, then reads each file whose",
        "  structure it can vouch for (validation/arrow_stage.py: plain CSV dialect, header equal",
        "  to the schema, one cell per field in every row, no blank row) and hands the text to",
        "  the cell checks; any other file is read by Frictionless, the reference, row by row, as",
        "  before. tests/test_differential.py and tests/test_faults.py require the same failures",
        "  from both paths. Pandera registers its backends with hypothesis hidden.",
        "- Validation, cells: on the reference path Frictionless reads structure against schemas",
        "  cut down to field names, instead of reading and casting every cell in Python and",
        "  re-reading the sources table for every foreign key. Each cell still gets",
        "  Frictionless's verdict (validation/cells.py): a column whose cells are all in a",
        "  canonical form Frictionless is known to accept is typed by Arrow in a few kernels",
        "  (regex shape, cast, Arrow's date parser; validation/typing_stage.py); any other column",
        "  takes the pandas route, where each doubtful distinct value is read by Frictionless's",
        "  own field reader. A schema using anything else is validated by Frictionless in full.",
        "- Validation, checks: the Pandera model runs on the typed frame; its enum and length",
        "  checks run on the column's Arrow array, a one-column text key whose values are all",
        '  distinct is settled by one Arrow count. Foreign keys and "every source cited" use',
        "  Arrow's `is_in` over distinct keys, preferred rows one `lexsort` per table, the",
        "  Parquet copy is compared with the CSV as Arrow tables column by column (pandas only",
        "  words a difference). Each text column is released once typed.",
        "- Start-up: Frictionless checks the descriptor from its parsed JSON (given a path, it",
        "  also exported the whole package back to JSON: 0.2 s); `indru-data validate` imports the",
        "  libraries, then `gc.freeze()`s their objects so that full garbage collections stop",
        "  rescanning them (about 0.2 s); Pandera registers its backends with hypothesis hidden.",
        "- Load: `ParquetFile.read` and one Arrow-to-pandas type mapping; a column already of",
        "  its dtype is not cast again, and vocabularies' dtypes are built once.",
        "",
        "## How it is measured",
        "",
        "- Whole-process times are wall-clock medians of N runs of a fresh interpreter (the one",
        "  running the script), after one untimed warm-up run of each command; the commands",
        "  alternate so that a slow moment of the machine hits both sides of a ratio.",
        "  `PYTHONDONTWRITEBYTECODE` is removed for them, so indru-data's bytecode is cached as it",
        "  is after `pip install` (pip compiled the dependencies' when it installed them).",
        "- `indru-data validate` is timed with `--format json`, which prints `Report.seconds` for",
        "  the stage split; printing JSON instead of text costs microseconds.",
        "- Loads are measured in one process: `load` with its cache cleared (a first load) against",
        "  `pyarrow.parquet.read_table(path).to_pandas()` on the same file, alternating; the",
        "  cached load (a copy of the cached frame) and the CSV load are shown beside them.",
        "- Scaling: `trade_annual` is extended to N rows by copies of its real rows with unique",
        "  keys, each copy citing its own copies of the sources (so `sources` grows too); Parquet",
        "  is rebuilt and hashes re-recorded with `indru-data build`, and the benchmark stops if",
        "  the package is not valid. Time is `validate()` in a process that has imported pandas,",
        "  pandera and frictionless; per row means per row of all tables.",
        "",
    ]
    return "\n".join(lines)


def render_import(r: Results, imp: float) -> list[str]:
    lines = [
        "## 1. Import",
        "",
        "| command | median |",
        "|---|---|",
        f'| `python -c "import indru_data"` | {fmt_s(r.imports["indru_data"])} |',
        f'| `python -c "import pandas"` | {fmt_s(r.imports["pandas"])} |',
        f"| ratio | {imp:.2f}x (target ≤ {IMPORT_TARGET:.2f}x: {verdict(imp <= IMPORT_TARGET)}) |",
        "",
        "`import indru_data` imports pandas and the standard library only; pyarrow loads at the",
        "first Parquet read, pandera and frictionless only when validating",
        "(tests/test_imports.py checks `import indru_data`, `load()`, `indru-data --help` and",
        "`indru-data list`).",
        "",
    ]
    if r.import_profile:
        lines += [
            "Missed: modules `import indru_data` loads beyond `import pandas`"
            " (`-X importtime`, cumulative):",
            "",
            "| module | ms |",
            "|---|---|",
            *(f"| `{name}` | {ms:.1f} |" for name, ms in r.import_profile),
            "",
        ]
    return lines


def render_load(r: Results, worst: dict[str, Any]) -> list[str]:
    lines = [
        "## 2. Load",
        "",
        "| table | rows | floor: `read_table().to_pandas()` | `load()` first | ratio "
        '| `load()` cached | `load(name, "csv")` |',
        "|---|---|---|---|---|---|---|",
    ]
    for row in r.loads:
        lines.append(
            f"| {row['table']} | {row['rows']} | {fmt_ms(row['floor'])} | {fmt_ms(row['load'])} "
            f"| {row['ratio']:.2f}x | {fmt_ms(row['cached'])} | {fmt_ms(row['csv'])} |"
        )
    lines += [
        "",
        f"Target ≤ {LOAD_TARGET:.1f}x per table: {verdict(worst['ratio'] <= LOAD_TARGET)}"
        f" (worst: {worst['table']}, {worst['ratio']:.2f}x). `load()` reads with",
        "`ParquetFile.read` (no dataset discovery) and maps Arrow types to the loaders' dtypes",
        "in `to_pandas` (`types_mapper`, `date_as_object=False`), so a Parquet column needs no",
        "second cast; below 100k rows it reads without Arrow's thread pool. A repeated load",
        "returns a copy of a cached frame, which the caller cannot change.",
        "",
    ]
    if r.load_profile:
        lines += [
            f"Missed: profile of 20 first loads of {worst['table']}:",
            "",
            "```",
            r.load_profile,
            "```",
            "",
        ]
    return lines


def render_validate(r: Results, val: float) -> list[str]:
    v = r.validate
    lines = [
        "## 3. Validate",
        "",
        "| process | median | / baseline |",
        "|---|---|---|",
        "| `indru-data validate --format json` (the shipped package)"
        f" | {fmt_s(v['validate'])} | {val:.2f}x |",
    ]
    if "validate_no_hypothesis" in v:
        lines.append(
            "| the same, hypothesis hidden (a user's install without the test extras)"
            f" | {fmt_s(v['validate_no_hypothesis'])}"
            f" | {ratio(v['validate_no_hypothesis'], v['baseline']):.2f}x |"
        )
    lines += [
        f'| baseline: `python -c "{BASELINE_IMPORTS}"` | {fmt_s(v["baseline"])} | 1.00x |',
        "| the libraries' first use: the baseline, then Frictionless validates and pandas"
        " reads a 1-row CSV, Pandera validates it, pyarrow writes and reads 1-row Parquet"
        f" | {fmt_s(v['first_use'])} | {ratio(v['first_use'], v['baseline']):.2f}x |",
        "",
        f"Targets: ≤ {VALIDATE_TARGET:.1f}x {verdict(val <= VALIDATE_TARGET)};"
        f" ≤ {VALIDATE_SECONDS:.0f} s {verdict(v['validate'] <= VALIDATE_SECONDS)}.",
        "",
        "Time per stage (`Report.seconds`, median):",
        "",
        "| stage | in `indru-data validate` (includes importing the library) "
        "| after importing pandas, pandera, frictionless |",
        "|---|---|---|",
    ]
    for stage in r.stages_cli:
        lines.append(
            f"| {stage} | {fmt_s(r.stages_cli[stage])} | {fmt_s(r.stages_warm.get(stage, 0))} |"
        )
    total_cli, total_warm = sum(r.stages_cli.values()), sum(r.stages_warm.values())
    lines += [f"| total | {fmt_s(total_cli)} | {fmt_s(total_warm)} |", ""]
    lines += [
        "Frictionless checks the descriptor, hashes, byte counts and each file's structure; the",
        "cells' types, formats and constraints get Frictionless's verdict column-wise",
        "(validation/cells.py and typing_stage.py, in the Pandera stage), keys and `x-checks`",
        "rules run in Pandera, foreign keys, sources cited and CSV/Parquet agreement in the",
        "cross-table stage.",
        "",
    ]
    if r.validate_profile:
        excess = v["validate"] - v["baseline"]
        first_use = v["first_use"] - v["baseline"]
        lines += [
            f"Where the {excess:.3f} s beyond the baseline go: the libraries' first use alone"
            f" costs {first_use:.3f} s",
            "(the row above: Frictionless discovers and imports its plugins and validates its",
            "metadata with jsonschema; Pandera registers its backends, which imports its",
            "strategies module and, when installed, hypothesis; pyarrow imports its Parquet",
            f"module). The rest is reading and checking the {len(r.loads)} tables. cProfile of",
            "`indru-data validate` after the baseline imports (profiling inflates times):",
            "",
            "| part (cumulative, profiled; plugin discovery is inside the first metadata"
            " check) | s |",
            "|---|---|",
            *(f"| {label} | {seconds:.3f} |" for label, seconds in r.validate_parts),
            "",
            "The heaviest entries:",
            "",
            "```",
            r.validate_profile,
            "```",
            "",
        ]
    return lines


def memory_ratio(row: dict[str, Any]) -> float:
    return ratio(row["growth"], row["frame"])


def render_scale(r: Results) -> list[str]:
    base = r.scale[0]["us_per_row"]
    lines = [
        "## 4. Scale",
        "",
        "`validate()` on synthetic extensions of `trade_annual` (rows of all tables checked).",
        "",
        "| trade_annual rows | rows checked | validate | frictionless | pandera | cross-table "
        "| µs per row | vs smallest | rows/s | frames | peak RSS | added | added / frames |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for row in r.scale:
        st = row["stages"]
        lines.append(
            f"| {row['trade_rows']:,} | {row['rows']:,} | {fmt_s(row['seconds'])} "
            f"| {fmt_s(st.get('frictionless', 0))} | {fmt_s(st.get('pandera', 0))} "
            f"| {fmt_s(st.get('cross-table', 0))} | {row['us_per_row']:.1f} "
            f"| {ratio(row['us_per_row'], base):.2f}x | {row['rows_per_s']:,.0f} "
            f"| {fmt_mb(row['frame'])} | {fmt_mb(row['peak'])} | {fmt_mb(row['growth'])} "
            f"| {memory_ratio(row):.2f}x |"
        )
    last = r.scale[-1]
    largest = max(last["stages"], key=lambda k: last["stages"][k])
    linear = last["us_per_row"] <= SCALE_TOLERANCE * base
    lines += [
        "",
        (
            "Linear: the time per row does not grow with the rows (it falls while fixed costs,"
            " such as the libraries' first use, spread over more rows)."
            if linear
            else f"Not linear: the time per row at {last['trade_rows']:,} rows is"
            f" {ratio(last['us_per_row'], base):.2f}x that at the smallest size."
        )
        + f" At {last['trade_rows']:,} rows the largest stage is {largest}"
        f" ({last['stages'][largest] / last['seconds']:.0%} of the time).",
        "",
        "rows/s: rows of all tables checked per second of `validate()`. Memory: `frames` is the",
        "size of every table as `load()` returns it (`memory_usage(deep=True)`), `peak RSS` the",
        "validating process's peak resident memory (`VmHWM`), `added` that peak less",
        "the process's memory after importing the libraries, before validating. The structure",
        f"stage read {last['arrow']} of {len(r.loads)} tables with Arrow"
        " at the largest size (the rest with Frictionless).",
        "",
    ]
    lines += [
        f"Memory added by the end of each part at {last['trade_rows']:,} trade rows (the peak so"
        " far, less the memory before validating; frames: "
        f"{fmt_mb(last['frame'])}):",
        "",
        "| part (in order) | peak added so far | / frames |",
        "|---|---|---|",
        *(
            f"| {label} | {fmt_mb(added)} | {ratio(added, last['frame']):.2f}x |"
            for label, added in last["parts"].items()
        ),
        "",
    ]
    missed = last["rows_per_s"] < ROWS_PER_S or memory_ratio(last) > MEMORY_RATIO
    if missed and r.scale_profile:
        lines += [
            f"Missed at {last['trade_rows']:,} rows: cProfile of `validate()` at"
            f" {r.scale[-2]['trade_rows']:,} trade rows (profiling inflates times; the",
            "stage split above is unprofiled):",
            "",
            "```",
            r.scale_profile,
            "```",
            "",
        ]
    return lines


# -- main ----------------------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--quick", action="store_true", help="small sizes, few repeats (for CI)")
    p.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help="Markdown file to write")
    p.add_argument("--runs", type=int, help="whole-process runs per command")
    args = p.parse_args(argv)
    s = Settings(
        quick=args.quick,
        runs=args.runs or (2 if args.quick else 11),
        repeats=5 if args.quick else 40,
        sizes=[1_000, 5_000] if args.quick else [100_000, 1_000_000, 5_000_000],
    )
    r = Results(s, environment(s))
    for name, step in (
        ("import", bench_import),
        ("load", bench_load),
        ("validate", bench_validate),
        ("scale", bench_scale),
    ):
        start = time.perf_counter()
        step(s, r)
        print(f"{name}: {time.perf_counter() - start:.1f} s", file=sys.stderr)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(render(r), encoding="utf-8")
    print(f"wrote {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
