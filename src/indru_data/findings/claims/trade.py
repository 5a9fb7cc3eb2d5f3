"""The report's chapter "Economic and trade relations": its claims, the rows that bear on each, and the verdict."""

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
    bn,
    judge_nonempty,
)


def _prewar() -> pd.DataFrame:
    return analysis.trade_totals(["2021", "FY2021-22"])


def _others(ev: pd.DataFrame, best: pd.DataFrame) -> str:
    others = ev.drop(index=best.index)["value_usd_mn"]
    return ", ".join(bn(x) for x in others) if not others.empty else "none"


def _preferred_total(ev: pd.DataFrame, period: str) -> pd.DataFrame:
    """The preferred India-side total for a fiscal year (one row, or none)."""
    return ev[(ev["period"] == period) & ev["preferred"].astype(bool) & (ev["compiler"] != "other")]


def _judge_prewar(ev: pd.DataFrame) -> Verdict:
    # The preferred row decides (official statistics rank first); the others are listed.
    best = _preferred_total(ev, "FY2021-22")
    others = f" Other figures for 2021 and FY2021-22: {_others(ev, best)}."
    if best.empty:
        return Verdict(NOT_COVERED, "no preferred figure for FY2021-22 is held." + others)
    value, source = best["value_usd_mn"].iloc[0], best["source_id"].iloc[0]
    said = f"the preferred FY2021-22 total is {bn(value)} (`{source}`)."
    verdict = SUPPORTED if 10000 <= value <= 14000 else CONTRADICTED
    return Verdict(verdict, said + others)


def _y2023() -> pd.DataFrame:
    return analysis.trade_totals(["2023", "FY2023-24"])


def _judge_2023(ev: pd.DataFrame) -> Verdict:
    best = _preferred_total(ev, "FY2023-24")
    cal = ev[(ev["period"] == "2023")]["value_usd_mn"]
    quotes = f" Calendar-2023 figures quoted: {', '.join(bn(x) for x in cal) or 'none'}."
    if best.empty:
        return Verdict(NOT_COVERED, "no preferred figure for FY2023-24 is held." + quotes)
    value, source = best["value_usd_mn"].iloc[0], best["source_id"].iloc[0]
    said = (
        f"the preferred figure is {bn(value)} for FY2023-24 (April 2023 to March 2024, "
        f"`{source}`); no official calendar-2023 figure is held, so the $65 bn matches the "
        "fiscal year, not the calendar year."
    )
    if abs(value - 65000) > 1300:
        return Verdict(CONTRADICTED, said + quotes)
    return Verdict(QUALIFIED, said + quotes)


def _composition() -> pd.DataFrame:
    c = analysis.load("trade_by_commodity")
    keep = c["commodity_label"].str.contains("Crude|Oil|oil|Smartphones|Engineering", regex=True)
    cols = [
        "period",
        "is_partial",
        "flow",
        "commodity_label",
        "value_usd_mn",
        "share_of_flow_pct",
        "source_id",
    ]
    return c[keep][cols].reset_index(drop=True)


def _judge_composition(ev: pd.DataFrame) -> Verdict:
    imp = ev[ev["flow"] == "india_imports_from_russia"]
    exp = ev[ev["flow"] == "india_exports_to_russia"]
    phones = exp[(exp["commodity_label"] == "Smartphones") & ~exp["is_partial"]].sort_values(
        "period"
    )
    if imp.empty or exp.empty:
        return Verdict(NOT_COVERED, "no commodity rows for one of the flows.")
    grow = ""
    if len(phones) >= 2:
        grow = f" Smartphone exports went from {phones['value_usd_mn'].iloc[0]:g} to {phones['value_usd_mn'].iloc[-1]:g} USD mn."
    return Verdict(
        QUALIFIED,
        "crude and oil dominate imports; electronics and engineering exports are documented but "
        "small, and no HS-level machinery series is held." + grow,
    )


def _vostro() -> pd.DataFrame:
    m = analysis.load("trade_measures")
    rows = m[m["description"].str.contains("vostro|SRVA", case=False, regex=True)]
    return rows[["measure_id", "date", "actor", "value", "value_unit", "source_id"]].reset_index(
        drop=True
    )


def _india_among_russias_partners() -> pd.DataFrame:
    ranks = analysis.partner_ranks()
    return ranks[ranks["ranking_country"].astype(str) == "RUS"].reset_index(drop=True)


def _judge_partner_rank(ev: pd.DataFrame) -> Verdict:
    second = ev[ev["rank"] == 2]
    if second.empty:
        return Verdict(NOT_COVERED, "no row ranks India among Russia's partners.")
    trade = second[second["measure"].astype(str) == "total_trade"]
    if not trade.empty and trade["period"].notna().any():
        return Verdict(SUPPORTED, f"India ranks second in {len(trade)} row(s) with a period.")
    india_side = analysis.partner_ranks()
    india_side = india_side[
        (india_side["ranking_country"].astype(str) == "IND")
        & (india_side["measure"].astype(str) == "total_trade")
    ].dropna(subset=["period"])
    seen = "; ".join(
        f"{p}: {r}" for p, r in zip(india_side["period"], india_side["rank"], strict=True)
    )
    return Verdict(
        QUALIFIED,
        "only a Russian official's statement, with no period or measure, calls India Russia's "
        "second-largest 'economic partner'; no trade statistics ranking Russia's partners are "
        f"held. Russia's place among India's partners, as held: {seen}.",
    )


CLAIMS = [
    Claim(
        "trade-prewar",
        "Economic and trade relations",
        "Bilateral trade was about $12 billion before the war.",
        _prewar,
        _judge_prewar,
    ),
    Claim(
        "trade-2023",
        "Economic and trade relations",
        "Bilateral trade reached $65 billion in 2023.",
        _y2023,
        _judge_2023,
    ),
    Claim(
        "trade-partner-rank",
        "Economic and trade relations",
        "India became Russia's second-largest trading partner.",
        _india_among_russias_partners,
        _judge_partner_rank,
    ),
    Claim(
        "trade-composition",
        "Economic and trade relations",
        "India imports crude oil from Russia and exports more consumer electronics, machinery and equipment.",
        _composition,
        _judge_composition,
    ),
    Claim(
        "vostro-accounts",
        "Economic and trade relations",
        "The RBI let Russian entities open special vostro accounts, easing payments.",
        _vostro,
        judge_nonempty("special rupee vostro accounts"),
    ),
]
