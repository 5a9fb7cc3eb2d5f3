"""Short labels for vocabulary values in charts, taken from the codebook's descriptions."""

from __future__ import annotations

import re
import textwrap

# Where a description's first clause does not name the value on its own.
LABEL_OVERRIDES = {("trade_annual", "period_type", "calendar_year"): "Calendar year"}


def vocab_label(table: str, column: str, value: str, max_len: int = 45) -> str:
    """A short label for a vocabulary value, from the codebook's description of it.

    The description's first sentence without parentheses, cut at the last comma or colon that
    keeps it within `max_len` characters ("India's Ministry of Commerce and Industry,
    Department of Commerce (DGCI&S …)" gives "India's Ministry of Commerce and Industry"). A
    value without a description keeps its slug, with spaces for underscores.
    """
    if (table, column, value) in LABEL_OVERRIDES:
        return LABEL_OVERRIDES[(table, column, value)]
    from indru_data.core.load import table_info

    text = table_info(table).field(column).enum_descriptions.get(value, "")
    text = re.sub(r"\s*\([^)]*\)", "", text).strip()
    text = re.split(r"(?<=[a-z\d])\.(?:\s|$)|:\s", text, maxsplit=1)[0].strip().rstrip(".")
    if not text:
        return value.replace("_", " ")
    if len(text) <= max_len:
        return text
    cuts = [m.start() for m in re.finditer(r",\s|;\s", text) if 12 <= m.start() <= max_len]
    if cuts:
        return text[: cuts[-1]]
    return textwrap.shorten(text, max_len, placeholder="…")
