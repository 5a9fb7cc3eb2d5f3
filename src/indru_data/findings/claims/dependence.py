"""The report's chapter "Continued dependence": its claims, the rows that bear on each, and the verdict."""

from __future__ import annotations

import pandas as pd

from indru_data.findings import analysis, context
from indru_data.findings.claims.base import (
    CONTRADICTED,
    NOT_COVERED,
    QUALIFIED,
    SUPPORTED,
    Claim,
    Verdict,
    bn,
    judge_nonempty,
)

PLATFORMS = ("T-72", "T-90", "Su-30MKI")


QUALIFIER_WORDS = {
    "exact": "",
    "about": "about ",
    "nearly": "nearly ",
    "over": "over ",
    "under": "under ",
}


def _count_text(row: pd.Series) -> str:
    precision = str(row["as_of_precision"])
    date = row["as_of_date"].date().isoformat()[: {"day": 10, "month": 7, "year": 4}[precision]]
    return f"{QUALIFIER_WORDS[str(row['count_qualifier'])]}{int(row['count']):,} ({date})"


def _platforms() -> pd.DataFrame:
    counts = context.equipment_counts()
    in_service = counts["count_basis"] == "in_service"
    return counts[in_service & counts["system"].astype(str).isin(PLATFORMS)].reset_index(drop=True)


def _judge_platforms(ev: pd.DataFrame) -> Verdict:
    # Judged on counts in service, each with its date; conflicting counts are all shown.
    missing = [p for p in PLATFORMS if not (ev["system"].astype(str) == p).any()]
    parts = []
    for p in PLATFORMS:
        rows = ev[ev["system"].astype(str) == p].sort_values("as_of_date")
        if not rows.empty:
            parts.append(f"{p}: " + ", ".join(_count_text(r) for _, r in rows.iterrows()))
    said = "counts in service held (as of the date in brackets): " + "; ".join(parts) + "."
    if missing:
        return Verdict(QUALIFIED, f"no count in service held for {', '.join(missing)}. " + said)
    return Verdict(
        SUPPORTED,
        said + " Sources disagree (e.g. the T-90 counts), so each count is kept with its date.",
    )


def _ak203() -> pd.DataFrame:
    return analysis.programme_facts("rus-ak-203")


def _voronezh() -> pd.DataFrame:
    return analysis.programme_facts("rus-voronezh")


def _judge_voronezh(ev: pd.DataFrame) -> Verdict:
    usd = ev[ev["contract_currency"] == "USD"]["contract_value_mn"]
    if usd.empty:
        return Verdict(NOT_COVERED, "no dollar value held.")
    if (usd - 40000).abs().min() <= 4000:
        return Verdict(SUPPORTED, f"value held: {bn(usd.iloc[0])}.")
    return Verdict(
        CONTRADICTED,
        f"the value held is {bn(usd.iloc[0])} (talks, not a contract), a tenth of the $40 bn claimed.",
    )


CLAIMS = [
    Claim(
        "russian-platforms",
        "Continued dependence",
        "India's forces field Russian-made T-72 and T-90 tanks and Su-30MKI fighters.",
        _platforms,
        _judge_platforms,
    ),
    Claim(
        "ak-203",
        "Continued dependence",
        "India is replacing INSAS rifles with Russian AK-203s.",
        _ak203,
        judge_nonempty("the AK-203 programme"),
    ),
    Claim(
        "voronezh",
        "Continued dependence",
        "India intends to buy the $40 billion, 6,000 km Voronezh radar.",
        _voronezh,
        _judge_voronezh,
    ),
]
