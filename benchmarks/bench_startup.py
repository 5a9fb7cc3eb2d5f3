"""Start-up benchmarks: import time, load() against reading Parquet directly, and `indru-data validate` against importing its libraries."""

from __future__ import annotations

import contextlib
import cProfile
import io
import json
import os
import pstats
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from common import (
    BASELINE_IMPORTS,
    FIRST_USE,
    IMPORT_TARGET,
    LOAD_TARGET,
    NO_HYPOTHESIS,
    VALIDATE_SECONDS,
    VALIDATE_TARGET,
    Results,
    Settings,
    child_env,
    cli,
    median_processes,
    python,
    ratio,
    run_process,
    top_profile,
)


def bench_import(s: Settings, r: Results) -> None:
    r.imports = median_processes(
        {"indru_data": python("import indru_data"), "pandas": python("import pandas")},
        s.runs,
        warm_up=not s.quick,
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


def hypothesis_installed() -> bool:
    import importlib.util

    return importlib.util.find_spec("hypothesis") is not None


def as_command(*args: str) -> str:
    """Python that imports main to run `indru-data ARGS` as the process's command: main()
    reads sys.argv like the console script's, and only then does validate gc.freeze()."""
    return f"import sys\nsys.argv[1:] = {list(args)!r}\nfrom indru_data.cli import main\n"


def bench_validate(s: Settings, r: Results) -> None:
    # `--format json` prints Report.seconds; the JSON output itself costs microseconds.
    commands = {
        "validate": [*cli(), "validate", "--format", "json"],
        "baseline": python(BASELINE_IMPORTS),
        "first_use": python(FIRST_USE),
        "validate_warm": python(
            BASELINE_IMPORTS + "\n" + as_command("validate", "--format", "json") + "main()"
        ),
    }
    # Not in quick mode: the Pandera stage hides hypothesis itself (pandera_checks.py), so this
    # process measures the same as `validate` (docs/performance.md: 2.19 s against 2.08 s).
    if hypothesis_installed() and not s.quick:
        commands["validate_no_hypothesis"] = python(
            NO_HYPOTHESIS + as_command("validate") + "sys.exit(main())"
        )
    # The same command held to one CPU: what it costs where only one CPU is free.
    if hasattr(os, "sched_setaffinity"):
        commands["validate_one_cpu"] = python(
            ONE_CPU + as_command("validate", "--format", "json") + "sys.exit(main())"
        )
    outputs: dict[str, list[str]] = {}
    r.validate = median_processes(commands, s.runs, outputs, warm_up=not s.quick)

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
        r.validate_profile, r.validate_parts = profile_validate(in_process=s.quick)


ONE_CPU = "import os\nos.sched_setaffinity(0, {min(os.sched_getaffinity(0))})\n"

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
        "indru_data/validation/cell_types.py",
        "typed_frame",
    ),
    ("indru-data: foreign keys", "indru_data/validation/cross_table.py", "foreign_keys"),
    (
        "indru-data: Parquet agrees with CSV",
        "indru_data/validation/parquet_agreement.py",
        "parquet_agrees",
    ),
]


def profile_validate(in_process: bool = False) -> tuple[str, list[tuple[str, float]]]:
    """cProfile of `indru-data validate` after the baseline imports (so: the excess only).

    `in_process` (quick mode) profiles in this process, which has imported pandas and pyarrow
    for the loads but not yet validated anything, so the libraries' first use is still in the
    profile; a fresh process would add only its interpreter start and imports, unprofiled.
    """
    if in_process:
        import frictionless  # noqa: F401 - the baseline imports, outside the profile
        import pandera.pandas  # noqa: F401

        from indru_data.cli import main

        profile = cProfile.Profile()
        with contextlib.redirect_stdout(io.StringIO()):
            profile.runcall(main, ["validate"])
        return top_profile(profile, limit=15), attribute(pstats.Stats(profile))
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "validate.prof"
        code = (
            BASELINE_IMPORTS
            + "\nimport cProfile, contextlib, io\n"
            + as_command("validate")
            + "with contextlib.redirect_stdout(io.StringIO()):\n"
            + f"    cProfile.run('main()', {str(out)!r})\n"
        )
        run_process(python(code))
        return top_profile(str(out), limit=15), attribute(pstats.Stats(str(out)))


def attribute(stats: pstats.Stats) -> list[tuple[str, float]]:
    """Cumulative seconds of each ATTRIBUTION part in a profile."""
    entries = stats.stats  # type: ignore[attr-defined]
    parts = []
    for label, suffix, function in ATTRIBUTION:
        seconds = sum(
            value[3]
            for (path, _, name), value in entries.items()
            if name == function and path.replace(os.sep, "/").endswith(suffix)
        )
        parts.append((label, seconds))
    return parts
