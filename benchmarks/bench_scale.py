"""Scale benchmarks: validate() on synthetic extensions of trade_annual (rows/s and peak memory against the frames' size)."""

from __future__ import annotations

import cProfile
import csv
import json
import shutil
import sys
import tempfile
from pathlib import Path

from common import BASELINE_IMPORTS, Results, Settings, python, run_process, top_profile


def synthetic_package(dest: Path, rows: int) -> Path:
    """A copy of the shipped package whose trade_annual has `rows` valid rows.

    Copy k of the real rows gets unique keys (`<trade_id>-x<k>`) and cites copies of its sources
    (`<source_id>-x<k>`, URL with a `#x<k>` fragment), so keys, (period, flow, reporter, source)
    combinations and URLs stay unique, every source stays cited and totals still equal their
    parts. `indru-data build` then re-derives the preferred flags, the Parquet copies and the
    hashes, so the package is valid.
    """
    from indru_data.core.descriptor import DataPackage, packaged
    from indru_data.release.build import plan

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
    # The build re-derives `preferred` (copies repeat observations), Parquet and hashes. Its
    # plan and writes only: build() first validates the CSV files, and each synthetic package
    # is then validated anyway (the measured run, which must find it valid), so every size was
    # validated twice. Same files as build(descriptor).
    for output in plan(DataPackage(descriptor)):
        if not output.same:
            output.write(inside=dest)
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
from indru_data.validation import (
    cross_table,
    structure,
    pandera_checks,
    parquet_agreement,
    cell_types,
    row_rules,
)
parts = {}
def watch(module, name, label):
    function = getattr(module, name)
    def watched(*args, **kwargs):
        result = function(*args, **kwargs)
        parts[label] = memory("VmHWM")
        return result
    setattr(module, name, watched)
watch(structure, "run", "file stage, structure (Arrow read)")
watch(cell_types, "typed_frame", "typing cells")
watch(pandera_checks, "check_frame", "Pandera checks")
watch(row_rules, "check_rows", "row rules")
watch(cross_table, "table_rules", "foreign keys, preferred rows")
watch(parquet_agreement, "parquet_agrees", "Parquet agrees with CSV")
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


# The least any validation must do: read each file once. Each CSV's bytes (hashed, as its
# recorded hash is checked), its cells (Arrow's multithreaded reader, every column as text, as
# the fast path reads them) and its Parquet copy (compared with the CSV), nothing checked.
FLOOR_RUN = """
import hashlib, json, sys, time
import pyarrow as pa, pyarrow.csv as pacsv, pyarrow.parquet as pq
from indru_data.core.descriptor import DataPackage
package = DataPackage(sys.argv[1])
start = time.perf_counter()
for table in package.tables.values():
    digest = hashlib.md5()
    with table.path.open("rb") as handle:
        while block := handle.read(1 << 24):
            digest.update(block)
    names = table.field_names
    pacsv.read_csv(table.path, convert_options=pacsv.ConvertOptions(
        column_types={name: pa.large_string() for name in names}))
    pq.ParquetFile(table.parquet_path).read()
print(json.dumps(time.perf_counter() - start))
"""


def frame_size(descriptor: Path | str) -> int:
    """The frames validation checks, as load() returns them: their size in memory (all tables)."""
    from indru_data.core.descriptor import DataPackage
    from indru_data.core.tableio import read_parquet

    package = DataPackage(descriptor)
    return sum(int(read_parquet(t).memory_usage(deep=True).sum()) for t in package.tables.values())


# frame_size() in its own process, so that the full run's millions of rows of frames do not
# stay in this one; quick mode's few thousand rows are read here instead.
FRAME_SIZE = f"""
import json, sys
sys.path.insert(0, {str(Path(__file__).resolve().parent)!r})
from bench_scale import frame_size
print(json.dumps(frame_size(sys.argv[1])))
"""


def profile_scale(descriptor: Path, in_process: bool = False) -> str:
    """cProfile of `validate()` on a synthetic package (after the imports).

    `in_process` (quick mode) profiles in this process, saving a process start and the
    imports; a validation profiled here before (a missed validate target) has then already
    paid the libraries' first use, which the full run's million rows make negligible anyway.
    """
    if in_process:
        from indru_data.validation import validate

        profile = cProfile.Profile()
        profile.runcall(validate, str(descriptor))
        return top_profile(profile, limit=25)
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
            floor = json.loads(run_process([sys.executable, "-c", FLOOR_RUN, str(descriptor)])[1])
            if s.quick:
                frame = frame_size(descriptor)
            else:
                frame = json.loads(
                    run_process([sys.executable, "-c", FRAME_SIZE, str(descriptor)])[1]
                )
            if profile:
                r.scale_profile = profile_scale(descriptor, in_process=s.quick)
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
                "floor": floor,
                "stages": run["stages"],
                "us_per_row": run["seconds"] / total_rows * 1e6,
                "rows_per_s": total_rows / run["seconds"],
                "frame": frame,
                "peak": run["peak"],
                "growth": run["peak"] - run["rss_before"],
                "arrow": sum(v == "arrow" for v in run["structure"].values()),
                "parts": {k: v - run["rss_before"] for k, v in run["parts"].items()},
            }
        )
