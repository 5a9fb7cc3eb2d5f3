"""The report's chapter "The West's isolation policy": its claims, the rows that bear on each, and the verdict."""

from __future__ import annotations

import pandas as pd

from indru_data.findings import analysis, context, unga
from indru_data.findings.claims.base import (
    CONTRADICTED,
    NOT_COVERED,
    QUALIFIED,
    SUPPORTED,
    Claim,
    Verdict,
    bn,
    not_covered,
    nothing,
)


def _contacts() -> pd.DataFrame:
    return context.contacts_before_after_invasion()


def _judge_contacts(ev: pd.DataFrame) -> Verdict:
    before, after = ev.iloc[0], ev.iloc[1]
    verdict = SUPPORTED if after["per_year"] >= before["per_year"] else QUALIFIED
    return Verdict(
        verdict,
        f"{int(after['contacts'])} high-level contacts and summits held from 24 February 2022 "
        f"({after['per_year']:g} a year) against {int(before['contacts'])} in the years before "
        f"({before['per_year']:g} a year). Earlier years have more gaps in the interactions table "
        "(docs/coverage.md), so part of the rise may be one of coverage; contacts did not stop.",
    )


def _votes() -> pd.DataFrame:
    return context.india_votes_on_ukraine()


def _judge_votes(ev: pd.DataFrame) -> Verdict:
    after = ev[ev["after_invasion"]]
    if after.empty:
        return Verdict(NOT_COVERED, "no vote after February 2022 held.")
    counts = dict(zip(after["india_vote"].astype(str), after["votes"], strict=True))
    total = sum(counts.values())
    yes = counts.get("yes", 0)
    said = (
        f"of {total} Ukraine-related votes held from February 2022, India abstained in "
        f"{counts.get('abstain', 0)}, voted yes in {yes} and no in {counts.get('no', 0)}"
    )
    if yes == 0:
        return Verdict(SUPPORTED, said + ".")
    v = analysis.load("un_votes")
    yes_rows = v[(v["vote_date"] >= context.INVASION) & (v["india_vote"].astype(str) == "yes")]
    titles = "; ".join(f"{r.vote_id}: {r.title}" for r in yes_rows.itertuples())
    return Verdict(
        QUALIFIED,
        said + f". The yes vote(s): {titles}. Whether a yes condemned Russia depends on the text, "
        "which the table gives only by title.",
    )


def _unga_ukraine() -> pd.DataFrame:
    u = unga.ukraine_votes()
    score = [unga.agreement_score(a, b) for a, b in zip(u["IND"], u["RUS"], strict=True)]
    cols = ["roll_call_id", "vote_date", "resolution_symbol", "title", "IND", "RUS"]
    return u[cols].assign(agreement=score, source_ids=u["vote_source_ids"])


def _judge_unga_ukraine(ev: pd.DataFrame) -> Verdict:
    both = ev[ev["agreement"].notna()]
    if both.empty:
        return Verdict(NOT_COVERED, "no General Assembly vote on Ukraine with both votes held.")
    opposed, same = both[both["agreement"] == 0], both[both["agreement"] == 1]
    half = both[both["agreement"] == 0.5]
    unknown = ev[ev["agreement"].isna() & ev["IND"].notna()]
    india_yes = unknown[unknown["IND"] == "yes"]["roll_call_id"].tolist()
    years = sorted({d.year for d in same["vote_date"]})
    said = (
        f"of {len(both)} General Assembly roll calls on Ukraine or Crimea from 2014 with both votes "
        f"held, India voted against Russia in {len(opposed)}; it cast the same vote as Russia in "
        f"{len(same)} (the Crimea human-rights resolutions of {', '.join(map(str, years))}: both "
        f"against) and abstained where Russia voted no in {len(half)} (resolution 68/262 of 2014, the "
        "Crimea militarisation resolutions and every ES-11 resolution held). Russia's vote is not "
        f"held for {len(unknown)} more ({', '.join(unknown['roll_call_id'])})"
    )
    if india_yes:
        said += (
            f", among them India's yes on {', '.join(india_yes)}, the procedural motion for an open "
            "vote on the annexation resolution"
        )
    verdict = SUPPORTED if opposed.empty else CONTRADICTED
    return Verdict(
        verdict,
        said + ". India never voted to condemn Russia; where both votes are held, its vote matched "
        "Russia's only on the Crimea human-rights texts, and on every other text it abstained.",
    )


def _after_cap() -> pd.DataFrame:
    return context.trade_and_crude_after_price_cap()


def _judge_after_cap(ev: pd.DataFrame) -> Verdict:
    first, peak = ev.iloc[0], ev.loc[ev["total"].idxmax()]
    return Verdict(
        SUPPORTED,
        f"official trade rose from {bn(first['total'])} ({first['period']}) to {bn(peak['total'])} "
        f"({peak['period']}), and Russia's share of India's crude imports by value from "
        f"{first['crude_share_pct']:g} % to {ev['crude_share_pct'].max():g} % (Department of "
        "Commerce) after the G7 price cap of 5 December 2022; India did not stop buying.",
    )


CLAIMS = [
    Claim(
        "isolation-contacts",
        "The West's isolation policy",
        "India kept up high-level contacts with Russia after the invasion of Ukraine.",
        _contacts,
        _judge_contacts,
    ),
    Claim(
        "isolation-un-votes",
        "The West's isolation policy",
        "India refused to condemn Russia.",
        _votes,
        _judge_votes,
    ),
    Claim(
        "isolation-unga-never-against-russia",
        "The West's isolation policy",
        "India refused to condemn Russia: in the General Assembly it never voted against Russia over Ukraine.",
        _unga_ukraine,
        _judge_unga_ukraine,
    ),
    Claim(
        "isolation-trade-after-price-cap",
        "The West's isolation policy",
        "India did not join the sanctions and kept buying Russian oil after the price cap.",
        _after_cap,
        _judge_after_cap,
    ),
    Claim(
        "isolation-failed",
        "The West's isolation policy",
        "Putin's visit to India is a diplomatic breakthrough that shows the West's policy of isolating Russia has failed.",
        nothing,
        not_covered(
            "a judgement on Western policy: the data hold India's contacts, votes and trade with "
            "Russia (the three claims above), not the aims of Western policy or other countries' "
            "dealings with Russia against which its success could be measured."
        ),
    ),
]
