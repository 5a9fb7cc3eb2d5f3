"""The `indru-data` argument parser: subcommands, options and help texts."""

from __future__ import annotations

import argparse

from indru_data._version import __version__
from indru_data.cli.commands import (
    PROG,
    cmd_build,
    cmd_charts,
    cmd_cite,
    cmd_describe,
    cmd_diff,
    cmd_export,
    cmd_list,
    cmd_new_table,
    cmd_release,
    cmd_search,
    cmd_serve,
    cmd_validate,
)


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog=PROG,
        description="indru-data: the open, validated dataset on India–Russia relations.",
    )
    p.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True

    pkg_help = "path of another datapackage.json (default: the shipped package)"
    s = sub.add_parser("list", help="list tables with rows, columns and date coverage")
    s.add_argument("--package", metavar="PATH", help=pkg_help)
    s.add_argument("--format", choices=["text", "json"], default="text")
    s.set_defaults(func=cmd_list)

    s = sub.add_parser("describe", help="show a table's grain, keys, columns and vocabularies")
    s.add_argument("table", help="table name (see `indru-data list`)")
    s.add_argument("--package", metavar="PATH", help=pkg_help)
    s.add_argument("--format", choices=["text", "json"], default="text")
    s.set_defaults(func=cmd_describe)

    s = sub.add_parser("validate", help="validate the shipped data package or another one")
    s.add_argument("path", nargs="?", help=pkg_help)
    s.add_argument(
        "--format",
        choices=["text", "json", "github"],
        default="text",
        help="github: workflow annotations (::error file=…,line=…) for GitHub Actions",
    )
    s.add_argument("--no-parquet", action="store_true", help="skip the CSV/Parquet agreement check")
    s.set_defaults(func=cmd_validate)

    s = sub.add_parser(
        "build", help="rebuild Parquet files, hashes and generated docs from the CSV"
    )
    s.add_argument("path", nargs="?", help=pkg_help)
    s.add_argument(
        "--check", action="store_true", help="write nothing; exit 1 if anything is stale"
    )
    s.set_defaults(func=cmd_build)

    s = sub.add_parser(
        "export",
        help="export tables to SQLite (with keys), Excel (with codebook), JSON Lines, CSV or Parquet",
    )
    s.add_argument("format", choices=["sqlite", "xlsx", "jsonl", "csv", "parquet"])
    s.add_argument("output", help="file (sqlite, xlsx) or new directory (jsonl, csv, parquet)")
    s.add_argument("--table", action="append", help="export only this table (repeatable)")
    s.add_argument("--package", metavar="PATH", help=pkg_help)
    s.add_argument("--force", action="store_true", help="replace an existing output")
    s.add_argument(
        "--spreadsheet-safe",
        action="store_true",
        help="csv only: prefix text starting with = + - @ with an apostrophe (changes those values)",
    )
    s.add_argument(
        "--preferred-only",
        action="store_true",
        help="one row per observation: only the rows marked preferred",
    )
    s.set_defaults(func=cmd_export)

    s = sub.add_parser("charts", help="draw the README's charts from the data (needs matplotlib)")
    s.add_argument(
        "outdir",
        nargs="?",
        help="folder for the PNG files (default: docs/charts, which must lie in this folder)",
    )
    s.set_defaults(func=cmd_charts)

    s = sub.add_parser(
        "search",
        help="find text in every table (case-insensitive; ES-11/1 finds A/RES/ES-11/1)",
    )
    s.add_argument("query", help="text or identifier to look for, e.g. Rosneft or ES-11/1")
    s.add_argument("--table", action="append", help="search only this table (repeatable)")
    s.add_argument("--limit", type=int, default=50, help="lines to print (0: all; default 50)")
    s.add_argument("--package", metavar="PATH", help=pkg_help)
    s.add_argument("--format", choices=["text", "json"], default="text")
    s.set_defaults(func=cmd_search)

    s = sub.add_parser(
        "serve",
        help="browse the tables in Datasette on this machine, read-only (needs the explore extra)",
        description="Open the tables in Datasette: facets, full-text search, column "
        "descriptions, each row's source as a link. The database is a temporary copy; the "
        "packaged data is never written. Needs Datasette: pip install '.[explore]' in a clone",
    )
    s.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    s.add_argument("--port", type=int, default=8001, help="port (default 8001)")
    s.add_argument(
        "--dir",
        metavar="FOLDER",
        help="keep the explorer's database and metadata in this folder (default: a temporary one)",
    )
    s.add_argument("--package", metavar="PATH", help=pkg_help)
    s.set_defaults(func=cmd_serve)

    s = sub.add_parser(
        "diff", help="show schema and row changes between two data packages, e.g. two releases"
    )
    s.add_argument("old", help="the older package: its datapackage.json or folder")
    s.add_argument("new", help="the newer package: its datapackage.json or folder")
    s.add_argument(
        "--format",
        choices=["text", "markdown", "json"],
        default="text",
        help="markdown is the data section of a CHANGELOG entry",
    )
    s.set_defaults(func=cmd_diff)

    s = sub.add_parser(
        "release",
        help="release the current version: date the CHANGELOG, keep releases/<version>, write the zip",
    )
    s.add_argument("--date", help="release date YYYY-MM-DD (default: today, or SOURCE_DATE_EPOCH)")
    s.add_argument("--dist", metavar="DIR", help="folder for the zip (default: dist/)")
    s.set_defaults(func=cmd_release)

    s = sub.add_parser(
        "new-table", help="start a new table: schema, empty CSV and resource entry, then build"
    )
    s.add_argument("name", help="table name: lowercase letters, digits and underscores")
    s.add_argument("--title", help="short title (default: from the name)")
    s.add_argument("--description", help="what the table holds")
    s.add_argument("--grain", help="what one row is (the schema's x-grain)")
    s.add_argument(
        "--package", metavar="PATH", help="datapackage.json of a checkout (default: ours)"
    )
    s.set_defaults(func=cmd_new_table)

    s = sub.add_parser(
        "cite", help="how to cite a version (plain text, BibTeX, APA or CITATION.cff)"
    )
    s.add_argument("--format", choices=["text", "bibtex", "apa", "cff"], default="text")
    s.add_argument(
        "--version",
        dest="cite_version",
        metavar="VERSION",
        help="a released version (e.g. 0.1.0; default: the installed one)",
    )
    s.set_defaults(func=cmd_cite)
    return p
