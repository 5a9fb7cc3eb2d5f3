"""India–Russia trade on official statistics: the Commerce Ministry's fiscal-year series and the
IMF's mirror statistics (each country's own figures for the same flow, side by side).

Like `analysis`, every function answers from the packaged tables alone and keeps the ids of
the rows it uses. News-quoted figures stay in `trade_annual`; these functions read only rows
compiled by a statistical agency (`compiler` national_agency or imf).
"""

from __future__ import annotations

import pandas as pd

from indru_data.findings.analysis import load

TRADESTAT = "commerce-tradestat-country-wise-trade-russia"
FLOWS = {
    "india_exports_to_russia": "exports",
    "india_imports_from_russia": "imports",
    "total_trade": "total",
}


def commerce_ministry_rows() -> pd.DataFrame:
    """The Department of Commerce's full-year fiscal-year rows from TRADESTAT (all flows)."""
    t = load("trade_annual")
    return t[
        (t["source_id"] == TRADESTAT)
        & (t["compiler"] == "national_agency")
        & (t["period_type"] == "fiscal_year_india")
        & ~t["is_partial"]
    ]


def official_fy_series() -> pd.DataFrame:
    """Exports, imports and total per fiscal year (US$ million), TRADESTAT, oldest first.

    `quality_flags` says which year is still provisional.
    """
    rows = commerce_ministry_rows()
    wide = rows.pivot_table(
        index=["period", "period_end"], columns="flow", values="value_usd_mn", observed=True
    ).rename(columns=FLOWS)
    flags = rows.groupby("period", observed=True)["quality_flags"].first()
    wide = wide.reset_index().sort_values("period_end")
    wide["quality_flags"] = wide["period"].map(flags).astype("string")
    wide["source_id"] = TRADESTAT
    cols = ["period", "exports", "imports", "total", "quality_flags", "source_id"]
    return wide[cols].reset_index(drop=True)


def mirror_statistics() -> pd.DataFrame:
    """Per calendar year, each flow as India reports it beside the same flow as Russia reports it.

    India's exports to Russia: India-reported (FOB) vs Russia-reported imports from India (CIF);
    India's imports from Russia: India-reported (CIF) vs Russia-reported exports to India (FOB).
    `gap_pct` = (India-reported − Russia-reported) / Russia-reported × 100. A year missing on
    either side (a corrupted IMF value left out) shows an empty cell and no gap.
    """
    t = load("trade_annual")
    imf = t[t["compiler"] == "imf"]
    wide = imf.pivot_table(
        index="period", columns=["flow", "reporter_country"], values="value_usd_mn", observed=True
    )
    out = pd.DataFrame(index=wide.index)
    for flow, name in (
        ("india_exports_to_russia", "exports"),
        ("india_imports_from_russia", "imports"),
    ):
        ind = wide.get((flow, "IND"), pd.Series(index=wide.index, dtype="float64"))
        rus = wide.get((flow, "RUS"), pd.Series(index=wide.index, dtype="float64"))
        out[f"{name}_india_reported"] = ind
        out[f"{name}_russia_reported"] = rus
        out[f"{name}_gap_pct"] = ((ind - rus) / rus * 100).round(1)
    out = out.reset_index().rename(columns={"period": "year"})
    out["source_id"] = "imf-imts-india-russia-china"
    return out.sort_values("year").reset_index(drop=True)


def official_total(period: str) -> pd.DataFrame:
    """The Commerce Ministry's total-trade row for a fiscal year (empty when not held)."""
    rows = commerce_ministry_rows()
    rows = rows[(rows["period"] == period) & (rows["flow"] == "total_trade")]
    return rows[["period", "value_usd_mn", "quality_flags", "source_id", "trade_id"]].reset_index(
        drop=True
    )
