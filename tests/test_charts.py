"""The README's charts are drawn from the packaged data by `indru-data charts`."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import ROOT

from indru_data.outputs.charts import CHARTS, render


@pytest.mark.slow
def test_every_chart_renders(tmp_path: Path) -> None:
    written = render(tmp_path)
    assert [p.name for p in written] == list(CHARTS)
    for p in written:
        data = p.read_bytes()
        assert data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) > 10_000


def test_readme_shows_the_committed_charts() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in CHARTS:
        assert f"docs/charts/{name}" in readme
        assert (ROOT / "docs" / "charts" / name).is_file()


def _texts(draw) -> list[str]:  # type: ignore[no-untyped-def]
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots()
    try:
        draw(ax)
        texts = [t.get_text() for t in ax.get_yticklabels() + ax.get_xticklabels()]
        legend = ax.get_legend()
        if legend is not None:
            texts += [t.get_text() for t in legend.get_texts()]
        return [t for t in texts if t]
    finally:
        plt.close(fig)


def test_labels_are_descriptions_not_slugs() -> None:
    """Issue 16: labels come from the codebook's x-enumDescriptions, never raw slugs."""
    from indru_data.core.load import table_info
    from indru_data.outputs.charts import vocab_label

    for table, column in [
        ("sanctions_actions", "jurisdiction"),
        ("summit_agenda", "topic"),
        ("trade_annual", "flow"),
        ("trade_annual", "reporter"),
    ]:
        for value in table_info(table).field(column).enum:
            label = vocab_label(table, column, value)
            assert "_" not in label and label != value, (table, column, value, label)
    assert vocab_label("sanctions_actions", "jurisdiction", "company") == (
        "A company acting on its own decision"
    )
    for name, draw in CHARTS.items():
        slugs = [t for t in _texts(draw) if "_" in t]
        assert not slugs, (name, slugs)


def test_trade_legend_names_every_mark() -> None:
    from indru_data.outputs.charts import trade_by_year

    texts = _texts(trade_by_year)
    assert "Calendar year: hollow" in texts
    assert any(t.startswith("India's fiscal year") and t.endswith("filled") for t in texts)
    assert "faint: not the preferred figure" in texts
    assert {"Goods India exports to Russia", "Goods India imports from Russia"} <= set(texts)
    assert sum("IMF" in t for t in texts) == 2  # India's and Russia's statistics, two shapes
