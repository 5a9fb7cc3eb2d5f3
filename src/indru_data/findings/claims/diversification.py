"""The report's chapter "Defence procurement diversification": its claims, the rows that bear on each, and the verdict."""

from __future__ import annotations

import pandas as pd

from indru_data.findings import analysis
from indru_data.findings.claims.base import (
    NOT_COVERED,
    SUPPORTED,
    Claim,
    Verdict,
)


def _diversification() -> pd.DataFrame:
    s = analysis.load("arms_supplier_shares")
    rows = s[(s["measure"] == "sipri_tiv_published") & s["supplier"].isin(["FRA", "USA", "ISR"])]
    cols = [
        "window_start_year",
        "window_end_year",
        "supplier",
        "share_of_india_imports_pct",
        "sipri_release_year",
        "source_id",
    ]
    return rows.sort_values(["supplier", "window_end_year"])[cols].reset_index(drop=True)


def _judge_diversification(ev: pd.DataFrame) -> Verdict:
    fra = ev[ev["supplier"] == "FRA"].sort_values("window_end_year")
    if fra.empty:
        return Verdict(NOT_COVERED, "no published French share.")
    return Verdict(
        SUPPORTED,
        f"France's published share reaches {fra['share_of_india_imports_pct'].max():g} % "
        f"({int(fra.iloc[-1]['window_start_year'])}–{int(fra.iloc[-1]['window_end_year'])}); the US and Israel "
        "appear among the main suppliers in every published window held.",
    )


CLAIMS = [
    Claim(
        "arms-diversification",
        "Defence procurement diversification",
        "India is diversifying arms purchases towards France and the United States.",
        _diversification,
        _judge_diversification,
    ),
]
