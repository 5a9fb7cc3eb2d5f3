"""x-checks row rules from a stranger's schema are parsed into a closed grammar, never executed.

Reproduces the outside check's finding (issue 18, item 1): a rule such as
`@pd.io.common.os.system("touch /tmp/x") == 0` ran a shell command during `validate`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from conftest import BrokenCopy, cli

from indru_data.validation import validate
from indru_data.validation.expressions import Expression, ExpressionError
from indru_data.validation.row_rules import RuleError, build_rules


def _payloads(marker: Path) -> list[str]:
    cmd = f"touch {marker}"
    return [
        f'@pd.io.common.os.system("{cmd}") == 0',
        f"__import__('os').system('{cmd}') == 0",
        f"value_usd_mn.__class__.__init__.__globals__['os'].system('{cmd}') == 0",
        f"value_usd_mn.apply(lambda v: __import__('os').system('{cmd}')) == 0",
        f"open('{marker}', 'w').write('x') == 1",
        "value_usd_mn.pipe(print) == 0",
        "[x for x in value_usd_mn] == 0",
        "value_usd_mn[0] == 1",
        "f'{value_usd_mn}' == 'x'",
        "value_usd_mn ** 999999999 > 0",
        "value_usd_mn if True else flow",
    ]


def _set_rule(copy: BrokenCopy, table: str, expression: str) -> None:
    def change(schema: dict[str, Any]) -> None:
        schema.setdefault("x-checks", []).append(
            {"kind": "row_rule", "name": "hostile", "expression": expression, "columns": []}
        )

    copy.edit_schema(table, change)


@pytest.mark.parametrize("index", range(len(_payloads(Path("/x")))))
def test_hostile_expressions_are_refused_by_the_grammar(tmp_path: Path, index: int) -> None:
    marker = tmp_path / "ran"
    with pytest.raises(ExpressionError, match=r"not allowed|not a valid"):
        Expression(_payloads(marker)[index], {"value_usd_mn", "flow"})
    assert not marker.exists()


@pytest.mark.slow
def test_validate_refuses_the_rule_and_runs_nothing(broken: BrokenCopy, tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    _set_rule(broken, "trade_annual", f'@pd.io.common.os.system("touch {marker}") == 0')
    report = validate(broken.descriptor)
    assert not marker.exists()
    assert not report.valid
    [failure] = [f for f in report.failures if f.rule == "x-checks"]
    assert failure.table == "trade_annual"
    assert failure.file == "schemas/trade_annual.schema.json"
    assert "x-checks[" in failure.message and "'hostile'" in failure.message

    out = cli("validate", str(broken.descriptor))
    assert not marker.exists()
    assert out.returncode in (1, 2)
    assert "Traceback" not in out.stdout + out.stderr
    assert "trade_annual" in out.stdout + out.stderr


def test_unknown_column_and_malformed_rules_are_located() -> None:
    with pytest.raises(RuleError, match=r"x-checks\[0\] \('r'\): unknown column\(s\) 'nope'"):
        build_rules([{"kind": "row_rule", "name": "r", "expression": "nope > 1"}], {"a"})
    with pytest.raises(RuleError, match=r"x-checks\[0\].*needs 'expression'"):
        build_rules([{"kind": "row_rule", "name": "r"}], {"a"})
    with pytest.raises(RuleError, match=r"x-checks\[1\] is not an object"):
        build_rules([{"kind": "required_any", "fields": ["a"]}, "x"], {"a"})
    with pytest.raises(RuleError, match="limit is"):
        build_rules([{"kind": "row_rule", "name": "r", "expression": "a + " * 400 + "a"}], {"a"})


def test_the_grammar_evaluates_what_the_shipped_schemas_use() -> None:
    df = pd.DataFrame(
        {
            "a": pd.array([1, 5, None], dtype="Int64"),
            "b": pd.array([2, 3, 4], dtype="Int64"),
            "kind": pd.array(["x", "y", "x"], dtype="string"),
            "day": pd.to_datetime(["2020-04-01", "2021-01-01", None]),
            "flag": pd.array([True, False, True], dtype="boolean"),
        }
    )

    def run(text: str) -> list[Any]:
        return list(pd.Series(Expression(text, set(df.columns)).evaluate(df)).astype(object))

    assert run("a <= b") == [True, False, pd.NA]
    assert run("a.isna() | (a <= b)") == [True, False, True]
    assert run("(kind != 'x') | flag") == [True, True, True]
    assert run("(day.dt.month == 4) & (day.dt.day == 1)") == [True, False, False]
    assert run("not flag") == [False, True, False]
    assert run("abs(a - b) * 2 / 1 < 3") == [True, False, pd.NA]
    assert run("1 < b < 4") == [True, True, False]
    assert run("a.notna() and b > 2") == [False, True, False]


# What a rule builds is bounded too (issue 29, item 4): 26 characters asked for 23.7 GB.
GROWING = [
    "trade_id * 30000000 == 'x'",
    "trade_id == 'x' * 3000000000",
    "30000000 * trade_id == 'x'",
    "(trade_id + trade_id) == 'x'",
    "value_usd_mn * 1e400 > 0",
    "value_usd_mn < 99999999999999999999",
]


@pytest.mark.parametrize("text", GROWING)
def test_rules_that_could_outgrow_the_table_are_refused_when_read(text: str) -> None:
    import time
    import tracemalloc

    types = {"trade_id": "string", "value_usd_mn": "number"}
    tracemalloc.start()
    started = time.perf_counter()
    with pytest.raises(ExpressionError, match=r"arithmetic on text|number literal beyond"):
        Expression(text, types)
    elapsed = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert elapsed < 1 and peak < 300 * 1024**2, (elapsed, peak)


def test_evaluation_refuses_arithmetic_on_text_it_was_not_told_about() -> None:
    """The second line: column types unknown when read, refused before anything is built."""
    expression = Expression("trade_id * 30000000 == 'x'", {"trade_id"})
    frame = pd.DataFrame({"trade_id": pd.array(["a", "b"], dtype="string")})
    with pytest.raises(ExpressionError, match="not a number"):
        expression.evaluate(frame)


def test_numbers_still_add_up() -> None:
    frame = pd.DataFrame({"a": [1, 20], "b": [2, 3]})
    expression = Expression("(a + b * 2 - 1) / 1 <= 15", {"a": "integer", "b": "integer"})
    assert list(expression.evaluate(frame)) == [True, False]


@pytest.mark.slow
def test_validate_reports_a_growing_rule_at_its_schema(broken: BrokenCopy) -> None:
    _set_rule(broken, "trade_annual", "trade_id * 30000000 == 'x'")
    out = cli("validate", str(broken.descriptor), "--format", "json")
    assert out.returncode in (1, 2) and "Traceback" not in out.stderr
    assert "arithmetic on text" in out.stdout + out.stderr
