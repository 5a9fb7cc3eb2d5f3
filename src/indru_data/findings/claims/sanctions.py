"""The report's chapter "Sanctions": its claims, the rows that bear on each, and the verdict."""

from __future__ import annotations

import pandas as pd

from indru_data.findings import analysis
from indru_data.findings.claims.base import (
    NOT_COVERED,
    QUALIFIED,
    SUPPORTED,
    Claim,
    Verdict,
    judge_nonempty,
)


def _companies() -> pd.DataFrame:
    s = analysis.load("sanctions_actions")
    rows = s[
        (s["jurisdiction"] == "company")
        & s["target"].str.contains("Infosys|Tata|L&T|Larsen", regex=True)
    ]
    return rows[["action_id", "announced_date", "action_type", "target", "source_id"]].reset_index(
        drop=True
    )


def _judge_companies(ev: pd.DataFrame) -> Verdict:
    names = {n: ev["target"].str.contains(n).any() for n in ("Infosys", "Tata", "L&T")}
    missing = [n for n, ok in names.items() if not ok]
    if not missing:
        return Verdict(SUPPORTED, "each company named has a row.")
    return Verdict(
        QUALIFIED,
        f"rows for {', '.join(n for n, ok in names.items() if ok)}; none found for {', '.join(missing)}.",
    )


def _lng() -> pd.DataFrame:
    s = analysis.load("sanctions_actions")
    rows = s[(s["jurisdiction"] == "IND") & s["target"].str.contains("LNG")]
    return rows[["action_id", "announced_date", "action_type", "target", "source_id"]].reset_index(
        drop=True
    )


def _oil_sanctions() -> pd.DataFrame:
    c = analysis.load("crude_oil_imports")
    rows = c[
        (c["period_type"] == "month")
        & (c["period_start"] >= "2025-09-01")
        & c["volume_kbd"].notna()
        & ~c["is_partial"]
    ]
    return rows[["period", "volume_kbd", "measured_by", "source_id", "crude_id"]].reset_index(
        drop=True
    )


def _judge_oil(ev: pd.DataFrame) -> Verdict:
    before = ev[ev["period"] == "2025-10"]["volume_kbd"]
    after = ev[ev["period"] == "2026-01"]["volume_kbd"]
    if before.empty or after.empty:
        return Verdict(NOT_COVERED, "no monthly volumes around the October 2025 sanctions.")
    return Verdict(
        SUPPORTED,
        f"imports of Russian crude fell from {before.max():g} thousand b/d (October 2025) to "
        f"{after.min():g}–{after.max():g} (January 2026) after the US sanctions on Rosneft and Lukoil.",
    )


CLAIMS = [
    Claim(
        "company-exits",
        "Sanctions",
        "Infosys closed its Russian operations; Tata Group, L&T and others restricted business in Russia.",
        _companies,
        _judge_companies,
    ),
    Claim(
        "lng-refusal",
        "Sanctions",
        "India will not buy products of sanctioned LNG projects.",
        _lng,
        judge_nonempty("India's stance on sanctioned LNG projects"),
    ),
    Claim(
        "oil-sanctions",
        "Sanctions",
        "US sanctions on Russian energy companies and tankers hit India's imports of Russian oil.",
        _oil_sanctions,
        _judge_oil,
    ),
]
