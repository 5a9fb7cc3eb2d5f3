"""The report's chapter "Military-technical cooperation": its claims, the rows that bear on each, and the verdict."""

from __future__ import annotations

import pandas as pd

from indru_data.findings import analysis
from indru_data.findings.claims.base import (
    CONTRADICTED,
    NOT_COVERED,
    QUALIFIED,
    SUPPORTED,
    Claim,
    Verdict,
)


def _arms_share() -> pd.DataFrame:
    s = analysis.russia_share_by_window()
    return s[s["window_end_year"].isin([2013, 2023])]


def _judge_arms_share(ev: pd.DataFrame) -> Verdict:
    early = ev[ev["window_end_year"] == 2013]["share_of_india_imports_pct"]
    late = ev[ev["window_end_year"] == 2023]["share_of_india_imports_pct"]
    if early.empty or late.empty:
        return Verdict(NOT_COVERED, "no published share for 2009–13 or 2019–23.")
    ok = (early.max() >= 75) and (late.round().eq(36).any())
    reason = (
        f"SIPRI published {_span(early)} % for 2009–13 and {_span(late)} % for 2019–23; these are "
        "five-year windows, not single years."
    )
    return Verdict(QUALIFIED if ok else CONTRADICTED, reason)


def _span(values: pd.Series) -> str:
    lo, hi = values.min(), values.max()
    return f"{lo:g}" if lo == hi else f"{lo:g}–{hi:g}"


def _s400() -> pd.DataFrame:
    return analysis.programme_facts("rus-s-400")


def _judge_s400(ev: pd.DataFrame) -> Verdict:
    delayed = ev[ev["status"] == "delayed"]
    if delayed.empty:
        return Verdict(NOT_COVERED, "no fact reports a delay.")
    got = delayed["quantity_delivered"].dropna()
    part = (
        f" {int(got.max())} of {int(delayed['quantity_ordered'].dropna().max())} squadrons delivered."
        if not got.empty
        else ""
    )
    return Verdict(SUPPORTED, f"{len(delayed)} source(s) report the programme delayed.{part}")


CLAIMS = [
    Claim(
        "arms-share",
        "Military-technical cooperation",
        "Russia's share of India's arms imports fell from 76 % (2009) to 36 % (2023).",
        _arms_share,
        _judge_arms_share,
    ),
    Claim(
        "s400-delay",
        "Military-technical cooperation",
        "Deliveries of the S-400's remaining squadrons are delayed.",
        _s400,
        _judge_s400,
    ),
]
