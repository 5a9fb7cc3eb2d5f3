"""What each `indru-data` subcommand does: one function per command, over the library.

Each takes the parsed arguments and returns the exit code; the library does the work, so
every command is also available from Python (see indru_data.cli.parser for the options).
"""

from __future__ import annotations

import argparse
import json
import sys

from indru_data.core.descriptor import DataPackage, packaged
from indru_data.core.markup import printable

PROG = "indru-data"


def _package(path: str | None) -> DataPackage:
    return DataPackage(path) if path else packaged()


def cmd_list(args: argparse.Namespace) -> int:
    from indru_data.findings.summary import summarise

    pkg = _package(args.package)
    summaries = [summarise(t) for t in pkg.tables.values()]
    if args.format == "json":
        print(json.dumps([s.__dict__ for s in summaries], indent=2, ensure_ascii=False))
        return 0
    width = max(len(s.name) for s in summaries) if summaries else 5
    print(f"{'table':<{width}}  {'rows':>6}  {'cols':>4}  coverage")
    for s in summaries:
        print(f"{s.name:<{width}}  {s.rows:>6}  {s.columns:>4}  {s.coverage}")
    print(f"\ndata package {pkg.descriptor.get('name', '')} {pkg.version} ({pkg.path})")
    return 0


def _observation(table) -> dict | None:  # type: ignore[no-untyped-def,type-arg]
    """The observation key and the preferred-row rule of a table, for `describe`."""
    key = table.observation_key
    if key is None:
        return None
    from indru_data.core.preferred import RULE_TEXT

    rule = RULE_TEXT
    if key.unknown_joins:
        rule += (
            f"; a row with an empty {key.unknown_joins} joins the observation whose other key "
            f"values match when exactly one {key.unknown_joins} is known there"
        )
    return {
        "fields": key.fields,
        "rule": rule,
        "overrides": key.overrides,
        "sentence": table.preferred_rule,
    }


def cmd_describe(args: argparse.Namespace) -> int:
    pkg = _package(args.package)
    table = pkg.table(args.table)
    if args.format == "json":
        print(
            json.dumps(
                {
                    "name": table.name,
                    "title": table.title,
                    "description": table.description,
                    "grain": table.grain,
                    "primary_key": table.primary_key,
                    "observation_key": _observation(table),
                    "preferred_rule": table.preferred_rule,
                    "schema": table.schema,
                },
                indent=2,
                ensure_ascii=False,
            )
        )
        return 0
    print(f"{table.name}: {table.title}\n")
    if table.description:
        print(table.description + "\n")
    if table.grain:
        print(f"Grain: {table.grain}")
    print(f"File: {table.path}")
    print(f"Primary key: {', '.join(table.primary_key)}")
    observation = _observation(table)
    if observation:
        print(f"Observation key: {', '.join(observation['fields'])}")
        for row, reason in observation["overrides"].items():
            print(f"  override: {row} ({reason})")
    print(f"Preferred rows: {table.preferred_rule}")
    for fk in table.foreign_keys:
        ref = fk["reference"]
        print(
            f"Foreign key: {', '.join(fk['fields'])} -> {ref['resource']}.{', '.join(ref['fields'])}"
        )
    for spec in table.foreign_key_lists:
        ref = spec["reference"]
        sep = spec.get("separator", ";")
        print(
            f"Key list: {spec['field']} -> {ref['resource']}.{ref['field']} (separated by '{sep}')"
        )
    print("\nColumns:")
    for f in table.fields:
        unit = f" [{f.unit}]" if f.unit else ""
        req = " required" if f.required else ""
        print(f"  {f.name} ({f.type}{unit}{req}): {f.description}")
        for v in f.enum or list(f.enum_descriptions):  # a list column has descriptions only
            meaning = f.enum_descriptions.get(v, "")
            print(f"      {v}" + (f": {meaning}" if meaning else ""))
    if table.checks:
        from indru_data.validation.row_rules import (  # pandas only, no pandera
            RuleError,
            build_rules,
        )

        print("\nRules:")
        try:
            rules = build_rules(table.checks, table.field_types)
        except RuleError as exc:
            print(f"{PROG}: error: table {table.name!r}: {exc}", file=sys.stderr)
            return 2
        for rule in rules:
            print(f"  {rule.name}: {rule.description}")
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    # gc.freeze() only when this command is the process: frozen objects are never collected
    # again, so a caller of main([...]) would keep its garbage for good (a gc.unfreeze()
    # afterwards would not undo it: it also thaws what the caller froze itself).
    if args.own_process:
        _freeze_imports()
    from indru_data.validation import validate

    report = validate(args.path, check_parquet=not args.no_parquet)
    # One exit status per outcome, whatever the format: 0 valid, 1 invalid data, 2 a package
    # that cannot be read (no row could be checked: the descriptor, a schema or every file).
    unreadable = not report.rows_checked
    if args.format == "json":
        print(report.to_json())
    elif args.format == "github":
        from indru_data.validation.annotations import render_github

        print(render_github(report))
    elif len(report.failures) == 1 and report.failures[0].stage == "package":
        # the descriptor itself could not be used: one line, like any other usage error
        print(f"{PROG}: error: {printable(report.failures[0].message)}", file=sys.stderr)
    else:
        print(report.to_text())
    if unreadable and report.valid:
        print(f"{PROG}: error: no rows were checked", file=sys.stderr)
    return 2 if unreadable else 0 if report.valid else 1


def _freeze_imports() -> None:
    """Import what validation uses, then exempt those modules' objects from garbage collection.

    This process validates once and exits: the hundreds of thousands of objects the imports
    create are never garbage, yet every full collection scanned them all again (about 0.2 s of
    `indru-data validate`, docs/performance.md). gc.freeze() moves them out of its sight.
    """
    import gc

    gc.freeze()
    import frictionless  # noqa: F401
    import pandera.pandas  # noqa: F401
    import pyarrow.compute  # noqa: F401

    gc.freeze()


def cmd_build(args: argparse.Namespace) -> int:
    from indru_data.release.build import BuildError, build

    try:
        changed = build(args.path, check=args.check)
    except BuildError as exc:
        print(f"{PROG}: error: {exc}", file=sys.stderr)
        return 1
    if args.check:
        if changed:
            print("stale (run `indru-data build`):")
            for p in changed:
                print(f"  {p}")
            return 1
        print("all derived files are up to date")
        return 0
    for p in changed:
        print(f"wrote {p}")
    if not changed:
        print("all derived files were already up to date")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from indru_data.outputs.export import ExportError, export

    try:
        out = export(
            args.format,
            args.output,
            tables=args.table or None,
            package=args.package,
            overwrite=args.force,
            spreadsheet_safe=args.spreadsheet_safe,
            preferred_only=args.preferred_only,
        )
    except (ExportError, OSError) as exc:
        print(f"{PROG}: error: {exc}", file=sys.stderr)
        return 1
    print(f"wrote {out}")
    return 0


def cmd_charts(args: argparse.Namespace) -> int:
    try:
        from indru_data.outputs.charts import render

        # By default the checkout's docs/charts, never through a symlink out of this folder.
        written = render(args.outdir or "docs/charts", inside=None if args.outdir else ".")
    except ImportError as exc:
        print(f"{PROG}: error: {exc}", file=sys.stderr)
        return 1
    for p in written:
        print(f"wrote {p}")
    return 0


def cmd_search(args: argparse.Namespace) -> int:
    from indru_data.core.search import search, snippet

    try:
        hits = search(args.query, tables=args.table or None, package=args.package)
    except ValueError as exc:
        print(f"{PROG}: error: {exc}", file=sys.stderr)
        return 2
    if args.format == "json":
        print(json.dumps(hits.to_dict("records"), indent=2, ensure_ascii=False))
        return 0 if len(hits) else 1
    if hits.empty:
        print(f"no match for {args.query!r}")
        return 1
    shown = hits if args.limit <= 0 else hits.head(args.limit)
    for r in shown.itertuples(index=False):
        print(f"{r.table}  {r.key}  {r.column}: {snippet(r.text, args.query)}")
    more = len(hits) - len(shown)
    tail = f" (first {len(shown)} shown; --limit 0 shows all)" if more else ""
    cells, tables = len(hits), hits["table"].nunique()
    print(
        f"\n{cells} matching cell{'s' * (cells != 1)} in {tables} table{'s' * (tables != 1)}{tail}"
    )
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from indru_data.outputs.explore import ExploreError, serve

    if args.host not in ("127.0.0.1", "localhost", "::1"):
        print(
            f"{PROG}: warning: serving on {args.host}: other machines can reach the explorer",
            file=sys.stderr,
        )
    try:
        return serve(args.host, args.port, folder=args.dir, package=_package(args.package))
    except ExploreError as exc:
        print(f"{PROG}: error: {exc}", file=sys.stderr)
        return 1


def cmd_diff(args: argparse.Namespace) -> int:
    from indru_data.release.diff import diff

    result = diff(args.old, args.new)
    if args.format == "json":
        print(result.to_json())
    elif args.format == "markdown":
        print(result.to_markdown(), end="")
    else:
        print(result.to_text())
    return 0


def cmd_release(args: argparse.Namespace) -> int:
    from indru_data.core.releases import VersioningError
    from indru_data.release.publish import ReleaseError, release

    try:
        done = release(date=args.date, dist=args.dist)
    except (ReleaseError, VersioningError) as exc:
        print(f"{PROG}: error: {exc}", file=sys.stderr)
        return 1
    print(f"released {done.version} on {done.date}")
    for p in [*done.changed, done.zip]:
        print(f"wrote {p}")
    return 0


def cmd_cite(args: argparse.Namespace) -> int:
    from indru_data.core.citation import CitationError, cite

    try:
        text = cite(args.format, args.cite_version)
    except CitationError as exc:
        print(f"{PROG}: error: {exc}", file=sys.stderr)
        return 1
    print(text, end="")
    return 0


def cmd_new_table(args: argparse.Namespace) -> int:
    from indru_data.release.scaffold import ScaffoldError, new_table

    try:
        written = new_table(
            args.name,
            title=args.title,
            description=args.description,
            grain=args.grain,
            package=args.package,
        )
    except ScaffoldError as exc:
        print(f"{PROG}: error: {exc}", file=sys.stderr)
        return 1
    for path in written:
        print(f"wrote {path}")
    print(
        f"next: add columns to the schema, rows to the CSV (each citing a source_id), then "
        f"`{PROG} build` and `{PROG} validate`; see CONTRIBUTING.md"
    )
    return 0
