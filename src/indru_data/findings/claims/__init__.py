"""The report summary's claims, checked against the data: evidence rows and a computed verdict.

One module per chapter of the 2025 report (the chapter's claims, the rows that bear on each,
and how the verdict is computed from them); base.py holds what they share. docs/report-
claims.md is generated from CLAIMS by `indru-data build` (indru_data.findings.pages), so the
page cannot drift from the data: when a row changes, the evidence and the verdict change
with it. The claims are paraphrased from the 2025 report summary kept in the project's
shared context; it is a secondary summary, never a source for any figure in the tables.
"""

from __future__ import annotations

import pandas as pd

from indru_data.findings.claims import (
    autonomy,
    dependence,
    diversification,
    interactions,
    isolation,
    military,
    putin_visit,
    russia_china,
    sanctions,
    trade,
)
from indru_data.findings.claims.base import (
    CONTRADICTED,
    NOT_COVERED,
    QUALIFIED,
    SUPPORTED,
    Claim,
    Verdict,
)

# The report's ten chapters (short name used in CLAIMS, title in the report summary).
CHAPTERS: tuple[tuple[str, str], ...] = (
    (
        "High-level interactions",
        "High-level India-Russia interactions and the trajectory of bilateral relations",
    ),
    (
        "Economic and trade relations",
        "Western pressure and the surge in India-Russia economic and trade relations",
    ),
    (
        "Military-technical cooperation",
        "The historical status and declining trend of military-technical cooperation",
    ),
    (
        "Defence procurement diversification",
        "Motivations behind India's defence procurement diversification",
    ),
    ("Sanctions", "The practical challenges and impact of sanctions on India-Russia cooperation"),
    (
        "Warming Russia–China relations",
        "The potential impact of warming Russia-China relations on India-Russia defence cooperation",
    ),
    (
        "Continued dependence",
        "India's continued dependence on Russian military equipment and new procurement intentions",
    ),
    (
        "Agenda for Putin's visit",
        "Agenda for Putin's visit to India: trade, regional cooperation and key issues",
    ),
    (
        "The West's isolation policy",
        "The impact of India-Russia cooperation on the West's policy of isolating Russia",
    ),
    (
        "Strategic autonomy",
        "The logic of bilateral relations under India's strategic autonomy policy",
    ),
)


# In the order of the report's chapters.
CLAIMS: list[Claim] = [
    *interactions.CLAIMS,
    *trade.CLAIMS,
    *military.CLAIMS,
    *diversification.CLAIMS,
    *sanctions.CLAIMS,
    *russia_china.CLAIMS,
    *dependence.CLAIMS,
    *putin_visit.CLAIMS,
    *isolation.CLAIMS,
    *autonomy.CLAIMS,
]


def check_all() -> list[tuple[Claim, pd.DataFrame, Verdict]]:
    out = []
    for claim in CLAIMS:
        ev = claim.evidence()
        out.append((claim, ev, claim.judge(ev)))
    return out


__all__ = [
    "CHAPTERS",
    "CLAIMS",
    "CONTRADICTED",
    "NOT_COVERED",
    "QUALIFIED",
    "SUPPORTED",
    "Claim",
    "Verdict",
    "check_all",
]
