"""The sanctions charts: every action by who acted, and India-based entities listed per year."""

from __future__ import annotations

import pandas as pd

from indru_data.core.load import load
from indru_data.outputs.chart_labels import vocab_label


def sanctions_timeline(ax) -> None:  # type: ignore[no-untyped-def]
    s = load("sanctions_actions").dropna(subset=["announced_date"]).copy()
    s["jurisdiction"] = s["jurisdiction"].astype(str)
    counts = s["jurisdiction"].value_counts()
    juris = list(counts.index)
    # Actions a few weeks apart overlap: spread them vertically (deterministic, by order
    # within the jurisdiction) and draw them half-transparent, so a cluster reads as several.
    s = s.sort_values(["jurisdiction", "announced_date", "action_id"])
    spread = s.groupby("jurisdiction").cumcount() % 5
    for i, j in enumerate(juris):
        sel = (s["jurisdiction"] == j).to_numpy()
        pts = s[sel]
        y = i + (spread[sel].to_numpy() - 2) * 0.09
        ax.scatter(
            pts["announced_date"], y, s=26, alpha=0.55, color=f"C{i % 10}", edgecolors="none"
        )
    ax.set_yticks(
        range(len(juris)),
        [f"{vocab_label('sanctions_actions', 'jurisdiction', j)} ({counts[j]})" for j in juris],
    )
    ax.set_ylim(-0.6, len(juris) - 0.4)
    ax.set_title(
        "Sanctions actions touching India–Russia cooperation, by who acted\n"
        "(one dot per action, spread where dates are close; count in brackets)",
        fontsize=9,
    )
    ax.set_xlabel("date announced")
    ax.grid(axis="x", alpha=0.3)


def indian_entities_sanctions(ax) -> None:  # type: ignore[no-untyped-def]
    """India-based entities under Russia-related sanctions: listings per year, by jurisdiction."""
    from indru_data.findings.sanctions_listings import NOT_STATED, indian_listings_by_year

    t = indian_listings_by_year()
    table = t.pivot_table(
        index="year_of_listing", columns="jurisdiction", values="listings", aggfunc="sum"
    ).fillna(0)
    years = sorted(table.index, key=lambda y: (y == NOT_STATED, y))
    table = table.loc[years]
    order = list(table.sum().sort_values(ascending=False).index)
    labels = [
        y if y != NOT_STATED else "year not stated\n(OFAC list, no action found)" for y in years
    ]
    bottom = pd.Series(0.0, index=table.index)
    for i, j in enumerate(order):
        vals = table[j]
        name = vocab_label("sanctions_actions", "jurisdiction", str(j))
        ax.bar(labels, vals.to_numpy(), bottom=bottom.to_numpy(), color=f"C{i % 10}", label=name)
        bottom += vals
    for x, total in zip(labels, bottom.to_numpy(), strict=True):
        ax.annotate(f"{int(total)}", (x, total), ha="center", va="bottom", fontsize=8)
    ax.set_ylim(0, bottom.max() * 1.15)
    ax.set_ylabel("listings of India-based entities")
    ax.set_xlabel("year of the action that listed them")
    ax.set_title(
        "India-based entities under Russia-related sanctions, by year and jurisdiction\n"
        f"({int(bottom.sum())} listings; one company listed by two jurisdictions counts twice)",
        fontsize=9,
    )
    ax.legend(fontsize=7, title="listed by", title_fontsize=7)
    ax.grid(axis="y", alpha=0.3)
