"""The General Assembly chart: India's agreement with Russia and with the US by year, with the
Ukraine votes after Voeten's data as single points (drawn by `indru-data charts`)."""

from __future__ import annotations

import pandas as pd

from indru_data.findings import unga

MARKS = {1991: "1991: USSR ends", 2014: "2014: Crimea", 2022: "2022: invasion"}
LINES = (
    ("ind_rus", "India–Russia (USSR before 1992)", "tab:red"),
    ("ind_usa", "India–United States", "tab:blue"),
    ("ind_chn", "India–China (from 1971)", "tab:gray"),
)


def _decimal_year(dates: pd.Series) -> pd.Series:
    return dates.dt.year + (dates.dt.day_of_year - 1) / 365.25


def unga_agreement(ax) -> None:  # type: ignore[no-untyped-def]
    index = unga.yearly(value="agreement_index")
    share = unga.yearly(value="identical_share")
    for pair, label, color in LINES:
        width = 1.0 if pair == "ind_chn" else 1.8
        ax.plot(
            index["year"], index[pair], color=color, lw=width, label=f"{label}: agreement index"
        )
        ax.plot(share["year"], share[pair], color=color, lw=0.7, ls=":", alpha=0.9)
    points = unga.later_points()
    for pair, label, color, marker, dx in (
        ("ind_rus", "India–Russia", "tab:red", "o", 0.0),
        ("ind_usa", "India–US", "tab:blue", "s", 0.25),
    ):
        pts = points.dropna(subset=[pair])
        ax.scatter(
            _decimal_year(pts["vote_date"]) + dx,
            pts[pair],
            s=28,
            marker=marker,
            facecolors="none",
            edgecolors=color,
            label=f"{label}, one Ukraine vote after 2019 ({len(pts)})",
        )
    for year, text in MARKS.items():
        ax.axvline(year, color="black", lw=0.6, ls="--")
        ax.text(year + 0.4, 1.02, text, fontsize=7, va="bottom")
    ax.set_xlim(1945, 2028)
    ax.set_ylim(0, 1.08)
    ax.set_xlabel("year (lines: Voeten's roll calls, 1946–2019; points: single votes)")
    ax.set_ylabel("agreement (1 same vote, 0.5 one abstains, 0 opposed)")
    ax.set_title(
        "India's votes in the UN General Assembly: agreement with Russia, the US and China\n"
        "(solid: agreement index; dotted: share of identical votes)",
        fontsize=10,
    )
    ax.legend(fontsize=6, loc="lower left")
