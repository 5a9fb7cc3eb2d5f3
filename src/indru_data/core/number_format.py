"""How numbers are shown to people: thousands separators and one number of decimals per
column, the same on the docs site and in the explorer (a year is shown as it is written)."""

from __future__ import annotations

import pandas as pd


def is_year_like(name: str) -> bool:
    """A column whose integers are years or ranks: shown as written, without separators."""
    return "year" in name or name == "rank"


def decimals(values: pd.Series) -> int:
    """The decimals one column of floats is shown with: as many as its values need, at most 2
    (3 for a column of fractions below 1, such as shares of votes)."""
    finite = values.dropna().astype(float)
    if finite.empty:
        return 0
    cap = 3 if finite.abs().max() < 1 else 2
    for d in range(cap + 1):
        if ((finite.round(d) - finite).abs() <= 1e-9 * finite.abs().clip(lower=1)).all():
            return d
    return cap


def column_decimals(values: pd.Series, name: str) -> int | None:
    """The decimals a numeric column is shown with (0 for whole numbers), or None when it is
    not shown as a number: not numeric, boolean, or whole years and ranks."""
    if pd.api.types.is_bool_dtype(values) or not pd.api.types.is_numeric_dtype(values):
        return None
    finite = values.dropna().astype(float)
    integral = bool(((finite.round(0) - finite).abs() < 1e-9).all())
    if integral:
        return None if is_year_like(name) else 0
    return decimals(values)
