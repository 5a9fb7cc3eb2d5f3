"""`relationship_panel`: one row per year from 1992 with the headline of each series the
package holds, derived by `indru-data build` from the tables (never edited by hand).

Every non-empty cell names the rows it comes from in the `*_ids` column beside it:
- official total trade per fiscal year (Department of Commerce, TRADESTAT; the preferred
  total_trade row of the fiscal year starting in April of the year);
- calendar-year mirror statistics (IMF): India-reported and Russia-reported total trade, each
  the sum of that reporter's export and import rows (empty when either is missing);
- Russia's share of India's arms imports for the 5-year SIPRI window ending in the year (the
  preferred derived row where the register covers the window, else SIPRI's published share from
  its latest release);
- India–Russia agreement in the UN General Assembly (unga_agreement, all roll calls);
- annual summits held in the year (from 2000, the first annual summit; 0 is a year without one);
- sanctions actions held that name India-based entities, by year announced (from the first
  year the sanctions table covers; a count of the actions held, see docs/coverage.md).
"""

from __future__ import annotations

import pandas as pd

from indru_data.findings.unga import number_text

FIRST_YEAR = 1992
TRADESTAT = "commerce-tradestat-country-wise-trade-russia"
COLUMNS = [
    "panel_id",
    "year",
    "trade_fy_period",
    "trade_fy_total_usd_mn",
    "trade_fy_ids",
    "trade_cy_india_reported_usd_mn",
    "trade_cy_india_reported_ids",
    "trade_cy_russia_reported_usd_mn",
    "trade_cy_russia_reported_ids",
    "arms_window",
    "arms_russia_share_pct",
    "arms_measure",
    "arms_share_ids",
    "unga_ind_rus_identical_share",
    "unga_ind_rus_agreement_index",
    "unga_roll_calls_both_voted",
    "unga_agreement_ids",
    "summits_held",
    "summit_ids",
    "sanctions_actions_naming_india",
    "sanctions_action_ids",
    "source_ids",
]


def _trade(t: pd.DataFrame) -> dict[int, dict[str, str]]:
    out: dict[int, dict[str, str]] = {}
    fy = t[
        (t["period_type"] == "fiscal_year_india")
        & (t["flow"] == "total_trade")
        & ~t["is_partial"].astype(bool)
        & t["preferred"].fillna(False).astype(bool)
        & (t["source_id"] == TRADESTAT)
    ]
    for r in fy.itertuples():
        out.setdefault(r.period_start.year, {}).update(
            trade_fy_period=str(r.period),
            trade_fy_total_usd_mn=number_text(r.value_usd_mn),
            trade_fy_ids=str(r.trade_id),
            _src_fy=str(r.source_id),
        )
    imf = t[(t["compiler"] == "imf") & (t["period_type"] == "calendar_year")]
    imf = imf[~imf["is_partial"].astype(bool)]
    for (year, reporter), g in imf.groupby(
        [imf["period_start"].dt.year, imf["reporter_country"].astype(str)]
    ):
        flows = set(g["flow"].astype(str))
        if flows != {"india_exports_to_russia", "india_imports_from_russia"} or len(g) != 2:
            continue  # a missing (corrupted) flow leaves the total a gap
        side = "india" if reporter == "IND" else "russia"
        out.setdefault(int(year), {}).update(
            {
                f"trade_cy_{side}_reported_usd_mn": number_text(g["value_usd_mn"].sum()),
                f"trade_cy_{side}_reported_ids": ";".join(sorted(g["trade_id"].astype(str))),
                f"_src_cy_{side}": ";".join(sorted(set(g["source_id"].astype(str)))),
            }
        )
    return out


def _arms(s: pd.DataFrame) -> dict[int, dict[str, str]]:
    rows = s[
        (s["supplier"].astype(str) == "RUS")
        & (s["window_end_year"] - s["window_start_year"] == 4)
        & s["preferred"].fillna(False).astype(bool)
    ]
    out: dict[int, dict[str, str]] = {}
    for end, g in rows.groupby("window_end_year"):
        # Measure and release year are in the observation key, so a window can have a preferred
        # derived row and one per SIPRI release: the derived share (latest register) where held,
        # else SIPRI's share from its latest release (one whose release is not shown comes last).
        derived = g[g["measure"].astype(str) == "sipri_tiv_derived"]
        if len(derived):
            g = derived
        else:
            release = pd.to_numeric(g["sipri_release_year"], errors="coerce").fillna(-1)
            g = g.assign(_release=release).sort_values(
                ["_release", "share_id"], ascending=[False, True]
            )
        r = g.iloc[0]
        out[int(end)] = {
            "arms_window": f"{int(r['window_start_year'])}–{int(end)}",
            "arms_russia_share_pct": number_text(r["share_of_india_imports_pct"]),
            "arms_measure": str(r["measure"]),
            "arms_share_ids": str(r["share_id"]),
            "_src_arms": str(r["source_id"]),
        }
    return out


def _unga(a: pd.DataFrame) -> dict[int, dict[str, str]]:
    rows = a[(a["pair"] == "ind_rus") & (a["roll_call_set"] == "all") & (a["issue"] == "all")]
    return {
        int(r.year): {
            "unga_ind_rus_identical_share": number_text(r.identical_share),
            "unga_ind_rus_agreement_index": number_text(r.agreement_index),
            "unga_roll_calls_both_voted": str(int(r.roll_calls_both_voted)),
            "unga_agreement_ids": str(r.agreement_id),
            "_src_unga": str(r.source_id),
        }
        for r in rows.itertuples()
    }


def _counts(
    frame: pd.DataFrame, dates: pd.Series, id_col: str, prefix: str, from_year: int, to_year: int
) -> dict[int, dict[str, str]]:
    """Rows per year from `from_year` (0 where none), with their ids and sources."""
    out = {}
    years = dates.dt.year
    for year in range(max(from_year, FIRST_YEAR), to_year + 1):
        g = frame[years == year]
        ids = ";".join(sorted(g[id_col].astype(str)))
        out[year] = {
            prefix[0]: str(len(g)),
            prefix[1]: ids,
            f"_src_{prefix[0]}": ";".join(sorted(set(g["source_id"].astype(str)))),
        }
    return out


def panel_frame(frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
    parts = [
        _trade(frames["trade_annual"]),
        _arms(frames["arms_supplier_shares"]),
        _unga(frames["unga_agreement"]),
    ]
    last = max(max(p) for p in parts if p)
    summits = frames["summits"]
    actions = frames["sanctions_actions"].dropna(subset=["announced_date"])
    entities = frames["sanctioned_entities"]
    india_named = set(
        entities.loc[entities["india_based"].fillna(False).astype(bool), "action_id"].astype(str)
    )
    naming = actions[
        (actions["india_entities_named"].fillna(0) > 0)
        | actions["action_id"].astype(str).isin(india_named)
    ]
    last = max(
        last, int(summits["start_date"].dt.year.max()), int(naming["announced_date"].dt.year.max())
    )
    parts += [
        _counts(
            summits,
            summits["start_date"],
            "summit_id",
            ("summits_held", "summit_ids"),
            int(summits["start_date"].dt.year.min()),
            last,
        ),
        _counts(
            naming,
            naming["announced_date"],
            "action_id",
            ("sanctions_actions_naming_india", "sanctions_action_ids"),
            int(actions["announced_date"].dt.year.min()),
            last,
        ),
    ]
    rows = []
    for year in range(FIRST_YEAR, last + 1):
        row = {c: "" for c in COLUMNS} | {"panel_id": str(year), "year": str(year)}
        sources: set[str] = set()
        for part in parts:
            for k, v in part.get(year, {}).items():
                if k.startswith("_src_"):
                    sources |= {s for s in v.split(";") if s}
                else:
                    row[k] = v
        row["source_ids"] = ";".join(sorted(sources))
        rows.append(row)
    return pd.DataFrame(rows, columns=COLUMNS)
