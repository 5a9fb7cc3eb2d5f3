"""The README's charts are drawn from the packaged data by `indru-data charts`."""

from __future__ import annotations

from pathlib import Path

from conftest import ROOT

from indru_data.charts import CHARTS, render


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
