"""`indru-data charts`: the README's figures, drawn from the packaged tables (needs matplotlib).

pip install '.[charts]' && indru-data charts docs/charts   # in a clone
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pandas as pd

from indru_data.core.load import load
from indru_data.outputs.chart_labels import vocab_label
from indru_data.outputs.chart_sanctions import indian_entities_sanctions, sanctions_timeline
from indru_data.outputs.chart_unga import unga_agreement

# Marker per reporter (and, for the IMF, per country whose statistics it gives).
REPORTER_MARKERS = {
    ("india_commerce_ministry", None): "o",
    ("india_official_statement", None): "s",
    ("russia_official_statement", None): "^",
    ("russia_customs", None): "v",
    ("imf_imts", "IND"): "D",
    ("imf_imts", "RUS"): "P",
    ("other", None): "X",
}
FLOW_COLORS = {
    "total_trade": "black",
    "india_imports_from_russia": "tab:red",
    "india_exports_to_russia": "tab:blue",
}


def _lower_first(label: str) -> str:
    """'A share SIPRI published' -> 'a share SIPRI published' (acronyms kept)."""
    first = label.split(" ", 1)[0]
    return label[:1].lower() + label[1:] if first[1:] == first[1:].lower() else label


def _plt():  # type: ignore[no-untyped-def]
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        raise ImportError(
            "charts need matplotlib: pip install 'matplotlib>=3.8' (the package's 'charts' extra)"
        ) from None
    return plt


def _handle(**kw):  # type: ignore[no-untyped-def]
    """A legend entry for a mark drawn elsewhere (marker only, no line)."""
    from matplotlib.lines import Line2D

    return Line2D([], [], linestyle="none", markersize=7, **kw)


def trade_by_year(ax) -> None:  # type: ignore[no-untyped-def]
    t = load("trade_annual")
    full = t[~t["is_partial"]].copy()
    full["year"] = full["period_end"].dt.year
    markers = list(REPORTER_MARKERS)
    # Reporters of the same year sit side by side (a small fixed offset each), so figures
    # from several reporters for one year never hide one another.
    offsets = {k: (i - (len(markers) - 1) / 2) * 0.11 for i, k in enumerate(markers)}
    for flow, color in FLOW_COLORS.items():
        part = full[full["flow"] == flow]
        for key, marker in REPORTER_MARKERS.items():
            reporter, country = key
            pts = part[part["reporter"] == reporter]
            if country is not None:
                pts = pts[pts["reporter_country"] == country]
            if pts.empty:
                continue
            x = pts["year"] + offsets[key]
            y = pts["value_usd_mn"] / 1000
            fy = (pts["period_type"] == "fiscal_year_india").to_numpy()
            chosen = pts["preferred"].fillna(False).astype(bool).to_numpy()
            # Non-preferred figures are drawn faintly: alternatives, not rival series.
            for keep, alpha in ((chosen, 0.9), (~chosen, 0.25)):
                for period, face in ((fy, color), (~fy, "none")):
                    sel = keep & period
                    if sel.any():
                        ax.scatter(
                            x[sel], y[sel], marker=marker, s=28, alpha=alpha,
                            facecolors=face, edgecolors=color, linewidths=1.1,
                        )  # fmt: skip
    handles = [_handle(marker="", label="Flow (colour)")]
    handles += [
        _handle(marker="o", color=c, label=vocab_label("trade_annual", "flow", f))
        for f, c in FLOW_COLORS.items()
    ]
    handles.append(_handle(marker="", label="Reporter (shape)"))
    for (reporter, country), marker in REPORTER_MARKERS.items():
        label = vocab_label("trade_annual", "reporter", reporter)
        if country is not None:
            label += ": " + vocab_label("trade_annual", "reporter_country", country)
        handles.append(_handle(marker=marker, color="dimgray", label=label))
    handles += [
        _handle(marker="", label="Period and preference"),
        _handle(
            marker="o", color="dimgray",
            label=vocab_label("trade_annual", "period_type", "fiscal_year_india") + ": filled",
        ),
        _handle(
            marker="o", markerfacecolor="none", markeredgecolor="dimgray",
            label=vocab_label("trade_annual", "period_type", "calendar_year") + ": hollow",
        ),
        _handle(marker="o", color="dimgray", alpha=0.25, label="faint: not the preferred figure"),
    ]  # fmt: skip
    legend = ax.legend(
        handles=handles, fontsize=6.5, loc="upper left", bbox_to_anchor=(1.01, 1.0),
        frameon=False, handletextpad=0.3,
    )  # fmt: skip
    for text in legend.get_texts():
        if text.get_text() in ("Flow (colour)", "Reporter (shape)", "Period and preference"):
            text.set_fontweight("bold")
    ax.set_title("India–Russia goods trade, full years, every reporter", fontsize=10)
    # A log scale keeps the small 1990s–2000s figures apart instead of piled up on zero.
    ax.set_yscale("log")
    ticks = [0.5, 1, 2, 5, 10, 20, 50, 100]
    ax.set_yticks(ticks, [f"{t:g}" for t in ticks])
    ax.set_ylim(0.3, 100)
    ax.set_ylabel("USD billion (log scale)")
    ax.set_xlabel("year (a fiscal year is placed at the year it ends)")
    ax.grid(axis="y", alpha=0.3)


def trade_official_fy(ax) -> None:  # type: ignore[no-untyped-def]
    from indru_data.findings.official_trade import official_fy_series

    series = official_fy_series()
    labels = series["period"].str.replace("FY", "", regex=False)
    x = range(len(series))
    provisional = series["quality_flags"].fillna("").str.contains("provisional").to_numpy()
    for col, flow in [
        ("total", "total_trade"),
        ("imports", "india_imports_from_russia"),
        ("exports", "india_exports_to_russia"),
    ]:
        color = FLOW_COLORS[flow]
        y = series[col] / 1000
        ax.plot(
            x, y, color=color, marker="o", ms=3, label=vocab_label("trade_annual", "flow", flow)
        )
        ax.scatter(
            [i for i, p in zip(x, provisional, strict=True) if p],
            y[provisional],
            s=60,
            facecolors="white",
            edgecolors=color,
            zorder=3,
        )
    ax.scatter(
        [], [], s=60, facecolors="white", edgecolors="gray", label="provisional year (hollow)"
    )
    ax.set_xticks(list(x), labels, rotation=60, fontsize=7)
    ax.set_title("India–Russia goods trade per fiscal year, Department of Commerce (TRADESTAT)")
    ax.set_ylabel("USD billion")
    ax.set_xlabel("Indian fiscal year (April–March)")
    ax.grid(axis="y", alpha=0.3)
    ax.legend(fontsize=7)


def arms_shares(ax) -> None:  # type: ignore[no-untyped-def]
    all_shares = load("arms_supplier_shares")
    s = all_shares[all_shares["measure"] == "sipri_tiv_derived"]
    derived = vocab_label("arms_supplier_shares", "measure", "sipri_tiv_derived", 80)
    for sup, color in [
        ("RUS", "tab:red"),
        ("FRA", "tab:blue"),
        ("USA", "tab:green"),
        ("ISR", "tab:purple"),
    ]:
        part = s[s["supplier"] == sup].sort_values("window_end_year")
        name = part["supplier_name"].iloc[0] if len(part) else sup
        ax.plot(
            part["window_end_year"],
            part["share_of_india_imports_pct"],
            marker="o",
            ms=3,
            color=color,
            label=name,
        )
    pub = all_shares[
        (all_shares["measure"] == "sipri_tiv_published") & (all_shares["supplier"] == "RUS")
    ]
    ax.scatter(
        pub["window_end_year"],
        pub["share_of_india_imports_pct"],
        color="black",
        marker="x",
        label="Russia: "
        + _lower_first(vocab_label("arms_supplier_shares", "measure", "sipri_tiv_published"))
        + " (×)",
        zorder=3,
    )
    ax.set_title("Share of India's arms imports by supplier, 5-year windows (SIPRI TIV)")
    ax.set_xlabel("last year of the window")
    ax.set_ylabel("percent")
    ax.set_ylim(0, 100)
    ax.grid(axis="y", alpha=0.3)
    ax.legend(fontsize=7, title=f"Lines: {_lower_first(derived)}", title_fontsize=7)


def russia_export_shares(ax) -> None:  # type: ignore[no-untyped-def]
    from indru_data.findings.context import PUBLISHED, russia_export_shares

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
    from indru_data.findings.context import trade_russia_china_vs_india as table

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


def summit_topics(ax) -> None:  # type: ignore[no-untyped-def]
    g = load("summit_agenda")
    g = g[g["outcome_type"] != "expected"]
    counts = g.groupby("topic", observed=True).size().sort_values()
    labels = [
        textwrap.fill(vocab_label("summit_agenda", "topic", str(t), 100), 48) for t in counts.index
    ]
    bars = ax.barh(labels, counts.to_numpy(), color="tab:gray")
    ax.bar_label(bars, fontsize=6, padding=2)
    ax.tick_params(axis="y", labelsize=6)
    ax.set_title(
        "Summit outcomes by topic, 2000–2025\n(items held; items only expected before a summit left out)",
        fontsize=10,
    )
    ax.set_xlabel("items")


CHARTS = {
    "trade_by_year.png": trade_by_year,
    "trade_official_fy.png": trade_official_fy,
    "arms_supplier_shares.png": arms_shares,
    "russia_arms_export_shares.png": russia_export_shares,
    "trade_russia_china_vs_india.png": trade_russia_china_vs_india,
    "sanctions_timeline.png": sanctions_timeline,
    "indian_entities_sanctions.png": indian_entities_sanctions,
    "summit_topics.png": summit_topics,
    "unga_agreement.png": unga_agreement,
}


SIZES = {"trade_by_year.png": (10, 5), "summit_topics.png": (8, 5.5), "unga_agreement.png": (10, 5)}


def render(outdir: str | Path, *, inside: str | Path | None = None) -> list[Path]:
    """Draw every chart into `outdir` (created if needed); returns the files written. Each
    must resolve inside `inside` (default `outdir`), or WriteRefused is raised before drawing."""
    from indru_data.core.files import confined, write_atomic

    out = Path(outdir)
    bound = Path(inside) if inside is not None else out
    targets = {name: confined(out / name, bound) for name in CHARTS}
    plt = _plt()
    written = []
    for name, draw in CHARTS.items():
        fig, ax = plt.subplots(figsize=SIZES.get(name, (8, 4.5)), dpi=110)
        draw(ax)
        fig.tight_layout()
        save = lambda tmp, f=fig: f.savefig(tmp, format="png", metadata={"Software": None})  # noqa: E731
        write_atomic(targets[name], save, inside=bound)
        plt.close(fig)
        written.append(out / name)
    return written


__all__ = ["CHARTS", "pd", "render", "vocab_label"]
