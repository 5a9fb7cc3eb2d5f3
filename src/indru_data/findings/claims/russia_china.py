"""The report's chapter "Warming Russia–China relations": its claims, the rows that bear on each, and the verdict."""

from __future__ import annotations

import pandas as pd

from indru_data.findings import analysis, context
from indru_data.findings.claims.base import (
    NOT_COVERED,
    QUALIFIED,
    SUPPORTED,
    Claim,
    Verdict,
    bn,
)


def _russia_china_trade() -> pd.DataFrame:
    t = context.trade_russia_china_vs_india()
    cols = [
        "year",
        "russia_china_russia_reported",
        "russia_china_china_reported",
        "russia_china_china_customs",
        "india_russia_russia_reported",
        "india_russia_commerce_fy_total",
        "source_ids",
    ]
    return t[t["year"] >= 2013][cols].reset_index(drop=True)


def _judge_russia_china_trade(ev: pd.DataFrame) -> Verdict:
    customs = ev.dropna(subset=["russia_china_china_customs"]).set_index("year")[
        "russia_china_china_customs"
    ]
    imf = ev.dropna(subset=["russia_china_china_reported"]).set_index("year")[
        "russia_china_china_reported"
    ]
    if customs.empty or imf.empty:
        return Verdict(NOT_COVERED, "no China-reported series on both sides of 2020.")
    base_year, base = int(imf.index.max()), imf.iloc[-1]
    peak_year, peak = int(customs.idxmax()), customs.max()
    last_year, last = int(customs.index.max()), customs.iloc[-1]
    said = (
        f"China-reported trade with Russia grew from {bn(base)} in {base_year} (IMF) to "
        f"{bn(peak)} in {peak_year} (China's customs), {peak / base:.1f} times as much"
    )
    if last < peak:
        return Verdict(
            QUALIFIED,
            said + f"; it then fell to {bn(last)} in {last_year}. Deepening through "
            f"{peak_year}, not in the latest year held.",
        )
    return Verdict(SUPPORTED, said + ".")


def _china_arms_share() -> pd.DataFrame:
    d = context.russia_export_shares()
    d = d[d["window_end_year"] >= 2010]
    p = context.russia_export_shares(context.PUBLISHED).dropna(subset=["china_share_pct"])
    return pd.concat(
        [d.assign(measure=context.DERIVED), p.assign(measure=context.PUBLISHED)], ignore_index=True
    )[
        [
            "window_start_year",
            "window_end_year",
            "china_share_pct",
            "india_share_pct",
            "measure",
            "release_year",
            "source_id",
        ]
    ]


def _judge_china_arms(ev: pd.DataFrame) -> Verdict:
    d = ev[ev["measure"] == context.DERIVED].set_index("window_end_year")["china_share_pct"]
    tiv = context.russia_tiv_by_window().set_index("window_end_year")["to_china_tiv_mn"]
    if d.empty:
        return Verdict(NOT_COVERED, "no shares of Russia's arms exports held.")
    peak_end = int(d[d.index >= 2014].idxmax())
    last_end = int(d.index.max())
    pub = ev[ev["measure"] == context.PUBLISHED].sort_values(["window_end_year", "release_year"])
    # A window can have SIPRI's figure of several releases: each names its release where known.
    published = ", ".join(
        f"{int(r.window_start_year)}–{int(r.window_end_year) % 100:02d}: {r.china_share_pct:g} %"
        + (f" ({int(r.release_year)} release)" if pd.notna(r.release_year) else "")
        for r in pub.itertuples()
    )
    reason = (
        f"in arms transfers, China's share of Russia's exports (derived from SIPRI's register) rose "
        f"to {d[peak_end]:g} % in the window ending {peak_end} and fell to {d[last_end]:g} % in the "
        f"window ending {last_end}; TIV delivered to China fell from {tiv[peak_end]:,.0f} to "
        f"{tiv[last_end]:,.0f} million. Published shares: {published}. Exercises, joint "
        "development and technology transfer are not in the data."
    )
    if d[last_end] < d[peak_end]:
        return Verdict(
            QUALIFIED, "deepening is not seen in arms deliveries after 2018–22: " + reason
        )
    return Verdict(SUPPORTED, reason)


def _priority_worry() -> pd.DataFrame:
    shares = context.russia_export_shares()
    shares = shares[shares["window_end_year"] >= 2014][
        ["window_start_year", "window_end_year", "india_share_pct", "china_share_pct", "source_id"]
    ]
    delays = context.delivery_delays().rename(columns={"deal_id": "delayed_programme"})
    return pd.concat([shares, delays], ignore_index=True)


def _judge_priority(ev: pd.DataFrame) -> Verdict:
    shares = ev.dropna(subset=["india_share_pct"])
    delays = ev.dropna(subset=["delayed_programme"])
    if shares.empty:
        return Verdict(NOT_COVERED, "no shares of Russia's arms exports held.")
    ahead = (shares["india_share_pct"] > shares["china_share_pct"]).all()
    last = shares.sort_values("window_end_year").iloc[-1]
    programmes = sorted(set(delays["delayed_programme"]))
    facts = analysis.load("arms_deal_facts")
    delayed = facts[facts["status"] == "delayed"]
    china = delayed["description"].str.contains("China|Chinese", regex=True, na=False).sum()
    pub = context.russia_export_shares(context.PUBLISHED).dropna(
        subset=["india_share_pct", "china_share_pct"]
    )
    latest_pub = pub.sort_values("window_end_year").iloc[-1] if not pub.empty else None
    pub_text = (
        f"; SIPRI published {latest_pub['india_share_pct']:g} % against {latest_pub['china_share_pct']:g} % "
        f"for {int(latest_pub['window_start_year'])}–{int(latest_pub['window_end_year'])}"
        if latest_pub is not None
        else ""
    )
    return Verdict(
        QUALIFIED,
        f"delays of Russian deliveries are held ({len(delays)} facts on {len(programmes)} "
        f"programmes: {', '.join(programmes)}), and {china} of the delay facts mentions China. "
        "In arms deliveries India, not "
        f"China, was Russia's larger customer in {'every' if ahead else 'not every'} window since "
        f"2010–14 (derived): {last['india_share_pct']:g} % against {last['china_share_pct']:g} % "
        f"in {int(last['window_start_year'])}–{int(last['window_end_year'])}{pub_text}. The worry "
        "itself (a future choice) cannot be checked against data.",
    )


CLAIMS = [
    Claim(
        "russia-china-trade",
        "Warming Russia–China relations",
        "Russia–China trade is deepening.",
        _russia_china_trade,
        _judge_russia_china_trade,
    ),
    Claim(
        "russia-china-military",
        "Warming Russia–China relations",
        "Russia–China military cooperation is deepening.",
        _china_arms_share,
        _judge_china_arms,
    ),
    Claim(
        "russia-prioritises-china",
        "Warming Russia–China relations",
        "India worries that if Russia prioritises China, the Indian military could be left short of equipment.",
        _priority_worry,
        _judge_priority,
    ),
]
