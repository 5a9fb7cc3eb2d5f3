"""The report's chapter "Agenda for Putin's visit": its claims, the rows that bear on each, and the verdict."""

from __future__ import annotations

import pandas as pd

from indru_data.findings import analysis
from indru_data.findings.claims.base import (
    QUALIFIED,
    SUPPORTED,
    Claim,
    Verdict,
)


def _agenda_2025() -> pd.DataFrame:
    return analysis.report_agenda_vs_2025("summit-23-2025")


def _judge_agenda(ev: pd.DataFrame) -> Verdict:
    missing = ev.loc[ev["outcomes"] == 0, "report_item"].tolist()
    if missing:
        return Verdict(
            QUALIFIED,
            f"the 23rd summit (December 2025) has outcomes on {len(ev) - len(missing)} of "
            f"{len(ev)} expected items; none on: {'; '.join(missing)}.",
        )
    return Verdict(
        SUPPORTED, "the 23rd summit (December 2025) has outcomes on every expected item."
    )


CLAIMS = [
    Claim(
        "putin-visit-agenda",
        "Agenda for Putin's visit",
        "The visit would cover trade, the Far East and Arctic, the Chennai–Vladivostok corridor, payments, the return of Indian citizens and Ukraine.",
        _agenda_2025,
        _judge_agenda,
    ),
]
