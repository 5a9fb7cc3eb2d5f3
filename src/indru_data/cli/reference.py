"""The reference pages of the documentation site: the CLI's `--help` and the public Python API.

Generated from the parser and from `indru_data.__all__` themselves, so they cannot drift.
They live in the CLI layer because they document the layers below it; the site generator
(indru_data.outputs.site) receives them as ready pages.
"""

from __future__ import annotations

import argparse
import inspect

from indru_data.cli.parser import parser


def _plain_parser(p: argparse.ArgumentParser) -> str:
    p.formatter_class = lambda prog: argparse.HelpFormatter(prog, width=88)
    return p.format_help()


def cli_reference() -> str:
    """The CLI reference: `--help` of the command and of every subcommand."""
    top = parser()
    out = [
        "# Command line",
        "",
        "Generated from the command's own `--help` when the site is built.",
        "",
        "```text",
        _plain_parser(top).rstrip(),
        "```",
        "",
    ]
    subs = [a for a in top._actions if isinstance(a, argparse._SubParsersAction)]
    for action in subs:
        for name, sub in action.choices.items():
            out += [
                f"## `indru-data {name}`",
                "",
                "```text",
                _plain_parser(sub).rstrip(),
                "```",
                "",
            ]
    return "\n".join(out)


def _signature(obj: object) -> str:
    """The signature with its annotations evaluated where they can be ('str' becomes str)."""
    for evaluate in (True, False):
        try:
            return str(inspect.signature(obj, eval_str=evaluate))  # type: ignore[arg-type]
        except (NameError, TypeError, ValueError):
            continue
    return "(...)"


def python_reference() -> str:
    """The Python reference: signature and docstring of every public function."""
    import indru_data

    names = [n for n in indru_data.__all__ if not n.startswith("load_") and n != "__version__"]
    out = [
        "# Python API",
        "",
        "Generated from the docstrings of `indru_data.__all__` when the site is built. "
        "`import indru_data` imports pandas only; pyarrow loads on the first Parquet read and "
        "pandera and frictionless only when you validate.",
        "",
    ]
    for name in names:
        obj = getattr(indru_data, name)
        sig = f"{name}{_signature(obj)}"
        kind = "class" if inspect.isclass(obj) else "def"
        out += [f"## `{name}`", "", "```python", f"{kind} {sig}", "```", ""]
        doc = inspect.getdoc(obj) or ""
        if doc:
            out += ["```text", doc, "```", ""]
    loaders = [n for n in indru_data.__all__ if n.startswith("load_")]
    out += [
        "## One loader per table",
        "",
        "Generated typed loaders, each equal to `load(name, format)`: "
        + ", ".join(f"[`{n}()`](../tables/{n[5:]}.md)" for n in loaders)
        + ".",
        "",
    ]
    return "\n".join(out)


def reference_pages() -> dict[str, str]:
    """The reference pages by their path in the docs folder."""
    return {"reference/cli.md": cli_reference(), "reference/python.md": python_reference()}
