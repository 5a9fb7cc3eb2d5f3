"""Report: a lazily formatted failure (`fail(value_of=...)`) gives what `fail(value=...)` gives;
recordings are bounded and nested safely."""

from __future__ import annotations

import random

from indru_data.validation.report import Report

STAGES = ["file", "frictionless", "pandera"]
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


def test_a_recording_keeps_up_to_its_limit_and_then_only_the_listed_are_formatted() -> None:
    report = Report("x", max_shown=5)
    formatted: list[int] = []

    def note() -> None:
        formatted.append(1)

    with report.recording() as everything, report.recording(limit=3) as bounded:
        for row in range(2, 102):
            report.fail("pandera", "t", None, "r", "m", row=row, column="c", value_of=note)
    assert len(bounded) == 3 and len(everything) == 100  # the unbounded one takes every offer
    with report.recording(limit=3) as bounded:
        for row in range(102, 202):
            report.fail("pandera", "t", None, "r", "m", row=row, column="c", value_of=note)
    assert len(bounded) == 3
    assert len(formatted) == 100 + 3  # every offer while a recorder took it; then none
    assert report.counts[("t", "r")] == 200 and len(report.failures) == 5


def test_nested_recordings_of_the_same_failures_end_each_its_own() -> None:
    report = Report("x")
    with report.recording() as outer:
        with report.recording() as inner:
            report.fail("pandera", "t", None, "r", "m", row=2, column="c")
        assert outer == inner  # equal lists: ending the inner one must not end the outer one
        report.fail("pandera", "t", None, "r", "m", row=3, column="c")
    assert len(outer) == 2 and len(inner) == 1
