"""The findings pages: docs/report-claims.md and docs/findings.md, written by `indru-data build`."""

from __future__ import annotations

import pandas as pd

from indru_data.core.markup import md_cell, md_code, md_link, md_text
from indru_data.findings import analysis, context, official_trade, sanctions_listings, unga
from indru_data.findings.analysis import load
from indru_data.findings.claims import CHAPTERS, check_all


def _source_urls() -> dict[str, str]:
    sources = analysis.load("sources")
    return dict(zip(sources["source_id"].astype(str), sources["url"].astype(str), strict=True))


# Pages of the site a generated sentence may name: shown as links, not as plain file names.
DOC_LINKS = {
    "docs/codebook.md": ("codebook", "codebook.md"),
    "docs/coverage.md": ("coverage and gaps", "coverage.md"),
}
# A cell listing more source ids than this links the first ones and counts the rest.
MAX_LINKED_SOURCES = 4


def with_doc_links(text: str) -> str:
    """Markdown `text` (already escaped) with each docs/… page it names made a link to it."""
    for name, (label, target) in DOC_LINKS.items():
        text = text.replace(name, f"[{label}]({target})")
    return text


def _source_links(value: object, urls: dict[str, str]) -> str:
    """A cell of source ids (one, or several separated by `;`), each a link to its document."""
    ids = [i.strip() for i in str(value).split(";") if i.strip()]
    # the id as code (never broken inside, like a column name), linked to its document
    shown = [
        md_link(md_code(i), urls[i]) if i in urls else md_code(i) for i in ids[:MAX_LINKED_SOURCES]
    ]
    more = len(ids) - len(shown)
    return ", ".join(shown) + (f" and {more} more" if more > 0 else "")


def _decimals(values: pd.Series) -> int:
    """The decimals one column of floats is shown with: as many as its values need, at most 2
    (3 for a column of fractions below 1, such as shares of votes)."""
    finite = values.dropna().astype(float)
    if finite.empty:
        return 0
    cap = 3 if finite.abs().max() < 1 else 2
    for d in range(cap + 1):
        if ((finite.round(d) - finite).abs() <= 1e-9 * finite.abs().clip(lower=1)).all():
            return d
    return cap


def number_column(values: pd.Series, name: str) -> pd.Series | None:
    """A numeric column as text: thousands separators and one number of decimals for the
    whole column (a year is shown as it is written). None for a column that is not numeric."""
    if pd.api.types.is_bool_dtype(values) or not pd.api.types.is_numeric_dtype(values):
        return None
    finite = values.dropna().astype(float)
    year = "year" in name or name == "rank"
    integral = bool(((finite.round(0) - finite).abs() < 1e-9).all())
    if year and integral:
        return values.map(lambda v: "" if pd.isna(v) else str(int(v)))
    d = 0 if integral else _decimals(values)
    return values.map(lambda v: "" if pd.isna(v) else f"{float(v):,.{d}f}")


def _cell(column: str, value: object, urls: dict[str, str]) -> str:
    """One evidence cell; a source id links to its document."""
    if pd.isna(value):  # type: ignore[call-overload]
        return ""
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    if column.endswith(("source_id", "source_ids")):
        return _source_links(value, urls)
    if column.endswith("_id"):  # an id as code: never broken inside, like a column name
        return md_code(value)
    if column.endswith("_ids"):
        return ", ".join(md_code(i.strip()) for i in str(value).split(";") if i.strip())
    return md_cell(value)


def _table(df: pd.DataFrame, limit: int = 12) -> list[str]:
    if df.empty:
        return ["(no rows)"]
    df = df.head(limit).copy()
    numeric = []
    for name in df.columns:
        shown = number_column(df[name], str(name))
        numeric.append(shown is not None)
        if shown is not None:
            df[name] = shown
    sources = any(str(c).endswith(("source_id", "source_ids")) for c in df.columns)
    urls = _source_urls() if sources else {}
    lines = [
        "| " + " | ".join(md_cell(c) for c in df.columns) + " |",
        "|" + "".join("---:|" if n else "---|" for n in numeric),  # numbers aligned right
    ]
    lines += [
        "| " + " | ".join(_cell(c, v, urls) for c, v in zip(df.columns, row, strict=True)) + " |"
        for row in df.itertuples(index=False)
    ]
    return lines


def report_claims_markdown() -> str:
    results = check_all()
    counts = pd.Series([v.verdict for _, _, v in results]).value_counts()
    out = [
        "# The report, checked against the data",
        "",
        "The report checked here is *India and Russia: Exploring New Pathways for Cooperation*, "
        "published 23 December 2025 (the date its summary gives). Each quantitative or dated claim "
        "of its summary (paraphrased), the rows of indru-data that bear on it, and a verdict "
        "computed from those rows by `indru_data.findings.claims`; each evidence row links to its "
        "source. Generated by `indru-data build`; do not edit by hand. The summary itself is never "
        "a source for the data.",
        "",
        "Verdicts: " + ", ".join(f"{k}: {v}" for k, v in counts.items()) + ".",
        "",
        "| claim | chapter | verdict |",
        "|---|---|---|",
    ]
    out += [
        f"| [{md_cell(c.text)}](#{c.claim_id}) | {md_cell(c.chapter)} | **{md_cell(v.verdict)}** |"
        for c, _, v in results
    ]
    out += [
        "",
        "Claims per chapter of the report:",
        "",
        "| chapter | report title | claims |",
        "|---|---|---|",
    ]
    out += [
        f"| {md_cell(short)} | {md_cell(title)} | {sum(c.chapter == short for c, _, _ in results)} |"
        for short, title in CHAPTERS
    ]
    for c, ev, v in results:
        out += [
            "",
            f"## {md_text(c.claim_id)}",
            "",
            f"> {md_text(c.text)}",
            "",
            f"**{md_text(v.verdict)}**: {with_doc_links(md_text(v.reason))}",
            "",
            *_table(ev),
        ]
    return "\n".join(out) + "\n"


PANEL_COLUMNS = [
    "year",
    "trade_fy_total_usd_mn",
    "trade_cy_india_reported_usd_mn",
    "trade_cy_russia_reported_usd_mn",
    "arms_window",
    "arms_russia_share_pct",
    "unga_ind_rus_identical_share",
    "summits_held",
    "sanctions_actions_naming_india",
]


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
            sanctions_listings.official_source_share(),
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
            sanctions_listings.entity_list_completeness(),
        ),
        (
            sanctions_listings.us_named_title(),
            sanctions_listings.us_actions_naming_indian_entities(),
        ),
        (
            "India-based entities under Russia-related sanctions: listings by year of listing and jurisdiction",
            sanctions_listings.indian_listings_by_year(),
            "charts/indian_entities_sanctions.png",
        ),
        (
            "India-based entities under Russia-related sanctions: listings by jurisdiction",
            sanctions_listings.indian_listings_by_jurisdiction(),
        ),
        (
            "India-based entities under Russia-related sanctions: listings by business line (sector)",
            sanctions_listings.indian_listings_by_business_line(),
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
        (
            "UN General Assembly: India's agreement with Russia, the US and China per period (Voeten's roll calls, pooled)",
            unga.by_period(),
            "charts/unga_agreement.png",
        ),
        (
            "UN General Assembly: the same over the votes the US State Department listed as important",
            unga.by_period("important"),
        ),
        (
            "UN General Assembly: India–Russia and India–US share of identical votes per issue, before and after 1992",
            unga.by_issue(),
        ),
        (
            "UN General Assembly: share of identical votes per year since 1985 (unga_agreement, all roll calls)",
            unga.yearly().query("year >= 1985"),
        ),
        (
            "UN General Assembly votes on Ukraine and Crimea from 2014: India, Russia, the US and China",
            unga.ukraine_votes(),
        ),
        (
            "The relationship by year from 1992 (relationship_panel; the ids of each cell's rows are in the table)",
            load("relationship_panel")[PANEL_COLUMNS],
        ),
    ]
    out = [
        "# Findings from the data",
        "",
        "Questions the trade, defence, sanctions and summit issues ask, answered from the packaged tables alone by "
        "`indru_data.findings.analysis`; every row keeps its `source_id`. Generated by `indru-data build`.",
        "",
        "Where several rows describe one observation, every row is listed and `preferred` marks the "
        "one the preferred-row rule picks ([codebook](codebook.md)); verdicts and charts use it.",
        "",
        "Mirror statistics: `gap_pct` is (India-reported − Russia-reported) / Russia-reported × 100. "
        "India values its imports CIF and Russia its exports FOB, so some gap is expected; an empty "
        "cell is a year the IMF file holds no usable value for ([coverage and gaps](coverage.md)).",
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
        sanctions_listings.summary(),
        "",
        "UN General Assembly: over the roll calls both countries voted on (N), the share of identical "
        "votes is S / N and the agreement index (S + 0.5 H) / N, H the roll calls where one of the two "
        "abstained: Voeten's agreement index, which counts an abstention as half-disagreement "
        "(unga_agreement in the codebook). Russia before 1992 is the USSR. Per-period figures pool "
        "the yearly counts. The series stops in 2019 (Voeten's data); after it only Ukraine-related "
        "votes are held, shown one by one, never as a yearly share.",
        "",
    ]
    for title, df, *image in sections:
        out += [f"## {md_text(title)}", ""]
        out += [f"![{md_text(title)}]({image[0]})", ""] if image else []
        out += [*_table(df, limit=60), ""]
    return "\n".join(out).rstrip() + "\n"
