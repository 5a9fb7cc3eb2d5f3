"""`indru-data build`: derive every generated file from the hand-edited CSV files and schemas.

Derived files: the tables computed from other tables (indru_data.findings.derived:
`unga_agreement` from the General Assembly votes, `relationship_panel` from the series), the Parquet copy of each table, the resources'
hash/bytes/version in datapackage.json, and, in a source checkout, the typed loader module and the codebook.
Everything is computed in memory first and written only when all of it succeeded, each file
through a temporary file and a rename, so a failing build leaves the previous files intact.
`check=True` writes nothing and lists the files that are stale. A build first validates the
CSV files and refuses (writing nothing) when they break their schemas.
"""

from __future__ import annotations

import hashlib
import io
import json
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from indru_data.core.descriptor import DataPackage, Table, packaged
from indru_data.core.files import confined, write_atomic
from indru_data.core.tableio import frame_to_arrow, read_csv


class BuildError(Exception):
    """A table could not be built; the message names the table and file."""


@dataclass(frozen=True)
class Output:
    path: Path
    content: bytes
    same: bool  # True when the file on disk already holds this content

    def write(self, inside: Path) -> None:
        write_atomic(self.path, lambda tmp: tmp.write_bytes(self.content), inside=inside)


def parquet_bytes(frame: pd.DataFrame, table: Table) -> bytes:
    import pyarrow.parquet as pq

    buffer = io.BytesIO()
    pq.write_table(frame_to_arrow(frame, table), buffer, compression="zstd", write_statistics=True)
    return buffer.getvalue()


def _parquet_output(frame: pd.DataFrame, table: Table) -> Output:
    from indru_data.validation.parquet_agreement import first_difference

    content = parquet_bytes(frame, table)
    same = False
    if table.parquet_path.is_file():
        if table.parquet_path.read_bytes() == content:
            same = True
        else:
            # Another pyarrow version writes other bytes for the same data: compare content.
            from indru_data.core.tableio import read_parquet

            try:
                same = first_difference(frame, read_parquet(table)) is None
            except Exception:
                same = False
    return Output(table.parquet_path, content, same)


def descriptor_json(
    package: DataPackage, version: str | None, contents: dict[Path, bytes] | None = None
) -> bytes:
    """The descriptor with each resource's hash and size; `contents` holds CSV bytes about to be
    written by this build (so the hash is the new file's, not the old one's).

    Reviewed against Frictionless (issue 17): `Resource.infer(stats=True)` also yields a
    sha256 and a byte count, but it parses every row to get them (seconds per 100k rows) and
    reports them in its v5 `stats` object; what Frictionless checks on validation is the
    `hash: "sha256:<hex>"` and `bytes` properties written here, and those need only the
    file's bytes. So hashlib over the bytes, which is also what makes the check exact.
    """
    contents = contents or {}
    d = dict(package.descriptor)
    if version is not None:
        d["version"] = version
    resources = []
    for res in d.get("resources", []):
        res = dict(res)
        table = package.table(res["name"])
        data = contents.get(table.path) or table.path.read_bytes()
        res.update(
            {
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                # Stated, not sniffed: a note with semicolons must not make a reader guess ';'.
                "dialect": {"delimiter": ",", "quoteChar": '"', "header": True},
                "bytes": len(data),
                "hash": "sha256:" + hashlib.sha256(data).hexdigest(),
                "x-parquet": str(table.parquet_path.relative_to(package.root)),
            }
        )
        resources.append(res)
    d["resources"] = resources
    return (json.dumps(d, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def _text_output(path: Path, content: bytes) -> Output:
    return Output(path, content, path.is_file() and path.read_bytes() == content)


def _preferred_csv(
    table: Table, frames: dict[str, pd.DataFrame], package: DataPackage
) -> bytes | None:
    """The CSV with its `preferred` column re-derived (updating `frames`), or None if unchanged.

    Only that column is rewritten; every other cell keeps its exact text.
    """
    key = table.observation_key
    if key is None or "preferred" not in table.field_names or "sources" not in frames:
        return None
    from indru_data.core.preferred import derive

    frame = frames[table.name]
    flags = derive(frame, key, table.primary_key, frames["sources"])
    if frame["preferred"].astype("boolean").fillna(False).astype(bool).equals(flags):
        return None
    frames[table.name] = frame.assign(preferred=flags.astype("boolean"))
    import csv

    with table.path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    column = rows[0].index("preferred")
    for row, flag in zip(rows[1:], flags, strict=True):
        row[column] = "true" if flag else "false"
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue().encode("utf-8")


def _derived_csv(table: Table, frames: dict[str, pd.DataFrame]) -> bytes | None:
    """The CSV of a table the build computes from other tables (updating `frames`), or None
    when the table is not one of them, its inputs are not in the package, or it is unchanged.
    """
    from indru_data.findings.derived import DERIVED_TABLES, derived_csv

    if table.name not in DERIVED_TABLES:
        return None
    inputs, _ = DERIVED_TABLES[table.name]
    if not all(name in frames for name in inputs):
        return None
    try:
        content = derived_csv(table.name, frames).encode("utf-8")
    except (KeyError, ValueError, TypeError, AttributeError) as exc:
        raise BuildError(f"{table.name}: not derived from {', '.join(inputs)} ({exc})") from None
    if table.path.is_file() and table.path.read_bytes() == content:
        return None
    from indru_data.core.dtypes import coerce_frame

    text = pd.read_csv(
        io.BytesIO(content), dtype=str, keep_default_na=False, na_values=[""], encoding="utf-8"
    )
    try:
        frames[table.name] = coerce_frame(text, table)
    except (KeyError, ValueError, TypeError) as exc:
        raise BuildError(
            f"{table.name}: the derived rows do not fit schemas/{table.name}.schema.json ({exc})"
        ) from None
    return content


def _citation_output(package: DataPackage, version: str | None) -> Output | None:
    """CITATION.cff with the package's version; the release date is kept only for that version."""
    from indru_data.core.citation import CITATION_NAME, read_citation, with_version

    path = package.root / CITATION_NAME
    if not path.is_file():
        return None
    version = version or package.version
    text = path.read_text(encoding="utf-8")
    cff = read_citation(path)
    date = cff.get("date-released") if str(cff.get("version")) == version else None
    return _text_output(path, with_version(text, version, str(date) if date else None).encode())


def plan(package: DataPackage, version: str | None = None) -> list[Output]:
    """Every derived file with its new content; raises BuildError before anything is written."""
    frames: dict[str, pd.DataFrame] = {}
    for table in package.tables.values():
        try:
            frames[table.name] = read_csv(table)
        except FileNotFoundError:
            raise BuildError(f"{table.name}: file not found: {table.path}") from None
        except (KeyError, ValueError, TypeError) as exc:
            raise BuildError(
                f"{table.name}: {table.path} cannot be typed by its schema ({exc}); "
                "run `indru-data validate` to see every failing cell"
            ) from None
    outputs = []
    csv_contents: dict[Path, bytes] = {}
    for table in package.tables.values():
        refreshed = _preferred_csv(table, frames, package)
        if refreshed is not None:
            csv_contents[table.path] = refreshed
            outputs.append(_text_output(table.path, refreshed))
    for table in package.tables.values():  # after `preferred`: derived tables may read it
        derived = _derived_csv(table, frames)
        if derived is not None:
            csv_contents[table.path] = derived
            outputs.append(_text_output(table.path, derived))
    for table in package.tables.values():
        try:
            outputs.append(_parquet_output(frames[table.name], table))
        except (ValueError, TypeError) as exc:  # pyarrow.ArrowInvalid is a ValueError
            raise BuildError(
                f"{table.name}: {table.path} breaks its schema ({exc}); "
                "run `indru-data validate` to see every failing cell"
            ) from None
    outputs.append(_text_output(package.path, descriptor_json(package, version, csv_contents)))
    source_dir = package.root / "src" / "indru_data"
    if source_dir.is_dir():  # a checkout of indru-data itself: regenerate code and docs too
        from indru_data.outputs.codebook import codebook_markdown, loaders_module

        try:
            loaders = loaders_module(package)
        except (ValueError, SyntaxError) as exc:  # the guards of loaders_module
            raise BuildError(f"{package.path}: loader module not generated: {exc}") from None
        outputs.append(_text_output(source_dir / "_loaders.py", loaders.encode()))
        citation = _citation_output(package, version)
        if citation is not None:
            outputs.append(citation)
        outputs.append(
            _text_output(
                package.root / "docs" / "codebook.md",
                codebook_markdown(package, frames, version).encode(),
            )
        )
        if package.path == packaged().path:  # the answers are computed from the shipped tables
            from indru_data.findings.analysis import reading
            from indru_data.findings.pages import findings_markdown, report_claims_markdown

            docs = package.root / "docs"
            with reading("csv"):  # the CSV is the truth; Parquet may be about to be rebuilt
                claims_md, findings_md = report_claims_markdown(), findings_markdown()
            outputs.append(_text_output(docs / "report-claims.md", claims_md.encode()))
            outputs.append(_text_output(docs / "findings.md", findings_md.encode()))
    return outputs


# A build records the CSV's new hash and size and re-derives the `preferred` flags, so their
# mismatch is what it is run to fix.
_FIXED_BY_BUILD = frozenset({"hash-count", "byte-count", "preferred-row"})


def refuse_invalid(package: DataPackage) -> None:
    """Raise BuildError unless the CSV files pass validation (all but their recorded hashes).

    Without this, a build "blessed" any edit: it rewrote the Parquet file and recorded the
    edited CSV's hash, so the hash no longer showed that the file had been changed.
    """
    from indru_data.validation import validate

    report = validate(package.path, check_parquet=False)  # Parquet is about to be rebuilt
    left = [f for f in report.failures if f.rule not in _FIXED_BY_BUILD]
    if not left:
        return
    count = sum(n for (_, rule), n in report.counts.items() if rule not in _FIXED_BY_BUILD)
    raise BuildError(
        f"{package.path}: not built, nothing was written: {count} validation failure(s), "
        f"the first: {left[0].to_text()}; run `indru-data validate {package.path}` for all"
    )


def build(
    package: str | Path | None = None, *, check: bool = False, version: str | None = None
) -> list[Path]:
    """Rebuild derived files; returns the files that changed (with check=True: that are stale)."""

    if package is None:
        from indru_data._version import __version__

        pkg = packaged()
        version = version or __version__
    else:
        pkg = DataPackage(package)
    if not check:
        refuse_invalid(pkg)
    stale = [o for o in plan(pkg, version) if not o.same]
    if check:
        return [o.path for o in stale]
    _write(stale, pkg)
    if any(o.path.suffix == ".csv" for o in stale):
        # The findings pages read the CSV files, so they were planned from the flags this
        # build has just rewritten: plan once more to write what the new flags say.
        again = [o for o in plan(pkg, version) if not o.same]
        _write(again, pkg)
        stale += [o for o in again if o.path not in {s.path for s in stale}]
    return [o.path for o in stale]


def _write(outputs: list[Output], pkg: DataPackage) -> None:
    for o in outputs:  # every target checked before the first is written
        confined(o.path, pkg.root)
    for o in outputs:
        o.write(inside=pkg.root)
