"""Report: a lazily formatted failure (`fail(value_of=...)`) gives what `fail(value=...)` gives,
and only the failures listed are formatted."""

from __future__ import annotations

import random

from indru_data.validation.report import Report

STAGES = ["file", "structure", "pandera"]
RULES = ["type-error", "cell-too-large", "constraint-error:minimum", "primary-key"]


def offers(seed: int, n: int) -> list[tuple[str, str, int, str]]:
    """(stage, rule, row, column): repeated places, several stages, settling rules."""
    rng = random.Random(seed)
    return [
        (rng.choice(STAGES), rng.choice(RULES), rng.randint(2, 40), rng.choice(["a", "b"]))
        for _ in range(n)
    ]


def test_a_lazy_value_gives_what_a_value_gives() -> None:
    for seed in range(20):
        plain, lazy = Report("x", max_shown=7), Report("x", max_shown=7)
        formatted: list[int] = []
        for stage, rule, row, column in offers(seed, 300):
            plain.fail(stage, "t", "t.csv", rule, "m", row=row, column=column, value=row, key="k")

            def value(row: int = row, seen: list[int] = formatted) -> int:
                seen.append(row)
                return row

            lazy.fail(
                stage, "t", "t.csv", rule, "m", row=row, column=column, value_of=value, key="k"
            )
        assert (lazy.failures, lazy.counts) == (plain.failures, plain.counts)
        assert len(formatted) == len(lazy.failures)  # only what is listed is formatted
