"""`indru-data charts`: the README's figures, drawn from the packaged tables (needs matplotlib).

pip install 'indru-data[charts]' && indru-data charts docs/charts
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .load import load

REPORTER_STYLE = {
    "india_commerce_ministry": ("India, Dept of Commerce", "o"),
    "india_official_statement": ("Indian officials", "s"),
    "russia_official_statement": ("Russian officials", "^"),
    "russia_customs": ("Russian customs", "v"),
    "imf_imts": ("IMF (either country's statistics)", "D"),
    "other": ("other reporters", "x"),
}


def _plt():  # type: ignore[no-untyped-def]
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        raise ImportError("charts need matplotlib: pip install 'indru-data[charts]'") from None
    return plt


def trade_by_year(ax) -> None:  # type: ignore[no-untyped-def]
    t = load("trade_annual")
    full = t[~t["is_partial"]].copy()
    full["year"] = full["period_end"].dt.year.where(
        full["period_type"] == "calendar_year", full["period_end"].dt.year
    )
    for flow, color in [
        ("total_trade", "black"),
        ("india_imports_from_russia", "tab:red"),
        ("india_exports_to_russia", "tab:blue"),
    ]:
        part = full[full["flow"] == flow]
        for reporter, (label, marker) in REPORTER_STYLE.items():
            pts = part[part["reporter"] == reporter]
            if pts.empty:
                continue
            fy = pts["period_type"] == "fiscal_year_india"
            chosen = pts["preferred"].fillna(False).astype(bool)
            # Non-preferred figures are drawn faintly: alternatives, not rival series.
            for keep, alpha in ((chosen, 1.0), (~chosen, 0.2)):
                ax.scatter(
                    pts["year"][~fy & keep],
                    pts["value_usd_mn"][~fy & keep] / 1000,
                    marker=marker,
                    color=color,
                    facecolors="none",
                    s=36,
                    alpha=alpha,
                )
                ax.scatter(
                    pts["year"][fy & keep],
                    pts["value_usd_mn"][fy & keep] / 1000,
                    marker=marker,
                    color=color,
                    s=36,
                    alpha=alpha,
                    label=f"{flow.replace('_', ' ')} — {label}" if alpha == 1.0 else None,
                )
    ax.set_title(
        "India–Russia goods trade, full years (filled: fiscal year; hollow: calendar; faint: not preferred)"
    )
    ax.set_ylabel("USD billion")
    ax.set_xlabel("year (fiscal years at the year they end)")
    ax.legend(fontsize=6, ncol=2)


def trade_official_fy(ax) -> None:  # type: ignore[no-untyped-def]
    from .official_trade import official_fy_series

    series = official_fy_series()
    labels = series["period"].str.replace("FY", "", regex=False)
    x = range(len(series))
    provisional = series["quality_flags"].fillna("").str.contains("provisional").to_numpy()
    for col, color, label in [
        ("total", "black", "total trade"),
        ("imports", "tab:red", "India's imports from Russia"),
        ("exports", "tab:blue", "India's exports to Russia"),
    ]:
        y = series[col] / 1000
        ax.plot(x, y, color=color, marker="o", ms=3, label=label)
        ax.scatter(
            [i for i, p in zip(x, provisional, strict=True) if p],
            y[provisional],
            s=60,
            facecolors="white",
            edgecolors=color,
            zorder=3,
        )
    ax.scatter([], [], s=60, facecolors="white", edgecolors="gray", label="provisional year")
    ax.set_xticks(list(x), labels, rotation=60, fontsize=7)
    ax.set_title("India–Russia goods trade per fiscal year, Department of Commerce (TRADESTAT)")
    ax.set_ylabel("USD billion")
    ax.set_xlabel("Indian fiscal year (April–March)")
    ax.legend(fontsize=7)


def arms_shares(ax) -> None:  # type: ignore[no-untyped-def]
    s = load("arms_supplier_shares")
    s = s[(s["measure"] == "sipri_tiv_derived") & s["supplier"].isin(["RUS", "FRA", "USA", "ISR"])]
    suppliers = [
        ("RUS", "Russia", "tab:red"),
        ("FRA", "France", "tab:blue"),
        ("USA", "United States", "tab:green"),
        ("ISR", "Israel", "tab:purple"),
    ]
    for sup, label, color in suppliers:
        part = s[s["supplier"] == sup].sort_values("window_end_year")
        ax.plot(
            part["window_end_year"],
            part["share_of_india_imports_pct"],
            marker="o",
            ms=3,
            color=color,
            label=f"{label} (computed from SIPRI's register)",
        )
    pub = load("arms_supplier_shares")
    pub = pub[(pub["measure"] == "sipri_tiv_published") & (pub["supplier"] == "RUS")]
    ax.scatter(
        pub["window_end_year"],
        pub["share_of_india_imports_pct"],
        color="black",
        marker="x",
        label="Russia, as SIPRI published it",
        zorder=3,
    )
    ax.set_title("Share of India's arms imports by supplier, 5-year windows (SIPRI TIV)")
    ax.set_xlabel("last year of the window")
    ax.set_ylabel("percent")
    ax.set_ylim(0, 100)
    ax.legend(fontsize=7)


def russia_export_shares(ax) -> None:  # type: ignore[no-untyped-def]
    from .context import PUBLISHED, russia_export_shares

    derived = russia_export_shares().sort_values("window_end_year")
    published = russia_export_shares(PUBLISHED)
    for col, label, color in [
        ("india_share_pct", "India", "tab:orange"),
        ("china_share_pct", "China", "tab:red"),
        ("russia_world_share_pct", "Russia's share of world exports", "tab:gray"),
    ]:
        ax.plot(
            derived["window_end_year"],
            derived[col],
            marker="o",
            ms=3,
            color=color,
            label=f"{label} (computed from SIPRI's register, 2026-02-12)",
        )
        pts = published.dropna(subset=[col])
        ax.scatter(
            pts["window_end_year"],
            pts[col],
            marker="x",
            s=40,
            color=color,
            zorder=3,
            label=f"{label}, as SIPRI published it (news reports of each release)",
        )
    ax.set_title(
        "Shares of Russia's arms exports going to India and to China, 5-year windows (SIPRI TIV)"
    )
    ax.set_xlabel("last year of the window")
    ax.set_ylabel("percent")
    ax.set_ylim(0, 75)
    ax.legend(fontsize=6, ncol=2, loc="upper center")


def trade_russia_china_vs_india(ax) -> None:  # type: ignore[no-untyped-def]
    from .context import trade_russia_china_vs_india as table

    t = table()
    series = [
        (
            "russia_china_russia_reported",
            "Russia–China, Russia-reported (IMF)",
            "tab:red",
            "-",
            "o",
        ),
        ("russia_china_china_reported", "Russia–China, China-reported (IMF)", "tab:red", ":", "s"),
        ("russia_china_china_customs", "Russia–China, China's customs", "tab:red", "--", "D"),
        (
            "india_russia_russia_reported",
            "India–Russia, Russia-reported (IMF)",
            "tab:blue",
            "-",
            "o",
        ),
        ("india_russia_india_reported", "India–Russia, India-reported (IMF)", "tab:blue", ":", "s"),
        (
            "india_russia_commerce_fy_total",
            "India–Russia, India's Dept of Commerce, fiscal year from April",
            "tab:blue",
            "--",
            "D",
        ),
    ]
    for col, label, color, style, marker in series:
        pts = t.dropna(subset=[col])
        ax.plot(
            pts["year"],
            pts[col] / 1000,
            linestyle=style,
            marker=marker,
            ms=3,
            color=color,
            label=label,
        )
    ax.set_title("Russia–China vs India–Russia goods trade (exports + imports), same axes")
    ax.set_ylabel("USD billion")
    ax.set_xlabel("calendar year (fiscal years at the year they start)")
    ax.legend(fontsize=6)


def sanctions_timeline(ax) -> None:  # type: ignore[no-untyped-def]
    s = load("sanctions_actions").dropna(subset=["announced_date"])
    juris = list(s["jurisdiction"].astype(str).value_counts().index)
    for i, j in enumerate(juris):
        pts = s[s["jurisdiction"].astype(str) == j]
        ax.scatter(pts["announced_date"], [i] * len(pts), s=18)
    ax.set_yticks(range(len(juris)), juris)
    ax.set_title("Sanctions actions touching India–Russia cooperation, by who acted")
    ax.set_xlabel("announced")


def summit_topics(ax) -> None:  # type: ignore[no-untyped-def]
    g = load("summit_agenda")
    g = g[g["outcome_type"] != "expected"]
    counts = g.groupby("topic", observed=True).size().sort_values()
    ax.barh([str(t).replace("_", " ") for t in counts.index], counts.to_numpy(), color="tab:gray")
    ax.set_title("Summit outcomes by topic, 2000–2025 (items held)")
    ax.set_xlabel("items")


CHARTS = {
    "trade_by_year.png": trade_by_year,
    "trade_official_fy.png": trade_official_fy,
    "arms_supplier_shares.png": arms_shares,
    "russia_arms_export_shares.png": russia_export_shares,
    "trade_russia_china_vs_india.png": trade_russia_china_vs_india,
    "sanctions_timeline.png": sanctions_timeline,
    "summit_topics.png": summit_topics,
}


def render(outdir: str | Path) -> list[Path]:
    """Draw every chart into `outdir` (created if needed); returns the files written."""
    plt = _plt()
    out = Path(outdir)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, draw in CHARTS.items():
        fig, ax = plt.subplots(figsize=(8, 4.5), dpi=110)
        draw(ax)
        fig.tight_layout()
        path = out / name
        fig.savefig(path, metadata={"Software": None})
        plt.close(fig)
        written.append(path)
    return written


__all__ = ["CHARTS", "pd", "render"]
