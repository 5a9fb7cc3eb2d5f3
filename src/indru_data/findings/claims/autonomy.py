"""The report's chapter "Strategic autonomy": its claims, the rows that bear on each, and the verdict."""

from __future__ import annotations

import pandas as pd

from indru_data.findings import context
from indru_data.findings.claims.base import (
    CONTRADICTED,
    SUPPORTED,
    Claim,
    Verdict,
    not_covered,
    nothing,
)


def _spread() -> pd.DataFrame:
    s = context.supplier_spread()
    return s[s["window_end_year"].isin([2003, 2008, 2013, 2018, 2023, 2024])].reset_index(drop=True)


def _judge_spread(ev: pd.DataFrame) -> Verdict:
    s = ev.sort_values("window_end_year")
    early = s[s["window_end_year"] == 2013].iloc[0]
    late = s.iloc[-1]
    verdict = SUPPORTED if late["hhi"] < early["hhi"] else CONTRADICTED
    return Verdict(
        verdict,
        f"India's arms imports spread out: suppliers with 5 % or more went from "
        f"{int(early['suppliers_over_5pct'])} (2009–13) to {int(late['suppliers_over_5pct'])} "
        f"({int(late['window_start_year'])}–{int(late['window_end_year'])}), Russia's share from "
        f"{early['russia_share_pct']:g} % to {late['russia_share_pct']:g} %, and concentration "
        f"(HHI) from {early['hhi']:g} to {late['hhi']:g} (derived from SIPRI's register); buying "
        "from several sides while keeping Russia first fits the autonomy reading.",
    )


CLAIMS = [
    Claim(
        "autonomy-supplier-spread",
        "Strategic autonomy",
        "India spreads its arms purchases across several partners while keeping Russia.",
        _spread,
        _judge_spread,
    ),
    Claim(
        "autonomy-multipolar",
        "Strategic autonomy",
        "For India the visit is a move to practise strategic autonomy and promote a multipolar world order.",
        nothing,
        not_covered(
            "a statement of intent and doctrine: no table records positions on the world order "
            "or the motives of a visit."
        ),
    ),
    Claim(
        "autonomy-elite-west",
        "Strategic autonomy",
        "India's elite leans towards the West.",
        nothing,
        not_covered("no data on elite opinion or attitudes are held."),
    ),
]
