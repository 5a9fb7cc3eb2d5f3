"""Row-rule expressions from a schema's `x-checks`, parsed into a small closed grammar.

A schema may come from a stranger's fork, so its expressions are data, never code: they are
parsed with `ast.parse` (which only builds a tree, it runs nothing) and every node is checked
against the grammar below before anything is evaluated. Evaluation walks that checked tree
with pandas operations of our own choosing; `eval`, `DataFrame.eval` and attribute access on
arbitrary objects are never used, so `@pd.io.common.os.system(...)`, `__import__`,
`df.__class__` and the like are refused before they can run.

Grammar (everything else is refused with the offending part and its offset):
- a column name of the table; literals: strings, integers, floats, True, False
- comparison: == != < <= > >= (chains allowed); arithmetic: + - * / and unary -, on numbers
  only (so no string repetition or concatenation), with number literals at most
  MAX_LITERAL in size
- boolean: & | ~ and `and`, `or`, `not` (element-wise)
- functions: COLUMN.isna(), COLUMN.notna(), COLUMN.dt.year / .month / .day, abs(x)

What a rule builds is bounded as well as its text: `trade_id * 30000000` (26 characters)
would repeat every cell thirty million times. So arithmetic whose operand is a string literal
or a text column is refused when the rule is read (the column types come from the schema),
and, as a second line, evaluation refuses arithmetic on any operand that is not numeric
before computing it. Comparisons and boolean operators never make a result larger than
their inputs.
"""

from __future__ import annotations

import ast
import operator
from collections.abc import Callable, Collection, Mapping
from typing import Any

import pandas as pd

MAX_EXPRESSION_CHARS = 1_000  # the longest rule we ship is ~130 characters
MAX_NODES = 200
MAX_LITERAL = 10**15  # larger than any amount in the package (USD million, tonnes, counts)

_COMPARE: dict[type[ast.cmpop], Callable[[Any, Any], Any]] = {
    ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
    ast.Lt: operator.lt,
    ast.LtE: operator.le,
    ast.Gt: operator.gt,
    ast.GtE: operator.ge,
}
_BINARY: dict[type[ast.operator], Callable[[Any, Any], Any]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.BitAnd: operator.and_,
    ast.BitOr: operator.or_,
}
_ARITHMETIC = (ast.Add, ast.Sub, ast.Mult, ast.Div)
# Table Schema types whose columns are text (a date is compared, never multiplied).
_TEXT_TYPES = frozenset({"string"})
_METHODS = {"isna", "notna"}
_DATE_PARTS = {"year", "month", "day"}
_FUNCTIONS = {"abs": abs}


class ExpressionError(ValueError):
    """An expression outside the grammar; the message says which part and where."""


class Expression:
    """A checked row-rule expression, evaluated over a DataFrame's columns."""

    def __init__(
        self, text: str, columns: Collection[str] | Mapping[str, str] | None = None
    ) -> None:
        """`columns`: the table's column names, or a mapping of them to their Table Schema
        types (which lets arithmetic on a text column be refused here, not when evaluated)."""
        self.types: dict[str, str] = dict(columns) if isinstance(columns, Mapping) else {}
        if not isinstance(text, str) or not text.strip():
            raise ExpressionError("the expression must be a non-empty string")
        if len(text) > MAX_EXPRESSION_CHARS:
            raise ExpressionError(
                f"the expression has {len(text):,} characters; the limit is "
                f"{MAX_EXPRESSION_CHARS:,}"
            )
        try:
            tree = ast.parse(text.strip(), mode="eval")
        except SyntaxError as exc:
            raise ExpressionError(f"not a valid expression ({exc.msg})") from None
        except (ValueError, RecursionError, MemoryError):
            raise ExpressionError("not a valid expression") from None
        self.text = text
        self.tree = tree.body
        self.names: set[str] = set()
        nodes = list(ast.walk(tree))
        if len(nodes) > MAX_NODES:
            raise ExpressionError(f"the expression is too complex ({len(nodes)} parts)")
        self._check(self.tree)
        if columns is not None:
            unknown = sorted(self.names - set(columns))
            if unknown:
                raise ExpressionError(f"unknown column(s) {', '.join(map(repr, unknown))}")

    def _refuse(self, node: ast.AST, what: str) -> ExpressionError:
        offset = getattr(node, "col_offset", None)
        where = f" at offset {offset}" if offset is not None else ""
        snippet = ast.get_source_segment(self.text.strip(), node) or type(node).__name__
        return ExpressionError(f"{what}{where}: {snippet[:60]!r} is not allowed in a row rule")

    def _check(self, node: ast.AST) -> None:
        if isinstance(node, ast.Name):
            self.names.add(node.id)
        elif isinstance(node, ast.Constant):
            if not isinstance(node.value, str | int | float | bool) or node.value is None:
                raise self._refuse(node, "only string, number and boolean literals")
            number = isinstance(node.value, int | float) and not isinstance(node.value, bool)
            if number and not abs(node.value) <= MAX_LITERAL:  # also refuses nan and inf
                raise self._refuse(node, f"a number literal beyond ±{MAX_LITERAL:.0e}")
        elif isinstance(node, ast.Compare):
            if not all(type(op) in _COMPARE for op in node.ops):
                raise self._refuse(node, "comparison operator")
            for child in [node.left, *node.comparators]:
                self._check(child)
        elif isinstance(node, ast.BinOp):
            if type(node.op) not in _BINARY:
                raise self._refuse(node, "operator")
            self._check(node.left)
            self._check(node.right)
            if isinstance(node.op, _ARITHMETIC) and (
                self._text(node.left) or self._text(node.right)
            ):
                raise self._refuse(
                    node, "arithmetic on text (repetition or concatenation can outgrow the table)"
                )
        elif isinstance(node, ast.UnaryOp):
            if not isinstance(node.op, ast.Invert | ast.Not | ast.USub):
                raise self._refuse(node, "operator")
            self._check(node.operand)
        elif isinstance(node, ast.BoolOp):
            for child in node.values:
                self._check(child)
        elif isinstance(node, ast.Call):
            self._check_call(node)
        elif isinstance(node, ast.Attribute):
            # Only COLUMN.dt.year|month|day: the object must itself be `<column>.dt`.
            inner = node.value
            if not (
                node.attr in _DATE_PARTS
                and isinstance(inner, ast.Attribute)
                and inner.attr == "dt"
                and isinstance(inner.value, ast.Name)
            ):
                raise self._refuse(node, "attribute")
            self.names.add(inner.value.id)
        else:
            raise self._refuse(node, type(node).__name__)

    def _text(self, node: ast.AST) -> bool:
        """True when `node` is known to be text: a string literal or a text column."""
        if isinstance(node, ast.Constant):
            return isinstance(node.value, str)
        if isinstance(node, ast.Name):
            return self.types.get(node.id) in _TEXT_TYPES
        return False

    def _check_call(self, node: ast.Call) -> None:
        if node.keywords:
            raise self._refuse(node, "keyword arguments")
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr in _METHODS:
            if node.args or not isinstance(func.value, ast.Name | ast.Attribute):
                raise self._refuse(node, "call")
            self._check(func.value)
        elif isinstance(func, ast.Name) and func.id in _FUNCTIONS:
            if len(node.args) != 1:
                raise self._refuse(node, "call")
            self._check(node.args[0])
        else:
            raise self._refuse(node, "call")

    def evaluate(self, df: pd.DataFrame) -> Any:
        return self._eval(self.tree, df)

    def _eval(self, node: ast.AST, df: pd.DataFrame) -> Any:
        if isinstance(node, ast.Name):
            return df[node.id]
        if isinstance(node, ast.Constant):
            return node.value
        if isinstance(node, ast.Compare):
            left = self._eval(node.left, df)
            result = None
            for op, right_node in zip(node.ops, node.comparators, strict=True):
                right = self._eval(right_node, df)
                part = _COMPARE[type(op)](left, right)
                result = part if result is None else result & part
                left = right
            return result
        if isinstance(node, ast.BinOp):
            left, right = self._eval(node.left, df), self._eval(node.right, df)
            if isinstance(node.op, _ARITHMETIC) and not (_numeric(left) and _numeric(right)):
                raise self._refuse(node, "arithmetic on a value that is not a number")
            return _BINARY[type(node.op)](left, right)
        if isinstance(node, ast.UnaryOp):
            value = self._eval(node.operand, df)
            if isinstance(node.op, ast.USub):
                return -value
            value = _as_bool(value)
            return ~value if isinstance(value, pd.Series) else not value
        if isinstance(node, ast.BoolOp):
            values = [_as_bool(self._eval(v, df)) for v in node.values]
            combine = operator.and_ if isinstance(node.op, ast.And) else operator.or_
            result = values[0]
            for v in values[1:]:
                result = combine(result, v)
            return result
        if isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Attribute):
                value = self._eval(func.value, df)
                return value.isna() if func.attr == "isna" else value.notna()
            assert isinstance(func, ast.Name)
            return _FUNCTIONS[func.id](self._eval(node.args[0], df))
        if isinstance(node, ast.Attribute):
            assert isinstance(node.value, ast.Attribute) and isinstance(node.value.value, ast.Name)
            return getattr(df[node.value.value.id].dt, node.attr)
        raise self._refuse(node, type(node).__name__)  # unreachable: _check refused it


def _numeric(value: Any) -> bool:
    """A number, or a column of numbers or dates: what arithmetic may take without growing."""
    if isinstance(value, pd.Series):
        from pandas.api import types

        dtype = value.dtype
        return bool(
            (types.is_numeric_dtype(dtype) and not types.is_bool_dtype(dtype))
            or types.is_datetime64_any_dtype(dtype)
            or types.is_timedelta64_dtype(dtype)
        )
    return isinstance(value, int | float) and not isinstance(value, bool)


def _as_bool(value: Any) -> Any:
    if isinstance(value, pd.Series):
        return value.astype("boolean")
    return bool(value)
