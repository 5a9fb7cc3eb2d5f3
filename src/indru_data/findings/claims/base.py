"""What a checked claim is: its verdicts, the Claim record and helpers every chapter uses."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

SUPPORTED, QUALIFIED, CONTRADICTED, NOT_COVERED = (
    "supported",
    "qualified",
    "contradicted",
    "not covered",
)


@dataclass(frozen=True)
class Verdict:
    verdict: str
    reason: str


@dataclass(frozen=True)
class Claim:
    claim_id: str
    chapter: str
    text: str
    evidence: Callable[[], pd.DataFrame]
    judge: Callable[[pd.DataFrame], Verdict]


def bn(x: float) -> str:
    return f"${x / 1000:.1f} bn"


def judge_nonempty(what: str) -> Callable[[pd.DataFrame], Verdict]:
    def judge(ev: pd.DataFrame) -> Verdict:
        if ev.empty:
            return Verdict(NOT_COVERED, f"no row on {what}.")
        return Verdict(SUPPORTED, f"{len(ev)} row(s) on {what}.")

    return judge


def not_covered(reason: str) -> Callable[[pd.DataFrame], Verdict]:
    def judge(ev: pd.DataFrame) -> Verdict:
        return Verdict(NOT_COVERED, reason)

    return judge


def nothing() -> pd.DataFrame:
    return pd.DataFrame(columns=["source_id"])
