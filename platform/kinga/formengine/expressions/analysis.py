"""Static questions about a parsed AST (iterative, so hand-made deep ASTs cannot overflow the stack)."""

from __future__ import annotations


def _walk(ast: dict):
    stack = [ast]
    while stack:
        node = stack.pop()
        if not isinstance(node, dict):
            continue
        yield node
        op = node.get("op")
        if op == "bin":
            stack.append(node.get("right"))
            stack.append(node.get("left"))
        elif op == "neg":
            stack.append(node.get("arg"))
        elif op in ("and", "or", "call"):
            stack.extend(reversed(node.get("args") or []))


def references(ast: dict) -> set[str]:
    """Every field key referenced as ${key}."""
    return {node["key"] for node in _walk(ast) if node.get("op") == "ref"}


def functions_used(ast: dict) -> set[str]:
    """Every function name called."""
    return {node["fn"] for node in _walk(ast) if node.get("op") == "call"}


def uses_current(ast: dict) -> bool:
    """Whether the expression refers to '.', the value being validated."""
    return any(node.get("op") == "cur" for node in _walk(ast))
