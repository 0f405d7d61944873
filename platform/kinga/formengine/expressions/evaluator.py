"""Evaluation of a parsed AST against one record (see docs/expressions.md for every rule)."""

from __future__ import annotations

import functools
import math
import operator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from .dates import as_instant, parse_temporal
from .errors import ExpressionError
from .functions import FUNCTIONS
from .values import NodeSet, is_bool, is_empty, normalize, to_bool, to_number, to_str, wrap


@dataclass(kw_only=True)
class EvalContext:
    data: dict = field(default_factory=dict)
    row: dict | None = None
    parents: dict[str, str] = field(default_factory=dict)
    current: Any = None
    now: datetime = field(default_factory=lambda: datetime.now(UTC))
    tz: str = "UTC"
    user: dict = field(default_factory=dict)
    linked: dict[str, dict] = field(default_factory=dict)


def evaluate(ast: dict, ctx: EvalContext | None = None):
    """Evaluate a parsed expression. Raises ExpressionError only for a malformed AST or context."""
    if ctx is None:
        ctx = EvalContext()
    try:
        return _eval(ast, ctx)
    except RecursionError as exc:
        raise ExpressionError("The expression is nested too deeply", "too_deep") from exc


def _eval(node, ctx: EvalContext):
    if not isinstance(node, dict):
        raise ExpressionError(f"Malformed expression: expected a node, got {type(node).__name__}", "bad_ast")
    handler = _HANDLERS.get(node.get("op"))
    if handler is None:
        raise ExpressionError(f"Malformed expression: unknown node {node.get('op')!r}", "bad_ast")
    try:
        return handler(node, ctx)
    except KeyError as exc:
        raise ExpressionError(f"Malformed expression: node is missing {exc}", "bad_ast") from exc


# -- references ----------------------------------------------------------------------------------


def resolve(ctx: EvalContext, key: str):
    """${key}: the current row first, then the record, then the column of a subform field."""
    row = ctx.row
    if row is not None:
        if key in row:
            return wrap(row[key])
        subform = ctx.parents.get(key)
        if subform is not None and subform == _row_subform(ctx):
            return None  # a blank field of the current row, not the whole column
    if key in ctx.data:
        return wrap(ctx.data[key])
    if key in ctx.parents:
        return NodeSet(_column(ctx, key, 0))
    return None


def _row_subform(ctx: EvalContext) -> str | None:
    for k in ctx.row or ():
        if k in ctx.parents:
            return ctx.parents[k]
    return None


def _column(ctx: EvalContext, key: str, depth: int) -> list:
    if depth > 20:  # a cycle in ctx.parents
        return []
    values = []
    for row in _rows(ctx, ctx.parents[key], depth + 1):
        v = row.get(key)
        if isinstance(v, list) and v and all(isinstance(x, dict) for x in v):
            values.extend(v)  # the rows of a nested subform
        else:
            values.append(v)
    return values


def _rows(ctx: EvalContext, subform: str, depth: int) -> list[dict]:
    if subform in ctx.data:
        rows = ctx.data[subform]
    elif subform in ctx.parents:
        rows = _column(ctx, subform, depth)
    else:
        rows = []
    return [r for r in rows if isinstance(r, dict)] if isinstance(rows, list) else []


# -- operators -----------------------------------------------------------------------------------


def arithmetic(fn: str, a, b):
    x, y = to_number(a), to_number(b)
    if x is None or y is None:
        return None
    if fn == "+":
        r = x + y
    elif fn == "-":
        r = x - y
    elif fn == "*":
        r = x * y
    elif y == 0:
        return None  # div and mod by zero
    elif fn == "div":
        r = x / y
    else:
        r = math.fmod(x, y)  # XPath mod: the result has the sign of the dividend
    return normalize(r)


_ORDER = {"<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge}


def _scalar_compare(fn: str, a, b) -> bool:
    if fn in ("=", "!=") and (is_bool(a) or is_bool(b)):
        return (to_bool(a) == to_bool(b)) == (fn == "=")
    ea, eb = is_empty(a), is_empty(b)
    if ea or eb:
        if fn == "=":
            return ea and eb
        if fn == "!=":
            return not (ea and eb)
        return False
    ta, tb = parse_temporal(a), parse_temporal(b)
    if ta is not None and tb is not None:
        x, y = as_instant(ta), as_instant(tb)
    else:
        x, y = to_number(a), to_number(b)
        if x is None or y is None:
            x, y = to_str(a), to_str(b)
    if fn == "=":
        return x == y
    if fn == "!=":
        return x != y
    return _ORDER[fn](x, y)


def _members(v) -> list:
    if isinstance(v, NodeSet):
        return list(v) if v else [None]
    return [v]


def compare(fn: str, a, b) -> bool:
    """XPath comparison: a boolean operand makes =/!= compare truthiness; a subform column matches
    if any of its values matches (so both = and != can be true)."""
    if fn in ("=", "!=") and (is_bool(a) or is_bool(b)):
        return (to_bool(a) == to_bool(b)) == (fn == "=")
    return any(_scalar_compare(fn, x, y) for x in _members(a) for y in _members(b))


# -- node handlers -------------------------------------------------------------------------------


def _lit(node, ctx):
    return node["value"]


def _ref(node, ctx):
    return resolve(ctx, node["key"])


def _cur(node, ctx):
    return wrap(ctx.current)


def _neg(node, ctx):
    x = to_number(_eval(node["arg"], ctx))
    return None if x is None else normalize(-x)


def _bin(node, ctx):
    fn = node["fn"]
    a = _eval(node["left"], ctx)
    b = _eval(node["right"], ctx)
    if fn in ("+", "-", "*", "div", "mod"):
        return arithmetic(fn, a, b)
    if fn in ("=", "!=", "<", "<=", ">", ">="):
        return compare(fn, a, b)
    raise ExpressionError(f"Malformed expression: unknown operator {fn!r}", "bad_ast")


# Explicit loops (not generators or comprehensions) keep each AST level to two Python frames.
def _and(node, ctx):
    for arg in node["args"]:
        if not to_bool(_eval(arg, ctx)):
            return False
    return True


def _or(node, ctx):
    for arg in node["args"]:
        if to_bool(_eval(arg, ctx)):
            return True
    return False


def _call(node, ctx):
    name = node["fn"]
    spec = FUNCTIONS.get(name)
    if spec is None:
        raise ExpressionError(f"Unknown function '{name}'", "unknown_function")
    args = node["args"]
    if len(args) < spec.min_args or (spec.max_args is not None and len(args) > spec.max_args):
        raise ExpressionError(f"Function '{name}' was given {len(args)} arguments", "arity")
    values = []
    for arg in args:
        values.append(_thunk(arg, ctx) if spec.lazy else _eval(arg, ctx))
    return spec.impl(ctx, *values)


def _thunk(node, ctx):
    return functools.partial(_eval, node, ctx)  # unlike a lambda, adds no Python frame


_HANDLERS = {
    "lit": _lit,
    "ref": _ref,
    "cur": _cur,
    "neg": _neg,
    "bin": _bin,
    "and": _and,
    "or": _or,
    "call": _call,
}
