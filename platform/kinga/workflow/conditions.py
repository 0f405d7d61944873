"""Evaluate pack expressions (compiled `{"src", "ast"}` objects) over stored record data.

Workflows and KPIs both filter records with pack expressions; this is their one adapter to the
expression language, so a change in its API touches one file.
"""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from typing import Any

from django.utils import timezone


@lru_cache(maxsize=512)
def _parse(src: str) -> dict:
    from kinga.formengine.expressions import parse

    return parse(src)


def ast_of(expr: Any) -> dict | None:
    """The AST of a compiled expression; also accepts raw source text (tests, uncompiled packs)."""
    if expr is None:
        return None
    if isinstance(expr, dict):
        if "ast" in expr:
            return expr["ast"]
        if "op" in expr:  # a bare AST
            return expr
        if expr.get("src"):
            return _parse(expr["src"])
        return None
    if isinstance(expr, str):
        return _parse(expr) if expr.strip() else None
    raise TypeError(f"not an expression: {expr!r}")


def src_of(expr: Any) -> str:
    if isinstance(expr, dict):
        return expr.get("src") or ""
    return expr or ""


def subform_parents(config_data: dict, record_type: str) -> dict[str, str]:
    """{row field key: subform key} for a record type, as EvalContext.parents expects."""
    parents: dict[str, str] = {}
    forms = config_data.get("forms", {})
    for form_id in config_data.get("record_types", {}).get(record_type, {}).get("forms", []):
        for section in forms.get(form_id, {}).get("sections", []):
            for field in section.get("fields", []):
                _collect_parents(field, parents)
    return parents


def _collect_parents(field: dict, parents: dict[str, str]) -> None:
    for child in field.get("fields") or []:
        parents[child["key"]] = field["key"]
        _collect_parents(child, parents)


def evaluate_expr(
    expr: Any,
    data: dict,
    *,
    row: dict | None = None,
    parents: dict[str, str] | None = None,
    now: datetime | None = None,
):
    """The value of `expr` over one record (and optionally one subform row); None when no expression."""
    ast = ast_of(expr)
    if ast is None:
        return None
    from kinga.formengine.expressions import EvalContext, evaluate

    ctx = EvalContext(
        data=data or {},
        row=row,
        parents=parents or {},
        now=now or timezone.now(),
        tz=timezone.get_default_timezone_name(),
    )
    return evaluate(ast, ctx)


def holds(expr: Any, data: dict, **kwargs) -> bool:
    """True when there is no expression, else the expression's truth value (XPath rules)."""
    if ast_of(expr) is None:
        return True
    from kinga.formengine.expressions import to_bool

    return to_bool(evaluate_expr(expr, data, **kwargs))


def references(expr: Any) -> set[str]:
    ast = ast_of(expr)
    if ast is None:
        return set()
    from kinga.formengine.expressions import references as refs

    return refs(ast)
