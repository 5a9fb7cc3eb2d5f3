"""One number per question: the `preferred` row of each observation, derived by one rule.

A table whose schema declares `x-observationKey` can hold several rows for the same
observation (the same period and flow reported by several sources). `indru-data build` marks
exactly one of them `preferred` by this rule, in order:

1. higher source authority (`sources.authority`, AUTHORITY_ORDER below);
2. no blocking quality flag (BLOCKING_FLAGS);
3. a full period over a partial one (`is_partial`, where the table has it);
4. the latest publication (`sources.published_date`; undated sources last);
5. the primary key, alphabetically, so that the result never depends on row order.

A hand-set override in the schema (`x-observationKey.overrides`: row key and reason) wins over
the rule. `unknownJoins` names a key column that may be empty (e.g. whose statistics a news
figure is): such a row joins the observation of its other key values when exactly one value of
that column is known there, and stays an observation of its own otherwise. `note` is a clause
that completes the one-sentence rule for the table (rule_sentence(): what wins there and how to
get the other rows); `indru-data describe`, the table pages, the codebook and `df.attrs` show it.

This module needs pandas only: the build, the validator and the loaders share it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

# Highest first; the codebook explains each level and how a source is assigned one.
AUTHORITY_ORDER = (
    "statistical_release",
    "official_document",
    "reported_official_statement",
    "news_report",
    "analysis",
    "secondary_compilation",
)
# A row with one of these flags loses to an unflagged row of the same authority.
BLOCKING_FLAGS = frozenset(
    {"suspected_source_error", "period_mislabelled", "superseded", "duplicate_report"}
)
FLAG_SEPARATOR = ";"
# The rule's order, as one clause of the sentence rule_sentence() writes.
RULE_BRIEF = (
    "the row of the highest source authority, then one without a blocking quality flag, then "
    "a full period over a partial one, then the latest publication, then the primary key in alphabetical order"
)
RULE_TEXT = (
    "higher source authority first, then no blocking quality flag "
    f"({', '.join(sorted(BLOCKING_FLAGS))}), then a full period over a partial one, then the "
    "latest publication, then the primary key; a hand-set override with a stated reason wins"
)


@dataclass(frozen=True)
class ObservationKey:
    fields: list[str]
    unknown_joins: str | None = None
    overrides: dict[str, str] = field(default_factory=dict)  # primary key -> reason
    # `x-observationKey.note`: what the rule means for this table, in a clause that completes
    # the one-sentence rule (e.g. which kind of row wins and how to get the others).
    note: str | None = None

    @classmethod
    def of(cls, schema: dict[str, Any]) -> ObservationKey | None:
        spec = schema.get("x-observationKey")
        if not isinstance(spec, dict) or not isinstance(spec.get("fields"), list):
            return None
        overrides = {
            str(o["row"]): str(o.get("reason", ""))
            for o in spec.get("overrides", [])
            if isinstance(o, dict) and "row" in o
        }
        joins = spec.get("unknownJoins")
        note = spec.get("note")
        return cls(
            [str(f) for f in spec["fields"]],
            str(joins) if joins else None,
            overrides,
            " ".join(str(note).split()).rstrip(".") if note else None,
        )


def rule_sentence(key: ObservationKey | None, table: str, has_preferred: bool = True) -> str:
    """A table's preferred-row rule in one sentence, the same in `indru-data describe`, the
    table pages, `table_info(name).preferred_rule` and `df.attrs["preferred_rule"]`."""
    if key is None or not has_preferred:
        return (
            f"Every row of {table} is an observation of its own (no rival rows, no `preferred` "
            "column), so load(..., preferred_only=True) returns the whole table."
        )
    joins = (
        f" (a row with an empty {key.unknown_joins} joins the observation whose other values "
        f"match when exactly one {key.unknown_joins} is known there)"
        if key.unknown_joins
        else ""
    )
    overrides = (
        f"; {len(key.overrides)} hand-set override(s) with a stated reason win"
        if key.overrides
        else ""
    )
    note = f"; {key.note}" if key.note else ""
    return (
        f"Of the rows with the same {', '.join(key.fields)}{joins}, one is marked `preferred` "
        f"and kept by load(..., preferred_only=True): {RULE_BRIEF}{overrides}{note}."
    )


def _text(series: pd.Series) -> pd.Series:
    return series.astype("string").fillna("").astype(str)


def _arrow(text: pd.Series):  # type: ignore[no-untyped-def]
    """Text as an Arrow array: shared with pandas' Arrow-backed strings where it can be."""
    import pyarrow as pa

    if hasattr(text.array, "__arrow_array__"):
        return pa.chunked_array(text.array.__arrow_array__()).cast(pa.large_string())
    return pa.array(text.astype(object), type=pa.large_string(), from_pandas=True)


def _joined(parts: list[pd.Series], sep: str, index: pd.Index) -> pd.Series:
    """Each row's texts joined by `sep`, by Arrow: a Python join per row took seconds at 1M rows."""
    import pyarrow as pa
    import pyarrow.compute as pc

    arrays = [pa.array(p, type=pa.large_string()) for p in parts]
    joined = pc.binary_join_element_wise(*arrays, pa.scalar(sep, pa.large_string()))
    text = pd.StringDtype("pyarrow", na_value=np.nan)
    return pd.Series(joined.to_pandas(types_mapper=lambda _: text), index=index)


def group_labels(frame: pd.DataFrame, key: ObservationKey) -> pd.Series:
    """One label per row naming its observation (rows with the same label are one observation)."""
    cols = {f: _text(frame[f]) for f in key.fields}
    joins = key.unknown_joins
    if joins:
        others = [f for f in key.fields if f != joins]
        rest = _joined([cols[f] for f in others], "\x1f", frame.index)
        known = cols[joins].where(cols[joins] != "")
        # Vectorised (no Python call per group): a large extension has many observations.
        distinct = known.groupby(rest).transform("nunique")
        only = known.groupby(rest).transform("first").fillna("")
        fill = (cols[joins] == "") & (distinct == 1)
        cols[joins] = cols[joins].where(~fill, only.astype(str))
    return _joined([cols[f] for f in key.fields], "\x1f", frame.index)


def derive(
    frame: pd.DataFrame,
    key: ObservationKey,
    primary_key: list[str],
    sources: pd.DataFrame,
    *,
    groups: pd.Series | None = None,
) -> pd.Series:
    """The `preferred` flag of each row of `frame` (a bool Series on its index).

    `groups` may pass `group_labels(frame, key)` when the caller has it already.
    """
    if frame.empty:
        return pd.Series([], index=frame.index, dtype=bool)
    import pyarrow.compute as pc

    # Per source, then taken by each row's position among them: no map per row. Only the
    # sources this table cites are looked at (a small table beside a million sources).
    cited = _arrow(_text(frame["source_id"]))
    src_ids = _text(sources["source_id"])
    if len(frame) < len(sources):
        wanted = pc.is_in(_arrow(src_ids), value_set=pc.unique(cited))
        keep = pc.fill_null(wanted, False).to_numpy(zero_copy_only=False)
        sources, src_ids = sources[keep], src_ids[keep]
    first = ~src_ids.duplicated().to_numpy()  # a duplicate key is the sources table's own failure
    rank = {a: i for i, a in enumerate(AUTHORITY_ORDER)}
    codes, uniques = pd.factorize(_text(sources["authority"]))
    authority_of = np.array([rank.get(u, len(rank)) for u in uniques] + [len(rank)], float)
    authority_of = authority_of[codes][first]
    dates = pd.to_datetime(sources["published_date"], errors="coerce")
    # Latest first (the date as the number YYYYMMDD, negated); an undated source sorts last.
    day_number = dates.dt.year * 10000 + dates.dt.month * 100 + dates.dt.day
    published_of = -day_number.to_numpy(float, na_value=np.nan)[first]
    published_of = np.where(np.isnan(published_of), np.inf, published_of)
    value_set = _arrow(src_ids[first])
    position = pc.index_in(cited, value_set=value_set)
    position = position.to_numpy(zero_copy_only=False)
    known = ~np.isnan(position.astype(float))
    at = np.where(known, np.nan_to_num(position.astype(float)), 0).astype(np.int64)
    authority = np.where(known, authority_of[at] if len(authority_of) else 0, len(rank))
    published = np.where(known, published_of[at] if len(published_of) else 0, np.inf)
    flags = (
        _text(frame["quality_flags"]) if "quality_flags" in frame else pd.Series("", frame.index)
    )
    # One set test per distinct value, not a Python call per row.
    flag_codes, flag_values = pd.factorize(flags)
    blocking = np.array(
        [bool(BLOCKING_FLAGS & set(str(v).split(FLAG_SEPARATOR))) for v in flag_values] + [False]
    )
    blocked = blocking[flag_codes]  # code -1 (none here: flags are filled) takes the last
    partial = (
        _text(frame["is_partial"]).str.lower().isin(["true", "1"]).to_numpy(bool)
        if "is_partial" in frame
        else np.zeros(len(frame), bool)
    )
    pk = _joined([_text(frame[c]) for c in primary_key], "/", frame.index)
    overridden = pk.isin(list(key.overrides)).to_numpy(bool)
    # The primary key's rank in text order (Arrow's, as pandas sorts Arrow-backed text).
    pk_order = pc.sort_indices(_arrow(pk)).to_numpy()
    pk_rank = np.empty(len(frame), np.int64)
    pk_rank[pk_order] = np.arange(len(frame))
    group = pd.factorize(group_labels(frame, key) if groups is None else groups)[0]
    # Last key first: within an observation an override wins, then authority, no blocking
    # flag, a full period, the latest publication and the primary key. Stable, as before.
    order = np.lexsort((pk_rank, published, partial, blocked, authority, ~overridden, group))
    ranked = group[order]
    winners = order[np.r_[True, ranked[1:] != ranked[:-1]]]
    chosen = np.zeros(len(frame), bool)
    chosen[winners] = True
    return pd.Series(chosen, index=frame.index)


def problems(
    frame: pd.DataFrame, key: ObservationKey, primary_key: list[str], sources: pd.DataFrame
) -> list[tuple[Any, str]]:
    """Rows whose stored `preferred` breaks the rule, as (index, message).

    An observation with no or several preferred rows is reported once, at its first row; a row
    of a well-formed observation whose flag is not the one the rule picks is reported itself.
    Work is vectorised, so a million-row extension costs a few passes, not a loop per row.
    """
    if frame.empty:
        return []
    column = frame["preferred"]
    if isinstance(column.dtype, pd.BooleanDtype):
        stored = column.fillna(False).to_numpy(bool)
    else:
        stored = _text(column).str.lower().isin(["true", "1"]).to_numpy(bool)
    groups = group_labels(frame, key)
    expected = derive(frame, key, primary_key, sources, groups=groups).to_numpy(bool)
    codes = pd.factorize(groups)[0]
    marked = np.bincount(codes, weights=stored)[codes].astype(int)
    malformed = marked != 1
    first_of_group = np.zeros(len(frame), bool)
    first_of_group[np.unique(codes, return_index=True)[1]] = True
    out: list[tuple[Any, str]] = [
        (
            frame.index[i],
            f"{int(marked[i])} rows of this observation are marked preferred; exactly one must be",
        )
        for i in (malformed & first_of_group).nonzero()[0]
    ]
    stale = (stored != expected) & ~malformed
    out += [
        (frame.index[i], "preferred disagrees with the rule; run `indru-data build`")
        for i in stale.nonzero()[0]
    ]
    return out
