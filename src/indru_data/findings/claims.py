"""The report summary's claims, checked against the data: evidence rows and a computed verdict.

docs/report-claims.md is generated from this module by `indru-data build`, so the page cannot
drift from the data: when a row changes, the evidence and the verdict change with it. The
claims are paraphrased from the 2025 report summary kept in the project's shared context; it
is a secondary summary, never a source for any figure in the tables.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from indru_data.findings import analysis, context, official_trade
from indru_data.findings.analysis import load

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


def _bn(x: float) -> str:
    return f"${x / 1000:.1f} bn"


def _prewar() -> pd.DataFrame:
    return analysis.trade_totals(["2021", "FY2021-22"])


def _others(ev: pd.DataFrame, best: pd.DataFrame) -> str:
    others = ev.drop(index=best.index)["value_usd_mn"]
    return ", ".join(_bn(x) for x in others) if not others.empty else "none"


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
    said = f"the preferred FY2021-22 total is {_bn(value)} (`{source}`)."
    verdict = SUPPORTED if 10000 <= value <= 14000 else CONTRADICTED
    return Verdict(verdict, said + others)


def _y2023() -> pd.DataFrame:
    return analysis.trade_totals(["2023", "FY2023-24"])


def _judge_2023(ev: pd.DataFrame) -> Verdict:
    best = _preferred_total(ev, "FY2023-24")
    cal = ev[(ev["period"] == "2023")]["value_usd_mn"]
    quotes = f" Calendar-2023 figures quoted: {', '.join(_bn(x) for x in cal) or 'none'}."
    if best.empty:
        return Verdict(NOT_COVERED, "no preferred figure for FY2023-24 is held." + quotes)
    value, source = best["value_usd_mn"].iloc[0], best["source_id"].iloc[0]
    said = (
        f"the preferred figure is {_bn(value)} for FY2023-24 (April 2023 to March 2024, "
        f"`{source}`); no official calendar-2023 figure is held, so the $65 bn matches the "
        "fiscal year, not the calendar year."
    )
    if abs(value - 65000) > 1300:
        return Verdict(CONTRADICTED, said + quotes)
    return Verdict(QUALIFIED, said + quotes)


def _composition() -> pd.DataFrame:
    c = load("trade_by_commodity")
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
    m = load("trade_measures")
    rows = m[m["description"].str.contains("vostro|SRVA", case=False, regex=True)]
    return rows[["measure_id", "date", "actor", "value", "value_unit", "source_id"]].reset_index(
        drop=True
    )


def _judge_nonempty(what: str) -> Callable[[pd.DataFrame], Verdict]:
    def judge(ev: pd.DataFrame) -> Verdict:
        if ev.empty:
            return Verdict(NOT_COVERED, f"no row on {what}.")
        return Verdict(SUPPORTED, f"{len(ev)} row(s) on {what}.")

    return judge


def _arms_share() -> pd.DataFrame:
    s = analysis.russia_share_by_window()
    return s[s["window_end_year"].isin([2013, 2023])]


def _judge_arms_share(ev: pd.DataFrame) -> Verdict:
    early = ev[ev["window_end_year"] == 2013]["share_of_india_imports_pct"]
    late = ev[ev["window_end_year"] == 2023]["share_of_india_imports_pct"]
    if early.empty or late.empty:
        return Verdict(NOT_COVERED, "no published share for 2009–13 or 2019–23.")
    ok = (early.max() >= 75) and (late.round().eq(36).any())
    reason = (
        f"SIPRI published {_span(early)} % for 2009–13 and {_span(late)} % for 2019–23; these are "
        "five-year windows, not single years."
    )
    return Verdict(QUALIFIED if ok else CONTRADICTED, reason)


def _span(values: pd.Series) -> str:
    lo, hi = values.min(), values.max()
    return f"{lo:g}" if lo == hi else f"{lo:g}–{hi:g}"


def _diversification() -> pd.DataFrame:
    s = load("arms_supplier_shares")
    rows = s[(s["measure"] == "sipri_tiv_published") & s["supplier"].isin(["FRA", "USA", "ISR"])]
    cols = [
        "window_start_year",
        "window_end_year",
        "supplier",
        "share_of_india_imports_pct",
        "sipri_release_year",
        "source_id",
    ]
    return rows.sort_values(["supplier", "window_end_year"])[cols].reset_index(drop=True)


def _judge_diversification(ev: pd.DataFrame) -> Verdict:
    fra = ev[ev["supplier"] == "FRA"].sort_values("window_end_year")
    if fra.empty:
        return Verdict(NOT_COVERED, "no published French share.")
    return Verdict(
        SUPPORTED,
        f"France's published share reaches {fra['share_of_india_imports_pct'].max():g} % "
        f"({int(fra.iloc[-1]['window_start_year'])}–{int(fra.iloc[-1]['window_end_year'])}); the US and Israel "
        "appear among the main suppliers in every published window held.",
    )


def _s400() -> pd.DataFrame:
    return analysis.programme_facts("rus-s-400")


def _judge_s400(ev: pd.DataFrame) -> Verdict:
    delayed = ev[ev["status"] == "delayed"]
    if delayed.empty:
        return Verdict(NOT_COVERED, "no fact reports a delay.")
    got = delayed["quantity_delivered"].dropna()
    part = (
        f" {int(got.max())} of {int(delayed['quantity_ordered'].dropna().max())} squadrons delivered."
        if not got.empty
        else ""
    )
    return Verdict(SUPPORTED, f"{len(delayed)} source(s) report the programme delayed.{part}")


def _companies() -> pd.DataFrame:
    s = load("sanctions_actions")
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
    s = load("sanctions_actions")
    rows = s[(s["jurisdiction"] == "IND") & s["target"].str.contains("LNG")]
    return rows[["action_id", "announced_date", "action_type", "target", "source_id"]].reset_index(
        drop=True
    )


def _oil_sanctions() -> pd.DataFrame:
    c = load("crude_oil_imports")
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
    return counts[counts["system"].astype(str).isin(PLATFORMS)].reset_index(drop=True)


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
        return Verdict(SUPPORTED, f"value held: {_bn(usd.iloc[0])}.")
    return Verdict(
        CONTRADICTED,
        f"the value held is {_bn(usd.iloc[0])} (talks, not a contract), a tenth of the $40 bn claimed.",
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


def _visits_2024() -> pd.DataFrame:
    s = load("summits")
    i = load("interactions")
    a = s[(s["start_date"].dt.year == 2024) & (s["host_country"] == "RUS")][
        ["summit_id", "start_date", "city", "source_id"]
    ]
    b = i[
        (i["date"].dt.year == 2024)
        & (i["country"] == "RUS")
        & i["india_participants"].str.contains("Modi", na=False)
    ]
    b = b.rename(columns={"interaction_id": "summit_id", "date": "start_date"})[
        ["summit_id", "start_date", "city", "source_id"]
    ]
    return pd.concat([a, b], ignore_index=True)


def _judge_visits(ev: pd.DataFrame) -> Verdict:
    n = ev["start_date"].dt.month.nunique()
    return Verdict(
        SUPPORTED if n >= 2 else QUALIFIED,
        f"{n} separate months with Modi in Russia in 2024 ({', '.join(ev['city'].astype(str))}).",
    )


def _modi_in_russia() -> pd.DataFrame:
    """Every dated occasion with Modi in Russia: summits hosted by Russia and other contacts there."""
    s = load("summits")
    i = load("interactions")
    a = s[(s["host_country"] == "RUS") & s["india_leader"].str.contains("Modi")]
    a = a[["summit_id", "start_date", "city", "source_id"]]
    b = i[(i["country"] == "RUS") & i["india_participants"].str.contains("Modi", na=False)]
    b = b.rename(columns={"interaction_id": "summit_id", "date": "start_date"})
    b = b[["summit_id", "start_date", "city", "source_id"]]
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
    s = load("summits")
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


# --- Warming Russia–China relations -----------------------------------------------------------


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
        f"China-reported trade with Russia grew from {_bn(base)} in {base_year} (IMF) to "
        f"{_bn(peak)} in {peak_year} (China's customs), {peak / base:.1f} times as much"
    )
    if last < peak:
        return Verdict(
            QUALIFIED,
            said + f"; it then fell to {_bn(last)} in {last_year}. Deepening through "
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
    pub = ev[ev["measure"] == context.PUBLISHED].sort_values("window_end_year")
    published = ", ".join(
        f"{int(r.window_start_year)}–{int(r.window_end_year) % 100:02d}: {r.china_share_pct:g} %"
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
    facts = load("arms_deal_facts")
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


# --- The West's policy of isolating Russia ---------------------------------------------------


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
    v = load("un_votes")
    yes_rows = v[(v["vote_date"] >= context.INVASION) & (v["india_vote"].astype(str) == "yes")]
    titles = "; ".join(f"{r.vote_id}: {r.title}" for r in yes_rows.itertuples())
    return Verdict(
        QUALIFIED,
        said + f". The yes vote(s): {titles}. Whether a yes condemned Russia depends on the text, "
        "which the table gives only by title.",
    )


def _after_cap() -> pd.DataFrame:
    return context.trade_and_crude_after_price_cap()


def _judge_after_cap(ev: pd.DataFrame) -> Verdict:
    first, peak = ev.iloc[0], ev.loc[ev["total"].idxmax()]
    return Verdict(
        SUPPORTED,
        f"official trade rose from {_bn(first['total'])} ({first['period']}) to {_bn(peak['total'])} "
        f"({peak['period']}), and Russia's share of India's crude imports by value from "
        f"{first['crude_share_pct']:g} % to {ev['crude_share_pct'].max():g} % (Department of "
        "Commerce) after the G7 price cap of 5 December 2022; India did not stop buying.",
    )


def _not_covered(reason: str) -> Callable[[pd.DataFrame], Verdict]:
    def judge(ev: pd.DataFrame) -> Verdict:
        return Verdict(NOT_COVERED, reason)

    return judge


# --- Strategic autonomy ----------------------------------------------------------------------


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


def _nothing() -> pd.DataFrame:
    return pd.DataFrame(columns=["source_id"])


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
        _judge_nonempty("special rupee vostro accounts"),
    ),
    Claim(
        "arms-share",
        "Military-technical cooperation",
        "Russia's share of India's arms imports fell from 76 % (2009) to 36 % (2023).",
        _arms_share,
        _judge_arms_share,
    ),
    Claim(
        "arms-diversification",
        "Defence procurement diversification",
        "India is diversifying arms purchases towards France and the United States.",
        _diversification,
        _judge_diversification,
    ),
    Claim(
        "s400-delay",
        "Military-technical cooperation",
        "Deliveries of the S-400's remaining squadrons are delayed.",
        _s400,
        _judge_s400,
    ),
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
        _judge_nonempty("India's stance on sanctioned LNG projects"),
    ),
    Claim(
        "oil-sanctions",
        "Sanctions",
        "US sanctions on Russian energy companies and tankers hit India's imports of Russian oil.",
        _oil_sanctions,
        _judge_oil,
    ),
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
        _judge_nonempty("the AK-203 programme"),
    ),
    Claim(
        "voronezh",
        "Continued dependence",
        "India intends to buy the $40 billion, 6,000 km Voronezh radar.",
        _voronezh,
        _judge_voronezh,
    ),
    Claim(
        "putin-visit-agenda",
        "Agenda for Putin's visit",
        "The visit would cover trade, the Far East and Arctic, the Chennai–Vladivostok corridor, payments, the return of Indian citizens and Ukraine.",
        _agenda_2025,
        _judge_agenda,
    ),
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
        _nothing,
        _not_covered(
            "a judgement on Western policy: the data hold India's contacts, votes and trade with "
            "Russia (the three claims above), not the aims of Western policy or other countries' "
            "dealings with Russia against which its success could be measured."
        ),
    ),
    Claim(
        "autonomy-supplier-spread",
        "Strategic autonomy",
        "India spreads its arms purchases across several partners while keeping Russia.",
        _spread,
        _judge_spread,
    ),
    Claim(
        "autonomy-multipolar",
        "Strategic autonomy",
        "For India the visit is a move to practise strategic autonomy and promote a multipolar world order.",
        _nothing,
        _not_covered(
            "a statement of intent and doctrine: no table records positions on the world order "
            "or the motives of a visit."
        ),
    ),
    Claim(
        "autonomy-elite-west",
        "Strategic autonomy",
        "India's elite leans towards the West.",
        _nothing,
        _not_covered("no data on elite opinion or attitudes are held."),
    ),
]


def check_all() -> list[tuple[Claim, pd.DataFrame, Verdict]]:
    out = []
    for claim in CLAIMS:
        ev = claim.evidence()
        out.append((claim, ev, claim.judge(ev)))
    return out


def _table(df: pd.DataFrame, limit: int = 12) -> list[str]:
    if df.empty:
        return ["(no rows)"]
    df = df.head(limit)
    cells = [
        [
            (
                ""
                if pd.isna(v)
                else (v.date().isoformat() if isinstance(v, pd.Timestamp) else str(v))
            )
            for v in row
        ]
        for row in df.itertuples(index=False)
    ]
    lines = ["| " + " | ".join(df.columns) + " |", "|" + "---|" * len(df.columns)]
    lines += ["| " + " | ".join(c.replace("|", "\\|") for c in row) + " |" for row in cells]
    return lines


def report_claims_markdown() -> str:
    results = check_all()
    counts = pd.Series([v.verdict for _, _, v in results]).value_counts()
    out = [
        "# The report, checked against the data",
        "",
        "Each quantitative or dated claim of the 2025 report summary (paraphrased), the rows of indru-data that "
        "bear on it, and a verdict computed from those rows by `indru_data.claims`. Generated by "
        "`indru-data build`; do not edit by hand. The summary itself is never a source for the data.",
        "",
        "Verdicts: " + ", ".join(f"{k}: {v}" for k, v in counts.items()) + ".",
        "",
        "| claim | chapter | verdict |",
        "|---|---|---|",
    ]
    out += [f"| [{c.text}](#{c.claim_id}) | {c.chapter} | **{v.verdict}** |" for c, _, v in results]
    out += [
        "",
        "Claims per chapter of the report:",
        "",
        "| chapter | report title | claims |",
        "|---|---|---|",
    ]
    out += [
        f"| {short} | {title} | {sum(c.chapter == short for c, _, _ in results)} |"
        for short, title in CHAPTERS
    ]
    for c, ev, v in results:
        out += [
            "",
            f"## {c.claim_id}",
            "",
            f"> {c.text}",
            "",
            f"**{v.verdict}**: {v.reason}",
            "",
            *_table(ev),
        ]
    return "\n".join(out) + "\n"


def findings_markdown() -> str:
    """Answers to the questions the trade and defence issues ask, each number with its source."""
    sections: list[tuple[str, pd.DataFrame] | tuple[str, pd.DataFrame, str]] = [
        (
            "Official statistics: India–Russia trade per fiscal year (Department of Commerce, US$ million)",
            official_trade.official_fy_series(),
            "charts/trade_official_fy.png",
        ),
        (
            "Mirror statistics: each country's figures for the same flow (IMF, US$ million)",
            official_trade.mirror_statistics(),
        ),
        ("Trade before the war and in 2023, by reporter", analysis.prewar_vs_2023()),
        (
            "Rows backed by at least one official source (statistical release or official document), per table",
            analysis.official_source_share(),
        ),
        ("Russia's share of India's crude imports over time", analysis.crude_share_over_time()),
        (
            "Largest commodities India imports from Russia (latest full year held)",
            analysis.top_commodities("india_imports_from_russia"),
        ),
        (
            "Largest commodities India exports to Russia (latest full year held)",
            analysis.top_commodities("india_exports_to_russia"),
        ),
        (
            "Russia's share of India's arms imports per window (SIPRI published)",
            analysis.russia_share_by_window(),
        ),
        (
            "Russia's share per window, derived from SIPRI's register (2026-02-12)",
            analysis.russia_share_by_window("sipri_tiv_derived"),
        ),
        ("The S-400 programme, fact by fact", analysis.programme_facts("rus-s-400")),
        (
            "Programmes by decade of first order: Russian/Soviet vs Western (France, US, Israel)",
            analysis.programmes_per_decade(),
        ),
        ("Sanctions actions per jurisdiction and year", analysis.sanctions_per_jurisdiction_year()),
        (
            "India-based entities named in sanctions actions, by year",
            analysis.indian_entities_per_year(),
        ),
        (
            "Named Indian entities: the count each action states vs the rows held",
            analysis.entity_list_completeness(),
        ),
        (
            "Actions that touched India's imports of Russian oil (energy and shipping)",
            analysis.oil_import_actions(),
        ),
        (
            "The 2025 summit: what was expected, and what it produced, by topic",
            analysis.expected_vs_outcomes(),
        ),
        (
            "The 2019 summit: what was expected, and what it produced, by topic",
            analysis.expected_vs_outcomes("summit-20-2019"),
        ),
        (
            "The report's expected agenda for the 2025 visit, item by item",
            analysis.report_agenda_vs_2025(),
        ),
        (
            "Russia's arms exports: India's vs China's share per window, derived from SIPRI's register (2026-02-12)",
            context.russia_export_shares(),
            "charts/russia_arms_export_shares.png",
        ),
        (
            "Russia's arms exports: the same shares as SIPRI published them (news reports of each release)",
            context.russia_export_shares(context.PUBLISHED),
        ),
        (
            "Russia's arms deliveries to India and to China per window, TIV million (derived; TIV is not money)",
            context.russia_tiv_by_window(),
        ),
        (
            "Russia–China against India–Russia goods trade by year (US$ million, exports + imports)",
            context.trade_russia_china_vs_india(),
            "charts/trade_russia_china_vs_india.png",
        ),
        (
            "Russian-origin equipment in Indian service: every count held, by system and date",
            context.equipment_counts(),
        ),
        ("Russian programmes reported delayed", context.delivery_delays()),
        ("High-level contacts and summits per year", context.contacts_per_year()),
        (
            "High-level contacts before and after 24 February 2022",
            context.contacts_before_after_invasion(),
        ),
        (
            "India's votes on Ukraine resolutions, before and after the invasion",
            context.india_votes_on_ukraine(),
        ),
        (
            "Official trade and Russia's share of India's crude imports from FY2021-22 (price cap from December 2022)",
            context.trade_and_crude_after_price_cap(),
        ),
        (
            "How spread India's arms imports are per window (derived from SIPRI's register)",
            context.supplier_spread(),
        ),
        ("Russia and India among each other's trading partners", analysis.partner_ranks()),
        ("Annual summits per decade", analysis.summits_per_decade()),
        ("Agenda items and outcomes held for each summit", analysis.agenda_per_summit()),
        ("India's votes at the UN on Ukraine, with tallies", analysis.india_un_votes()),
    ]
    out = [
        "# Findings from the data",
        "",
        "Questions the trade, defence, sanctions and summit issues ask, answered from the packaged tables alone by "
        "`indru_data.analysis`; every row keeps its `source_id`. Generated by `indru-data build`.",
        "",
        "Where several rows describe one observation, every row is listed and `preferred` marks the "
        "one the preferred-row rule picks (docs/codebook.md); verdicts and charts use it.",
        "",
        "Mirror statistics: `gap_pct` is (India-reported − Russia-reported) / Russia-reported × 100. "
        "India values its imports CIF and Russia its exports FOB, so some gap is expected; an empty "
        "cell is a year the IMF file holds no usable value for (docs/coverage.md).",
        "",
        "Russia's arms exports: `derived` tables are computed by indru-data from SIPRI's register of "
        "12 Feb 2026; `published` tables hold what news reports of SIPRI's releases give, one row per "
        "page (a share the page does not give is empty). SIPRI revises past years in every release, so "
        "the two are never mixed. Russia–China vs India–Russia trade: IMF years sum each reporter's "
        "exports and imports; from 2021 the Russia–China figure is China's customs total and the "
        "India–Russia figure the Department of Commerce's fiscal year starting in April of that year; "
        "`ratio_russia_reported` uses Russia's own statistics for both pairs. Equipment counts are as "
        "each source reported them at its date (`as_of_basis`); counts from different sources conflict.",
        "",
    ]
    for title, df, *image in sections:
        out += [f"## {title}", ""]
        out += [f"![{title}]({image[0]})", ""] if image else []
        out += [*_table(df, limit=60), ""]
    return "\n".join(out).rstrip() + "\n"
