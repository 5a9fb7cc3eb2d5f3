"""The report's chapter "High-level interactions": its claims, the rows that bear on each, and the verdict."""

from __future__ import annotations

import pandas as pd

from indru_data.findings import analysis
from indru_data.findings.claims.base import (
    NOT_COVERED,
    QUALIFIED,
    SUPPORTED,
    Claim,
    Verdict,
)

# A summit's id or an interaction's id, one column for both kinds of occasion.
OCCASION = ["occasion_id", "start_date", "city", "source_id"]


def _visits_2024() -> pd.DataFrame:
    s = analysis.load("summits")
    i = analysis.load("interactions")
    a = s[(s["start_date"].dt.year == 2024) & (s["host_country"] == "RUS")]
    a = a.rename(columns={"summit_id": "occasion_id"})[OCCASION]
    b = i[
        (i["date"].dt.year == 2024)
        & (i["country"] == "RUS")
        & i["india_participants"].str.contains("Modi", na=False)
    ]
    b = b.rename(columns={"interaction_id": "occasion_id", "date": "start_date"})[OCCASION]
    return pd.concat([a, b], ignore_index=True)


def _judge_visits(ev: pd.DataFrame) -> Verdict:
    n = ev["start_date"].dt.month.nunique()
    return Verdict(
        SUPPORTED if n >= 2 else QUALIFIED,
        f"{n} separate months with Modi in Russia in 2024 ({', '.join(ev['city'].astype(str))}).",
    )


def _modi_in_russia() -> pd.DataFrame:
    """Every dated occasion with Modi in Russia: summits hosted by Russia and other contacts there."""
    s = analysis.load("summits")
    i = analysis.load("interactions")
    a = s[(s["host_country"] == "RUS") & s["india_leader"].str.contains("Modi")]
    a = a.rename(columns={"summit_id": "occasion_id"})[OCCASION]
    b = i[(i["country"] == "RUS") & i["india_participants"].str.contains("Modi", na=False)]
    b = b.rename(columns={"interaction_id": "occasion_id", "date": "start_date"})[OCCASION]
    return pd.concat([a, b], ignore_index=True).sort_values("start_date").reset_index(drop=True)


def _judge_gap(ev: pd.DataFrame) -> Verdict:
    before = ev[ev["start_date"] < "2024-01-01"]
    if before.empty:
        return Verdict(NOT_COVERED, "no earlier visit held.")
    last = before["start_date"].max()
    years = (pd.Timestamp("2024-07-08") - last).days / 365.25
    verdict = SUPPORTED if 4.5 <= years <= 5.5 else QUALIFIED
    return Verdict(
        verdict,
        f"the previous visit held is {last.date().isoformat()} "
        f"({before.loc[before['start_date'].idxmax(), 'city']}), {years:.1f} years before July 2024.",
    )


def _putin_visit() -> pd.DataFrame:
    s = analysis.load("summits")
    return s[s["summit_id"] == "summit-23-2025"][
        ["summit_id", "start_date", "end_date", "city", "source_id"]
    ].reset_index(drop=True)


def _judge_putin(ev: pd.DataFrame) -> Verdict:
    if ev.empty:
        return Verdict(NOT_COVERED, "no 2025 summit held.")
    d = ev["start_date"].iloc[0]
    if d.month <= 4:
        return Verdict(SUPPORTED, "the visit took place early in 2025.")
    return Verdict(
        QUALIFIED, f"the visit took place, but on {d.date().isoformat()}, not early in 2025."
    )


CLAIMS = [
    Claim(
        "modi-2024-visits",
        "High-level interactions",
        "Modi visited Russia twice in 2024.",
        _visits_2024,
        _judge_visits,
    ),
    Claim(
        "modi-five-year-gap",
        "High-level interactions",
        "Modi's 2024 visits to Russia came after a five-year gap.",
        _modi_in_russia,
        _judge_gap,
    ),
    Claim(
        "putin-visit-2025",
        "High-level interactions",
        "Putin planned to visit India in early 2025.",
        _putin_visit,
        _judge_putin,
    ),
]
