"""Rebuild the release zip of a past version from the files of its release commit.

The zips of 0.1.0 and 0.2.0 were not kept (`dist/` is git-ignored and nothing was published),
so their entries in releases/index.json were made by this script:

    python scripts/rebuild_release_zip.py 0.2.0 cc7123b 2026-12-03 --note "..."
    python scripts/rebuild_release_zip.py 0.1.0 1ce707a 2026-11-25 --folder releases/0.1.0 \
        --note "..."

(0.1.0, the baseline, was kept as CSV files in releases/0.1.0/ until commit 3dc6eb7 turned
them into Parquet; 1ce707a is the commit before it. The exports in the zip read Parquet: when
the commit has none, the Parquet files kept in releases/<version>/ are used, which hold the
same values.)

It exports the commit's datapackage.json, data/*.csv, schemas/, CITATION.cff and
docs/codebook.md with `git archive` into a temporary folder, checks that the descriptor is the
one kept in releases/<version>/ (so the CSV files are the released ones: the descriptor records
each file's SHA-256), writes the zip with `release_zip` (the same function `indru-data release`
uses, dated with the release date) into dist/, and records its SHA-256 in releases/index.json.
"""

from __future__ import annotations

import argparse
import io
import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path

from indru_data.release.publish import record_release, release_zip

ROOT = Path(__file__).resolve().parent.parent
FILES = ["datapackage.json", "data", "schemas", "CITATION.cff", "docs/codebook.md"]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("version")
    ap.add_argument("commit", help="the commit that made releases/<version>")
    ap.add_argument("date", help="the release date, YYYY-MM-DD")
    ap.add_argument("--note", default="")
    ap.add_argument(
        "--folder", default="", help="where the package sits in that commit (default: the root)"
    )
    args = ap.parse_args()
    tree = subprocess.run(
        ["git", "-C", str(ROOT), "ls-tree", "-r", "--name-only", args.commit],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    prefix = args.folder.strip("/") + "/" if args.folder else ""
    wanted = [
        prefix + f
        for f in FILES
        if any(t == prefix + f or t.startswith(prefix + f + "/") for t in tree)
    ]
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", "--format=tar", f"{args.commit}:{args.folder}"]
        + [w[len(prefix) :] for w in wanted],
        capture_output=True,
        check=True,
    ).stdout
    with tempfile.TemporaryDirectory() as tmp:
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(tmp, filter="data")
        kept = ROOT / "releases" / args.version / "datapackage.json"
        if (Path(tmp) / "datapackage.json").read_bytes() != kept.read_bytes():
            raise SystemExit(f"{args.commit}: datapackage.json is not the one kept in {kept}")
        parquet = Path(tmp) / "data" / "parquet"
        if not parquet.is_dir():  # the exports read Parquet: the kept release's (SHA256SUMS)
            shutil.copytree(kept.parent / "data" / "parquet", parquet)
        out = ROOT / "dist" / f"indru-data-{args.version}.zip"
        out.parent.mkdir(exist_ok=True)
        zipped = release_zip(Path(tmp) / "datapackage.json", out, date=args.date, overwrite=True)
    index = record_release(ROOT / "releases", args.version, args.date, zipped, args.note)
    print(f"{zipped}\n{index}")


if __name__ == "__main__":
    main()
