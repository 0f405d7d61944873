"""Expression checking and the point-and-click condition helper. The server parses; the browser
never does (STYLE.md: one parser, one AST)."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from kinga.configpacks.problems import RULES
from kinga.formengine.expressions import ExpressionSyntaxError, functions_used, parse, references

from .errors import OpError

COMPARE = ("=", "!=", "<", "<=", ">", ">=")
OPS = (*COMPARE, "selected", "not_selected", "empty", "not_empty")
NUMERIC = {"integer", "decimal", "number"}  # field types or value kinds
MAX_CLAUSES = 50


def check_expression(expr: Any, keys: dict[str, dict] | None, record_type: str | None, extra=()) -> dict:
    """{ok, ast, error: {message, column, expected, code}, references, functions, unknown_fields}.
    `keys` None means "do not check references"; `extra` are names also valid (option attributes)."""
    if not isinstance(expr, str):
        raise OpError("'expr' must be the expression text.")
    try:
        ast = parse(expr)
    except ExpressionSyntaxError as exc:
        return {
            "ok": False,
            "ast": None,
            "error": {
                "message": exc.message,
                "column": exc.column,
                "expected": exc.expected,
                "code": exc.code,
            },
            "references": [],
            "functions": [],
            "unknown_fields": [],
        }
    refs = sorted(references(ast))
    unknown = [r for r in refs if keys is not None and r not in keys and r not in extra]
    error = None
    if unknown:
        name = unknown[0]
        error = {
            "message": RULES["unknown_reference"].format(
                what="The expression", name=name, record_type=record_type or "?"
            ),
            "column": expr.find("${" + name + "}") + 1 or None,
            "expected": "a field key",
            "code": "unknown_reference",
        }
    return {
        "ok": not unknown,
        "ast": ast,
        "error": error,
        "references": refs,
        "functions": sorted(functions_used(ast)),
        "unknown_fields": unknown,
    }


# -- building -------------------------------------------------------------------------------------
def quote(text: str) -> str:
    """A string literal: no backslash escapes in the language; a quote is doubled."""
    if "'" in text and '"' not in text:
        return f'"{text}"'
    return "'" + text.replace("'", "''") + "'"


def _literal(value: Any, ftype: str | None) -> str:
    if isinstance(value, bool):
        return "true()" if value else "false()"
    if ftype in NUMERIC or (ftype is None and isinstance(value, int | float)):
        if isinstance(value, int | float):
            return repr(value) if isinstance(value, float) else str(value)
        if isinstance(value, str) and re.fullmatch(r"-?(\d+(\.\d*)?|\.\d+)", value.strip()):
            return value.strip()
        raise OpError(f"{value!r} is not a number.")
    if ftype == "date":
        try:
            return f"date({quote(date.fromisoformat(str(value)).isoformat())})"
        except ValueError:
            raise OpError(f"{value!r} is not a date like 2024-05-31.") from None
    if not isinstance(value, str | int | float):
        raise OpError("A clause 'value' must be text, a number or true/false.")
    return quote(str(value))


def build_condition(clauses: Any, join: Any, keys: dict[str, dict] | None) -> str:
    if join not in ("and", "or"):
        raise OpError("'join' must be 'and' or 'or'.")
    if not isinstance(clauses, list) or not clauses or len(clauses) > MAX_CLAUSES:
        raise OpError(f"'clauses' must be a list of 1 to {MAX_CLAUSES} {{field, op, value}} objects.")
    parts = []
    for i, c in enumerate(clauses):
        if not isinstance(c, dict):
            raise OpError(f"Clause {i + 1} must be an object {{field, op, value}}.")
        key, op = c.get("field"), c.get("op", "=")
        if not isinstance(key, str) or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_.-]*", key):
            raise OpError(f"Clause {i + 1}: 'field' must be a field key.")
        if op not in OPS:
            raise OpError(f"Clause {i + 1}: 'op' must be one of {', '.join(OPS)}.")
        if keys is not None and key not in keys:
            raise OpError(f"Clause {i + 1}: there is no field '{key}'.", code="unknown_field")
        entry = (keys or {}).get(key, {})
        ftype = c.get("type") or (
            entry.get("kind")
            if entry.get("kind") in ("number", "integer", "date", "list")
            else entry.get("type")
        )
        ftype = {"list": "select_multiple"}.get(ftype, ftype)
        ref = "${" + key + "}"
        if op == "empty":
            parts.append(f"{ref} = ''")
        elif op == "not_empty":
            parts.append(f"{ref} != ''")
        elif op in ("selected", "not_selected") or (ftype == "select_multiple" and op in ("=", "!=")):
            call = f"selected({ref}, {quote(str(c.get('value', '')))})"
            parts.append(call if op in ("selected", "=") else f"not({call})")
        else:
            parts.append(f"{ref} {op} {_literal(c.get('value'), ftype)}")
    return f" {join} ".join(parts)


# -- parsing back ---------------------------------------------------------------------------------
def _value(node: dict) -> tuple[bool, Any]:
    if node["op"] == "lit":
        return True, node["value"]
    if node["op"] == "call" and node["fn"] in ("true", "false") and not node["args"]:
        return True, node["fn"] == "true"
    if (
        node["op"] == "call"
        and node["fn"] == "date"
        and len(node["args"]) == 1
        and node["args"][0]["op"] == "lit"
    ):
        return True, node["args"][0]["value"]
    return False, None


def _clause(node: dict) -> dict | None:
    if node["op"] == "bin" and node["fn"] in COMPARE and node["left"]["op"] == "ref":
        ok, value = _value(node["right"])
        if not ok:
            return None
        key = node["left"]["key"]
        if value == "" and node["fn"] in ("=", "!="):
            return {"field": key, "op": "empty" if node["fn"] == "=" else "not_empty", "value": None}
        return {"field": key, "op": node["fn"], "value": value}
    if node["op"] == "call" and node["fn"] == "selected" and len(node["args"]) == 2:
        ref, lit = node["args"]
        if ref["op"] == "ref" and lit["op"] == "lit":
            return {"field": ref["key"], "op": "selected", "value": lit["value"]}
    if node["op"] == "call" and node["fn"] == "not" and len(node["args"]) == 1:
        inner = _clause(node["args"][0])
        if inner and inner["op"] == "selected":
            return {**inner, "op": "not_selected"}
    return None


def parse_condition(expr: Any) -> dict:
    """{simple: true, join, clauses} when `expr` is clauses joined by one and/or; else {simple: false}."""
    if not isinstance(expr, str):
        raise OpError("'expr' must be the expression text.")
    try:
        ast = parse(expr)
    except ExpressionSyntaxError as exc:
        return {
            "simple": False,
            "error": {"message": exc.message, "column": exc.column, "expected": exc.expected},
        }
    join, nodes = ("and", [ast])
    if ast["op"] in ("and", "or"):
        join, nodes = ast["op"], ast["args"]
    clauses = [_clause(n) for n in nodes]
    if any(c is None for c in clauses):
        return {"simple": False}
    return {"simple": True, "join": join, "clauses": clauses}
