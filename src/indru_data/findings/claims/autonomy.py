"""The report's chapter "Strategic autonomy": its claims, the rows that bear on each, and the verdict."""

from __future__ import annotations

import pandas as pd

from indru_data.findings import context, unga
from indru_data.findings.claims.base import (
    CONTRADICTED,
    QUALIFIED,
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


def _unga_alignment() -> pd.DataFrame:
    p = unga.by_period()
    return p[p["pair"].isin(["ind_rus", "ind_usa", "ind_chn"])].reset_index(drop=True)


def _judge_unga_alignment(ev: pd.DataFrame) -> Verdict:
    y = unga.yearly().set_index("year")
    closer = y["ind_rus"] > y["ind_usa"]
    since = int(closer[~closer].index.max()) + 1 if (~closer).any() else int(y.index.min())
    soviet = y.loc[1985:1990, "ind_rus"]
    low_year = int(y.loc[1992:2000, "ind_rus"].idxmin())
    last = int(y.index.max())
    latest = ev[ev["period"] == ev["period"].iloc[-1]].set_index("pair")
    china_closer = (
        latest.loc["ind_chn", "identical_share"] > latest.loc["ind_rus", "identical_share"]
    )
    reason = (
        f"In the General Assembly India has voted the same way as Russia (the USSR before 1992) "
        f"more often than as the United States in every year from {since} to {last}. But the "
        f"share of identical votes fell from {soviet.max():.3f} ({int(soviet.idxmax())}) to "
        f"{y.loc[low_year, 'ind_rus']:.3f} ({low_year}) after the USSR ended and was "
        f"{y.loc[last, 'ind_rus']:.3f} in {last}: back above the 1990s, not at the Soviet-era level. "
    )
    if china_closer:
        reason += (
            f"India votes with China still more often ({latest.loc['ind_chn', 'identical_share']:.3f} "
            f"against {latest.loc['ind_rus', 'identical_share']:.3f} with Russia, "
            f"{ev['period'].iloc[-1]}), so the votes show India with the "
            "non-Western majority more than a bond with Russia alone; they say nothing of the elite's leanings."
        )
    verdict = SUPPORTED if (since <= 1960 and not china_closer) else QUALIFIED
    return Verdict(verdict, reason)


CLAIMS = [
    Claim(
        "autonomy-supplier-spread",
        "Strategic autonomy",
        "India spreads its arms purchases across several partners while keeping Russia.",
        _spread,
        _judge_spread,
    ),
    Claim(
        "autonomy-unga-long-standing",
        "Strategic autonomy",
        "India and Russia build on a long-standing partnership, though India's elite leans towards the West.",
        _unga_alignment,
        _judge_unga_alignment,
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
