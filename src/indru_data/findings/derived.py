"""The tables `indru-data build` computes from other tables, never edited by hand.

Each entry: table name -> (the tables it reads, the function from their typed frames to the
table's CSV text). The build runs them in descriptor order, after the `preferred` flags are
re-derived, so a derived table may read another one listed before it.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from indru_data.findings import panel, unga

Derivation = Callable[[dict[str, pd.DataFrame]], str]

DERIVED_TABLES: dict[str, tuple[tuple[str, ...], Derivation]] = {
    "unga_agreement": (("unga_roll_calls", "unga_country_votes"), unga.agreement_csv),
    "relationship_panel": (
        (
            "trade_annual",
            "arms_supplier_shares",
            "unga_agreement",
            "summits",
            "sanctions_actions",
            "sanctioned_entities",
        ),
        panel.panel_csv,
    ),
}
