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

from . import analysis, official_trade
from .analysis import load

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


def _platforms() -> pd.DataFrame:
    a = load("arms_transfers")
    rows = a[a["designation"].str.contains(r"^T-72|^T-90|Su-30MK", regex=True)]
    return rows[
        ["transfer_id", "designation", "order_year", "quantity_delivered", "source_id"]
    ].reset_index(drop=True)


def _judge_platforms(ev: pd.DataFrame) -> Verdict:
    found = [p for p in ("T-72", "T-90", "Su-30") if ev["designation"].str.contains(p).any()]
    verdict = SUPPORTED if len(found) == 3 else QUALIFIED
    return Verdict(
        verdict,
        f"SIPRI deals held for {', '.join(found)} ({int(ev['quantity_delivered'].sum())} items delivered 1995–2024).",
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


def _nothing() -> pd.DataFrame:
    return pd.DataFrame(columns=["source_id"])


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
    ]
    for title, df, *image in sections:
        out += [f"## {title}", ""]
        out += [f"![{title}]({image[0]})", ""] if image else []
        out += [*_table(df, limit=60), ""]
    return "\n".join(out).rstrip() + "\n"
