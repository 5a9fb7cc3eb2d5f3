"""The report's context chapters, answered from the packaged tables: Russia–China trade and
Russia's arms exports to India and China (`context_indicators`), Russian-origin equipment in
Indian service (`equipment_in_service`), and the checkable parts of the last two chapters
(high-level contacts, UN votes, trade and crude after the price cap, spread of arms suppliers).

Like `analysis`, every function keeps the `source_id` (or the ids) of the rows it uses.
Published and derived figures are never put in one column: each table says which it shows.
"""

from __future__ import annotations

import pandas as pd

from indru_data.findings.analysis import _listing, load

PUBLISHED, DERIVED = "published", "derived_from_register"
REGISTER = "sipri-atdb-trade-register-20260212"
IMF = "imf-imts-india-russia-china"
PRICE_CAP = pd.Timestamp("2022-12-05")  # the G7/EU price cap on Russian crude took effect
INVASION = pd.Timestamp("2022-02-24")
SYSTEMS = (
    "T-72",
    "T-90",
    "Su-30MKI",
    "MiG-29",
    "Kilo-class",
    "S-400",
    "MiG-29K",
    "Talwar-class",
    "INS Vikramaditya",
    "Leased nuclear submarine",
    "Mi-17",
    "Ka-31",
    "AK-203",
)


def _ids(values: pd.Series) -> str:
    return "; ".join(sorted(set(map(str, values.dropna()))))


def arms_rows(measure: str) -> pd.DataFrame:
    """Russia's arms-export rows (shares and TIV) of one measure."""
    c = load("context_indicators")
    return c[
        (c["subject_country"] == "RUS") & (c["compiler"] == "sipri") & (c["measure"] == measure)
    ]


def russia_export_shares(measure: str = DERIVED) -> pd.DataFrame:
    """Per window: India's and China's shares of Russia's arms exports and Russia's world share.

    One row per window and source (published figures come from several pages and releases);
    a share a source does not give is empty, never filled from another source.
    """
    rows = arms_rows(measure)
    rows = rows[rows["unit"] == "percent"]
    key = rows["partner_country"].astype("string").fillna("WORLD")
    rows = rows.assign(who=key)
    index = ["window_start_year", "window_end_year", "source_id"]
    wide = rows.pivot_table(index=index, columns="who", values="value", aggfunc="first")
    wide = wide.reindex(columns=["IND", "CHN", "WORLD"])
    wide.columns = ["india_share_pct", "china_share_pct", "russia_world_share_pct"]
    release = rows.groupby(index)["release_year"].max()
    out = wide.join(release).reset_index()
    out["india_minus_china_pts"] = (out["india_share_pct"] - out["china_share_pct"]).round(1)
    cols = [
        "window_start_year",
        "window_end_year",
        "india_share_pct",
        "china_share_pct",
        "india_minus_china_pts",
        "russia_world_share_pct",
        "release_year",
        "source_id",
    ]
    return _listing(out, cols, ["window_end_year", "release_year", "source_id"])


def russia_tiv_by_window() -> pd.DataFrame:
    """Russia's arms deliveries to India and to China per window, in TIV million (derived)."""
    rows = arms_rows(DERIVED)
    rows = rows[rows["unit"] == "tiv_mn"]
    wide = rows.pivot_table(
        index=["window_start_year", "window_end_year"],
        columns="partner_country",
        values="value",
        aggfunc="first",
        observed=True,
    ).reindex(columns=["IND", "CHN"])
    wide.columns = ["to_india_tiv_mn", "to_china_tiv_mn"]
    out = wide.reset_index()
    out["larger"] = out.apply(
        lambda r: "India" if r["to_india_tiv_mn"] >= r["to_china_tiv_mn"] else "China", axis=1
    )
    out["source_id"] = REGISTER
    return out


def share_change(start: tuple[int, int], end: tuple[int, int], measure: str) -> pd.DataFrame:
    """India's and China's shares of Russia's arms exports in two windows, and the change."""
    s = russia_export_shares(measure)
    rows = []
    for window in (start, end):
        hit = s[(s["window_start_year"] == window[0]) & (s["window_end_year"] == window[1])]
        hit = hit.dropna(subset=["india_share_pct", "china_share_pct"])
        for _, r in hit.iterrows():
            rows.append({"window": f"{window[0]}–{window[1]}", **r.to_dict()})
    return pd.DataFrame(rows)


def _imf_pair_totals(subject: str, partner: str) -> pd.DataFrame:
    """Exports plus imports of one IMF reporter with one partner, per calendar year."""
    t = load("context_indicators")
    rows = t[
        (t["compiler"] == "imf")
        & (t["subject_country"] == subject)
        & (t["partner_country"] == partner)
    ]
    per_year = rows.groupby("window_start_year").agg(
        total=("value", "sum"), flows=("indicator", "nunique")
    )
    return per_year[per_year["flows"] == 2]["total"]


def trade_russia_china_vs_india() -> pd.DataFrame:
    """Russia–China against India–Russia goods trade per calendar year, US$ million.

    IMF years (1992–2020): each reporter's exports plus imports with the partner (summed here,
    per reporter; a year with a corrupted flow is empty). 2021–2025: China's customs totals as
    published. India–Russia beyond 2020 has no calendar-year official series: the Department of
    Commerce's total for the fiscal year that starts in April of that year is shown beside it,
    in its own column. `ratio_russia_reported` compares the two pairs in Russia's own statistics
    only (IMF years), so that no ratio mixes reporters or fiscal and calendar years.
    """
    from indru_data.findings.official_trade import official_fy_series

    years = pd.Index(range(1992, 2026), name="year")
    out = pd.DataFrame(index=years)
    out["russia_china_russia_reported"] = _imf_pair_totals("RUS", "CHN")
    out["russia_china_china_reported"] = _imf_pair_totals("CHN", "RUS")
    c = load("context_indicators")
    gacc = c[(c["compiler"] == "national_agency") & (c["indicator"] == "goods_trade_total")]
    out["russia_china_china_customs"] = gacc.groupby("window_start_year")["value"].first()
    t = load("trade_annual")
    imf = t[(t["compiler"] == "imf")].copy()
    imf["year"] = imf["period"].astype(int)
    for country, col in (
        ("RUS", "india_russia_russia_reported"),
        ("IND", "india_russia_india_reported"),
    ):
        part = imf[imf["reporter_country"] == country].groupby("year")
        both = part["flow"].nunique() == 2
        out[col] = part["value_usd_mn"].sum().where(both)
    fy = official_fy_series()
    fy["year"] = fy["period"].str.slice(2, 6).astype(int)
    out["india_russia_commerce_fy_total"] = fy.set_index("year")["total"]
    # Only where one country's statistics give both pairs: Russia's, from the IMF.
    out["ratio_russia_reported"] = (
        out["russia_china_russia_reported"] / out["india_russia_russia_reported"]
    ).round(1)
    out = out.dropna(how="all").round(1).reset_index()
    out["source_ids"] = out["year"].map(
        lambda y: "; ".join(
            [IMF] * (y <= 2020)
            + list(gacc.loc[gacc["window_start_year"] == y, "source_id"])
            + (["commerce-tradestat-country-wise-trade-russia"] if y >= 2009 else [])
        )
    )
    return out


def equipment_counts(system: str | None = None) -> pd.DataFrame:
    """Every count of Russian-origin equipment in Indian service, by system and date."""
    e = load("equipment_in_service")
    if system is not None:
        e = e[e["system"] == system]
    cols = [
        "system",
        "as_of_date",
        "as_of_precision",
        "as_of_basis",
        "count",
        "count_qualifier",
        "count_basis",
        "count_unit",
        "service",
        "source_id",
        "equipment_id",
    ]
    return _listing(e, cols, ["system", "as_of_date", "equipment_id"])


def latest_counts() -> pd.DataFrame:
    """The most recent count in service held for each system (ties: every row of that date)."""
    e = equipment_counts()
    e = e[e["count_basis"] == "in_service"]
    latest = e.groupby("system", observed=True)["as_of_date"].transform("max")
    return e[e["as_of_date"] == latest].reset_index(drop=True)


def delivery_delays() -> pd.DataFrame:
    """Facts reporting a Russian programme delayed, with the date the source gives."""
    f = load("arms_deal_facts")
    d = load("arms_deals")[["deal_id", "supplier", "programme"]]
    rows = f[f["status"] == "delayed"].merge(d, on="deal_id", how="left")
    rows = rows[rows["supplier"] == "RUS"]
    cols = [
        "deal_id",
        "programme",
        "status_date",
        "quantity_ordered",
        "quantity_delivered",
        "source_id",
    ]
    return _listing(rows, cols, ["deal_id", "status_date"], na_position="last")


def contacts_per_year() -> pd.DataFrame:
    """High-level India–Russia contacts per year: annual summits and other contacts."""
    i = load("interactions")
    s = load("summits")
    a = pd.DataFrame({"date": i["date"], "kind": "contact", "id": i["interaction_id"]})
    b = pd.DataFrame({"date": s["start_date"], "kind": "summit", "id": s["summit_id"]})
    both = pd.concat([a, b], ignore_index=True).dropna(subset=["date"])
    both["year"] = both["date"].dt.year
    out = both.pivot_table(index="year", columns="kind", values="id", aggfunc="count", fill_value=0)
    out = out.reindex(columns=["summit", "contact"], fill_value=0)
    out.columns = ["summits", "other_contacts"]
    out = out.reset_index()
    out["total"] = out["summits"] + out["other_contacts"]
    return out[out["year"] >= 2014].reset_index(drop=True)


def contacts_before_after_invasion() -> pd.DataFrame:
    """Contacts held in the full years before and after February 2022, their yearly rate, and
    the sources of the rows counted."""
    i = load("interactions").dropna(subset=["date"])
    s = load("summits").dropna(subset=["start_date"])
    held = pd.concat(
        [
            pd.DataFrame({"date": i["date"], "source_id": i["source_id"].astype(str)}),
            pd.DataFrame({"date": s["start_date"], "source_id": s["source_id"].astype(str)}),
        ],
        ignore_index=True,
    )
    dates = held["date"]
    first = max(pd.Timestamp("2014-07-01"), i["date"].min())
    last = dates.max()
    before = held[(dates >= first) & (dates < INVASION)]
    after = held[dates >= INVASION]
    yb = (INVASION - first).days / 365.25
    ya = (last - INVASION).days / 365.25
    return pd.DataFrame(
        [
            {
                "period": f"{first.date()} to 2022-02-23",
                "contacts": len(before),
                "years": round(yb, 1),
                "per_year": round(len(before) / yb, 1),
                "source_ids": _ids(before["source_id"]),
            },
            {
                "period": f"2022-02-24 to {last.date()}",
                "contacts": len(after),
                "years": round(ya, 1),
                "per_year": round(len(after) / ya, 1),
                "source_ids": _ids(after["source_id"]),
            },
        ]
    )


def india_votes_on_ukraine() -> pd.DataFrame:
    """India's vote on every Ukraine-related resolution held, counted by vote."""
    v = load("un_votes")
    v = v.assign(after_invasion=v["vote_date"] >= INVASION)
    out = v.groupby(["after_invasion", "india_vote"], observed=True).agg(
        votes=("vote_id", "size"), vote_ids=("vote_id", _ids), source_ids=("source_id", _ids)
    )
    return out.reset_index()


def trade_and_crude_after_price_cap() -> pd.DataFrame:
    """Official fiscal-year trade and Russia's share of India's crude imports, FY2021-22 on."""
    from indru_data.findings.official_trade import official_fy_series

    fy = official_fy_series()
    c = load("crude_oil_imports")
    crude = c[c["source_id"] == "commerce-tradestat-crude-imports-by-country"].set_index("period")
    out = fy[fy["period"] >= "FY2021-22"].copy()
    out["crude_share_pct"] = out["period"].map(crude["russia_share_pct"])
    out["crude_value_usd_mn"] = out["period"].map(crude["value_usd_mn"])
    out["crude_source_id"] = "commerce-tradestat-crude-imports-by-country"
    return out.reset_index(drop=True)


def supplier_spread(measure: str = "sipri_tiv_derived") -> pd.DataFrame:
    """How spread India's arms imports are per window: suppliers, Russia's and the top share, HHI."""
    s = load("arms_supplier_shares")
    s = s[s["measure"] == measure]
    rows = []
    for (a, b), g in s.groupby(["window_start_year", "window_end_year"]):
        shares = g["share_of_india_imports_pct"]
        rus = g.loc[g["supplier"] == "RUS", "share_of_india_imports_pct"]
        rows.append(
            {
                "window_start_year": a,
                "window_end_year": b,
                "suppliers": int((shares > 0).sum()),
                "suppliers_over_5pct": int((shares >= 5).sum()),
                "russia_share_pct": float(rus.iloc[0]) if not rus.empty else None,
                "hhi": round(float(((shares / 100) ** 2).sum()), 3),
                "source_id": _ids(g["source_id"]),
            }
        )
    return pd.DataFrame(rows)
