"""indru-data: the open, validated dataset on India–Russia relations.

    >>> import indru_data
    >>> indru_data.tables()
    >>> df = indru_data.load("trade_annual")

`import indru_data` imports pandas only; pyarrow loads on the first Parquet read, and
pandera/frictionless only when you validate.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._loaders import *  # noqa: F403  (one generated load_<table>() per table)
from ._loaders import __all__ as _loader_names
from ._version import __version__
from .descriptor import DataPackage, UnknownTableError, packaged
from .load import fields, load, path, table_info, tables

if TYPE_CHECKING:
    from .validation import Report


def data_version() -> str:
    """Version of the shipped data package (equal to __version__ for a release)."""
    return packaged().version


def validate(package: Any = None, **kwargs: Any) -> Report:
    """Validate the shipped package or another datapackage.json; see indru_data.validation.validate."""
    from .validation import validate as _validate

    return _validate(package, **kwargs)


def export(fmt: str, output: Any, **kwargs: Any) -> Any:
    """Export tables to sqlite, xlsx, jsonl, csv or parquet; see indru_data.export.export."""
    from .export import export as _export

    return _export(fmt, output, **kwargs)


def validate_frame(df: Any, table: str, **kwargs: Any) -> Any:
    """Check a DataFrame against a table's rules; see indru_data.validation.validate_frame."""
    from .validation import validate_frame as _validate_frame

    return _validate_frame(df, table, **kwargs)


__all__ = [
    "DataPackage",
    "UnknownTableError",
    "__version__",
    "data_version",
    "export",
    "fields",
    "load",
    "path",
    "table_info",
    "tables",
    "validate",
    "validate_frame",
    *_loader_names,
]
