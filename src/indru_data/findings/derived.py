"""The tables `indru-data build` computes from other tables, never edited by hand.

Each entry: table name -> (the tables it reads, the function from their typed frames to the
table's rows as text, in the table's column order); `derived_csv` writes them. The build runs them in descriptor order, after the `preferred` flags are
re-derived, so a derived table may read another one listed before it.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

import pandas as pd

from indru_data.findings import panel, unga

Derivation = Callable[[dict[str, pd.DataFrame]], pd.DataFrame]

DERIVED_TABLES: dict[str, tuple[tuple[str, ...], Derivation]] = {
    "unga_agreement": (("unga_roll_calls", "unga_country_votes"), unga.agreement_rows),
    "relationship_panel": (
        (
            "trade_annual",
            "arms_supplier_shares",
            "unga_agreement",
            "summits",
            "sanctions_actions",
            "sanctioned_entities",
        ),
        panel.panel_frame,
    ),
}


def derived_csv(name: str, frames: dict[str, pd.DataFrame]) -> str:
    """The CSV text of derived table `name`, from the typed frames of the tables it reads."""
    rows = DERIVED_TABLES[name][1](frames)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(rows.columns)
    writer.writerows(rows.itertuples(index=False))
    return out.getvalue()
