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
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from bench_scale import bench_scale
from bench_startup import bench_import, bench_load, bench_validate
from common import DEFAULT_OUTPUT, Results, Settings, environment
from report import render


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--quick", action="store_true", help="small sizes, few repeats (for CI)")
    p.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help="Markdown file to write")
    p.add_argument("--runs", type=int, help="whole-process runs per command")
    args = p.parse_args(argv)
    s = Settings(
        quick=args.quick,
        runs=args.runs or (2 if args.quick else 11),
        repeats=3 if args.quick else 40,
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
