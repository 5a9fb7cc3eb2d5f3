"""Pages of the documentation site generated from the schemas and the data.

`mkdocs build` (with the hook in `scripts/mkdocs_hooks.py`, named in mkdocs.yml) adds these
pages in memory, so no generated Markdown is ever written into docs/ or committed: one page
per table (grain, keys, observation key, columns with units and vocabularies, coverage, its
sources), the table overview, the changelog, and the Python and CLI reference when the caller passes them. The same pages
can be written to a folder with `build_site_pages(outdir)` for other static-site tools.

Only pandas and the standard library are needed (not MkDocs).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from indru_data.core.descriptor import DataPackage, Table, packaged
from indru_data.core.load import load
from indru_data.core.markup import md_cell, md_code, md_link, md_text
from indru_data.outputs.codebook import bounds_text

MAX_SOURCES_LISTED = 25


def _slug(heading: str) -> str:
    """The anchor MkDocs (Python-Markdown's toc extension) gives a heading."""
    text = re.sub(r"[^\w\s-]", "", heading).strip().lower()
    return re.sub(r"[-\s]+", "-", text)


def _coverage_anchors(root: Path) -> dict[str, str]:
    """Table name -> anchor of its section in docs/coverage.md (when that file exists)."""
    path = root / "docs" / "coverage.md"
    if not path.is_file():
        return {}
    anchors: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            heading = line[3:].strip()
            for name in re.findall(r"\w+", heading):
                anchors.setdefault(name, _slug(heading))
    return anchors


def _date_coverage(frame: pd.DataFrame, table: Table) -> list[str]:
    lines = []
    for f in table.fields:
        if f.type == "date" and f.name in frame and frame[f.name].notna().any():
            col = frame[f.name]
            lines.append(
                f"- {md_code(f.name)}: {col.min().date().isoformat()} to "
                f"{col.max().date().isoformat()} "
                f"({int(col.notna().sum()):,} of {len(frame):,} rows filled)"
            )
    for name in table.schema.get("x-coverage", []):
        if name in frame and table.field(name).type == "integer":
            col = frame[name].dropna()
            if len(col):
                lines.append(f"- {md_code(name)}: {int(col.min())} to {int(col.max())}")
    return lines


def _values_held(frame: pd.DataFrame, name: str) -> dict[str, int]:
    return {str(k): int(v) for k, v in frame[name].astype("string").value_counts().items()}


def _sources_section(frame: pd.DataFrame, sources: pd.DataFrame) -> list[str]:
    if "source_id" not in frame.columns:
        return []
    counts = frame["source_id"].astype("string").value_counts()
    info = sources.set_index(sources["source_id"].astype("string"))
    out = [
        "## Sources",
        "",
        f"{len(counts):,} sources are cited by the {len(frame):,} rows of this table"
        + (
            f"; the {MAX_SOURCES_LISTED} cited most often:"
            if len(counts) > MAX_SOURCES_LISTED
            else ":"
        ),
        "",
        "| source | publisher | authority | rows |",
        "|---|---|---|---|",
    ]
    for sid, n in counts.head(MAX_SOURCES_LISTED).items():
        if sid in info.index:
            src = info.loc[sid]
            shown = md_link(" ".join(str(src["title"]).split()), src["url"]).replace("|", "\\|")
            out.append(
                f"| {shown} ({md_code(sid)}) | {md_cell(src['publisher'])} | "
                f"{md_cell(src.get('authority', ''))} | {n:,} |"
            )
        else:
            out.append(f"| {md_code(sid)} | | | {n:,} |")
    return [*out, ""]


def _table_link(package: DataPackage, name: str) -> str:
    """A link to another table's page; a name the package does not have is shown as code."""
    return f"[`{name}`]({name}.md)" if name in package.tables else md_code(name)


def table_page(
    package: DataPackage, table: Table, frames: dict[str, pd.DataFrame], coverage: dict[str, str]
) -> str:
    """The Markdown page of one table."""
    frame = frames[table.name]
    out = [f"# {md_text(table.title)} (`{table.name}`)", "", md_text(table.description), ""]
    if table.grain:
        out += [f"**One row is:** {md_text(table.grain)}", ""]
    out += [
        f"**Rows:** {len(frame):,}. **Primary key:** "
        + ", ".join(md_code(k) for k in table.primary_key)
        + ". "
        + f"**File:** {md_code(table.path.relative_to(package.root))} "
        f"(Parquet: {md_code(table.parquet_path.relative_to(package.root))}).",
        "",
        "```python",
        "import indru_data",
        f'df = indru_data.load("{table.name}")',
        f"# the same: indru_data.load_{table.name}()",
        "```",
        "",
    ]
    links = []
    for fk in table.foreign_keys:
        ref = fk["reference"]
        target = ref.get("resource") or table.name
        links.append(
            f"- {md_code(', '.join(fk['fields']))} → {_table_link(package, target)}"
            f"{md_code('.' + ', '.join(ref['fields']))}"
        )
    for spec in table.foreign_key_lists:
        ref = spec["reference"]
        links.append(
            f"- {md_code(spec['field'])} holds {_table_link(package, ref['resource'])}"
            f"{md_code('.' + ref['field'])} values separated by "
            f"{md_code(spec.get('separator', ';'))}"
        )
    if links:
        out += ["**Links to other tables:**", "", *links, ""]
    key = table.observation_key
    out += ["## Preferred rows", "", md_text(table.preferred_rule), ""]
    if key is not None:
        out += [
            f"- override {md_code(row)}: {md_text(reason)}" for row, reason in key.overrides.items()
        ]
        out += [""] if key.overrides else []
    out += ["## Coverage", "", f"- Rows: {len(frame):,}", *_date_coverage(frame, table)]
    if table.name in coverage:
        out.append(
            f"- What is held and the known gaps: [coverage and gaps]"
            f"(../coverage.md#{coverage[table.name]})"
        )
    out += [
        "",
        "## Columns",
        "",
        "| column | type | unit | required | description |",
        "|---|---|---|---|---|",
    ]
    for f in table.fields:
        extra = bounds_text(f)
        out.append(
            f"| {md_code(f.name)} | {f.type} | {md_cell(f.unit or '')} | "
            f"{'yes' if f.required else 'no'} | {md_cell(f.description)}{md_cell(extra)} |"
        )
    out.append("")
    vocabularies = [f for f in table.fields if f.enum or f.enum_descriptions]
    if vocabularies:
        out += ["## Vocabularies", ""]
    for f in vocabularies:
        listed = f.list_separator is not None or not f.enum
        held = {} if listed else _values_held(frame, f.name)
        sep = f.list_separator or ";"
        what = (
            f" (any of them, separated by {md_code(sep)})"
            if listed
            else " (rows holding each value in the data)"
        )
        out += [f"### {md_code(f.name)}", "", f"Allowed values{what}:", ""]
        out += ["| value | meaning | rows |", "|---|---|---|"]
        for v in f.enum or list(f.enum_descriptions):
            meaning = md_cell(f.enum_descriptions.get(v, ""))
            out.append(
                f"| {md_code(v)} | {meaning} | {f'{held.get(str(v), 0):,}' if not listed else ''} |"
            )
        out.append("")
    if table.checks:
        out += ["## Rules beyond types and vocabularies", ""]
        for spec in table.checks:
            what = spec.get("description") or spec.get("expression") or ""
            out.append(f"- {md_code(spec['kind'])}{': ' + md_cell(what) if what else ''}")
        out.append("")
    out += _sources_section(frame, frames["sources"])
    return "\n".join(out).rstrip() + "\n"


def tables_index(package: DataPackage, frames: dict[str, pd.DataFrame]) -> str:
    out = [
        "# Tables",
        "",
        f"Data package {md_code(package.descriptor.get('name', ''))} version "
        f"{md_text(package.version)}: "
        f"{len(package.tables)} tables. Every row cites a row of [`sources`](sources.md). "
        "These pages are generated from the schemas and the data when the site is built.",
        "",
        "| table | one row is | rows | key |",
        "|---|---|---|---|",
    ]
    for t in package.tables.values():
        out.append(
            f"| [`{t.name}`]({t.name}.md) | {md_cell(t.grain or t.description)} | "
            f"{len(frames[t.name]):,} | {', '.join(md_code(k) for k in t.primary_key)} |"
        )
    return "\n".join(out) + "\n"


def changelog_page(root: Path) -> str | None:
    path = root / "CHANGELOG.md"
    if not path.is_file():
        return None
    return path.read_text(encoding="utf-8")


def site_pages(
    package: DataPackage | None = None, references: Mapping[str, str] | None = None
) -> dict[str, str]:
    """Every generated page: path inside the docs folder -> Markdown.

    `references` are pages made by the layers above this one (the CLI and Python reference,
    indru_data.cli.reference.reference_pages()), passed in so that the outputs never import
    the CLI or the package facade they document.
    """
    pkg = package or packaged()
    pkg_arg = None if pkg is packaged() else pkg.path
    frames = {name: load(name, package=pkg_arg) for name in pkg.table_names}
    coverage = _coverage_anchors(pkg.root)
    pages = {"tables/index.md": tables_index(pkg, frames)}
    for table in pkg.tables.values():
        pages[f"tables/{table.name}.md"] = table_page(pkg, table, frames, coverage)
    pages.update(references or {})
    changelog = changelog_page(pkg.root)
    if changelog is not None:
        pages["changelog.md"] = changelog
    return pages


def build_site_pages(
    outdir: str | Path,
    package: DataPackage | None = None,
    references: Mapping[str, str] | None = None,
) -> list[Path]:
    """Write the generated pages under `outdir`; returns the files written.

    Every page must resolve inside `outdir` (a symlinked subfolder or page is refused with
    WriteRefused, before the first page is written).
    """
    from indru_data.core.files import confined, write_atomic

    out = Path(outdir)
    pages = site_pages(package, references)
    for rel in pages:
        confined(out / rel, out)
    written = []
    for rel, text in pages.items():
        path = out / rel
        write_atomic(path, lambda tmp, t=text: tmp.write_text(t, encoding="utf-8"), inside=out)
        written.append(path)
    return written


__all__ = ["build_site_pages", "site_pages", "table_page"]
