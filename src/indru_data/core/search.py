"""Find text across every table: `indru_data.search("Rosneft")`, `indru-data search Rosneft`.

A plain query matches any text cell that contains it, ignoring case and runs of white space
("rosneft" finds "Rosneft" and "Rosnefteflot"). A query that looks like a document identifier
(it holds a digit and a `/` or `-`, e.g. `ES-11/1`) matches that identifier as a whole, so
`ES-11/1` does not find `ES-11/10`, and a UN symbol prefix (`A/RES/`, `S/RES/`, `A/`, `S/`) is
optional on both sides: `ES-11/1` finds `A/RES/ES-11/1`, and `A/RES/ES-11/1` finds a note
that wrote `ES-11/1`.

Only pandas is needed (the tables are read with `load`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from indru_data.core.descriptor import DataPackage, packaged
from indru_data.core.load import load

# The optional prefix of a UN document symbol (General Assembly or Security Council).
UN_PREFIX = r"(?:[AS]/(?:RES/)?)"
RESULT_COLUMNS = ["table", "key", "column", "text"]


def _is_identifier(query: str) -> bool:
    return bool(re.search(r"\d", query)) and bool(re.search(r"[/-]", query)) and " " not in query


def pattern(query: str) -> re.Pattern[str]:
    """The compiled, case-insensitive pattern a query stands for (see the module docstring)."""
    q = " ".join(query.split())
    if not q:
        raise ValueError("the search query is empty")
    if _is_identifier(q):
        core = re.sub(rf"^{UN_PREFIX}", "", q, flags=re.IGNORECASE) or q
        if core.isdigit():  # "S/RES/2623": a bare number would match any 2623
            return re.compile(rf"(?<![\w/]){UN_PREFIX}{core}(?!\w)", re.IGNORECASE)
        # "/" is not a word character, so "ES-11/1" is found inside "A/RES/ES-11/1".
        return re.compile(rf"(?<!\w){re.escape(core)}(?!\w)", re.IGNORECASE)
    words = [re.escape(w) for w in q.split(" ")]
    return re.compile(r"\s+".join(words), re.IGNORECASE)


def _key(frame: pd.DataFrame, primary_key: list[str]) -> pd.Series:
    if not primary_key:
        return pd.Series(frame.index.astype(str), index=frame.index)
    parts = [frame[k].astype("string").fillna("") for k in primary_key]
    key = parts[0]
    for p in parts[1:]:
        key = key + "/" + p
    return key


def search(
    query: str,
    *,
    tables: Iterable[str] | None = None,
    columns: Iterable[str] | None = None,
    package: str | Path | None = None,
) -> pd.DataFrame:
    """Every text cell matching `query`, across all tables (or `tables`).

    Returns a DataFrame with one row per matching cell: `table`, `key` (the row's primary key;
    compound keys joined with `/`), `column` and `text` (the whole cell), in table order, then
    row order, then column order. Case is ignored; see the module docstring for identifiers.

    >>> indru_data.search("Rosneft").query("table == 'sanctions_actions'")
    >>> indru_data.search("ES-11/1")  # finds A/RES/ES-11/1 in un_votes
    """
    rx = pattern(query)
    pkg = DataPackage(package) if package is not None else packaged()
    names = list(tables) if tables is not None else pkg.table_names
    wanted = set(columns) if columns is not None else None
    found: list[pd.DataFrame] = []
    for name in names:
        table = pkg.table(name)  # raises UnknownTableError with the valid choices
        frame = load(name, package=package)
        key = _key(frame, table.primary_key)
        for f in table.fields:
            if f.type != "string" or (wanted is not None and f.name not in wanted):
                continue
            text = frame[f.name].astype("string")
            hit = text.str.contains(rx, na=False).to_numpy(dtype=bool)
            if hit.any():
                found.append(
                    pd.DataFrame(
                        {
                            "table": name,
                            "key": key[hit].to_numpy(),
                            "column": f.name,
                            "text": text[hit].to_numpy(),
                            "_row": frame.index[hit],
                        }
                    )
                )
    if not found:
        return pd.DataFrame({c: pd.Series(dtype="string") for c in RESULT_COLUMNS})
    order = {n: i for i, n in enumerate(names)}
    out = pd.concat(found, ignore_index=True)
    col_order = {(n, f.name): i for n in names for i, f in enumerate(pkg.table(n).fields)}
    out["_t"] = out["table"].map(order)
    out["_c"] = [col_order[(t, c)] for t, c in zip(out["table"], out["column"], strict=True)]
    out = out.sort_values(["_t", "_row", "_c"], kind="stable")
    return out[RESULT_COLUMNS].astype("string").reset_index(drop=True)


def snippet(text: str, query: str, width: int = 60) -> str:
    """The part of `text` around the first match, with `…` where it was cut."""
    flat = " ".join(str(text).split())
    m = pattern(query).search(flat)
    if m is None or len(flat) <= 2 * width:
        return flat
    start, end = max(0, m.start() - width), min(len(flat), m.end() + width)
    return ("…" if start else "") + flat[start:end] + ("…" if end < len(flat) else "")


__all__ = ["pattern", "search", "snippet"]
