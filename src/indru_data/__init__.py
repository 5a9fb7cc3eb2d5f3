"""indru-data: the open, validated dataset on India–Russia relations.

    >>> import indru_data
    >>> indru_data.tables()
    >>> df = indru_data.load("trade_annual")

`import indru_data` imports pandas only; pyarrow loads on the first Parquet read, and
pandera/frictionless only when you validate.

    >>> indru_data.diff("0.1.0", "0.2.0").summary  # what changed between two releases
    >>> indru_data.load("trade_annual", version="0.1.0")  # a table as a release shipped it
    >>> print(indru_data.cite())  # how to cite the installed version
    >>> indru_data.history("trade_annual")  # each row's first and last-changed version
    >>> indru_data.search("Rosneft")  # table, key, column and text of every matching cell
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from indru_data._loaders import *  # noqa: F403  (one generated load_<table>() per table)
from indru_data._loaders import __all__ as _loader_names
from indru_data._version import __version__
from indru_data.core.descriptor import DataPackage, UnknownTableError, packaged
from indru_data.core.load import fields, load, path, table_info, tables
from indru_data.core.search import search

# Bound on first use (PEP 562): diff.py and export.py with what they import (sqlite3 among
# them) are about 12 ms that `import indru_data`, and so every command, paid for nothing. The
# old worry, that a lazy name `diff` or `export` would be replaced by the submodule of that
# name once imported, ended when they moved into layer packages: importing them binds
# `indru_data.release` and `indru_data.outputs`, never `indru_data.diff` (tests/test_diff.py).
_LAZY = {
    "export": ("indru_data.outputs.export", "export"),
    "diff": ("indru_data.release.diff", "diff"),
    "PackageDiff": ("indru_data.release.diff", "PackageDiff"),
}


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module 'indru_data' has no attribute {name!r}")
    import importlib

    module, attribute = _LAZY[name]
    value = getattr(importlib.import_module(module), attribute)
    globals()[name] = value  # once: later lookups do not come here
    return value


if TYPE_CHECKING:
    import pandas as pd

    from indru_data.outputs.export import export
    from indru_data.release.diff import PackageDiff, diff
    from indru_data.validation import Report


def data_version() -> str:
    """Version of the shipped data package (equal to __version__ for a release)."""
    return packaged().version


def history(table: str, **kwargs: Any) -> pd.DataFrame:
    """Each row's first version and last-changed version, from releases/; see indru_data.release.history."""
    from indru_data.release.history import history as _history

    return _history(table, **kwargs)


def cite(style: str = "text", version: str | None = None) -> str:
    """The citation of a released version or the installed one (default): "text", "bibtex",
    "apa" or "cff"; see indru_data.core.citation."""
    from indru_data.core.citation import cite as _cite

    return _cite(style, version)  # type: ignore[arg-type]


def validate(package: Any = None, **kwargs: Any) -> Report:
    """Validate the shipped package or another datapackage.json; see indru_data.validation.validate."""
    from indru_data.validation import validate as _validate

    return _validate(package, **kwargs)


def validate_frame(df: Any, table: str, **kwargs: Any) -> Any:
    """Check a DataFrame against a table's rules; see indru_data.validation.validate_frame."""
    from indru_data.validation import validate_frame as _validate_frame

    return _validate_frame(df, table, **kwargs)


__all__ = [
    "DataPackage",
    "PackageDiff",
    "UnknownTableError",
    "__version__",
    "cite",
    "data_version",
    "export",
    "diff",
    "fields",
    "history",
    "load",
    "path",
    "search",
    "table_info",
    "tables",
    "validate",
    "validate_frame",
    *_loader_names,
]


def __dir__() -> list[str]:
    """Only the public API (not the submodules or the names imported to build it)."""
    return sorted(__all__)
