"""The operation registry and the small checks every operation shares."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from kinga.configpacks.problems import RULES

from ..errors import OpError
from ..locks import Locks
from ..workspace import Workspace

ID_RE = re.compile(r"[a-z][a-z0-9_]{0,62}")
CODE_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,62}")
START = "@start"  # `after: "@start"` puts an element first

OPS: dict[str, Callable[[Context, dict], dict]] = {}


@dataclass
class Context:
    ws: Workspace
    locks: Locks
    namespace: str = ""


def op(name: str):
    def decorator(fn):
        OPS[name] = fn
        return fn

    return decorator


def done(summary: str, **extra: Any) -> dict:
    return {"summary": summary, **extra}


# -- payload checks ----------------------------------------------------------------------------------
def get_str(p: dict, name: str, *, required: bool = True) -> str | None:
    value = p.get(name)
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value.strip():
        raise OpError(f"'{name}' is required and must be a non-empty string.")
    return value.strip()


def get_dict(p: dict, name: str) -> dict:
    value = p.get(name)
    if not isinstance(value, dict):
        raise OpError(f"'{name}' is required and must be an object.")
    return value


def check_id(value: Any, what: str) -> str:
    if not isinstance(value, str) or not ID_RE.fullmatch(value):
        raise OpError(
            f"{what} {value!r} is not valid: use lowercase letters, digits and _ and start with a letter "
            "(63 characters at most)."
        )
    return value


def check_code(value: Any) -> str:
    if not isinstance(value, str) or not CODE_RE.fullmatch(value):
        raise OpError(f"Option code {value!r} is not valid: use letters, digits, _ . - (no spaces).")
    return value


def check_text(value: Any, what: str) -> None:
    ok = isinstance(value, str) or (
        isinstance(value, dict) and all(isinstance(k, str) and isinstance(v, str) for k, v in value.items())
    )
    if not ok:
        raise OpError(f"{what} must be a text or a {{language: text}} object.")


def check_namespace(ctx: Context, name: str, what: str) -> None:
    ns = ctx.namespace
    if ns and not name.startswith(f"{ns}_"):
        raise OpError(
            RULES["not_in_namespace"].format(what=what, name=name, namespace=ns), code="not_in_namespace"
        )


def place(items: list, item: Any, after: Any, ident: str, where: str) -> None:
    """Insert `item` after the element whose `ident` is `after` (None: at the end; "@start": first)."""
    if after is None:
        items.append(item)
        return
    if after == START:
        items.insert(0, item)
        return
    for pos, other in enumerate(items):
        if isinstance(other, dict) and other.get(ident) == after:
            items.insert(pos + 1, item)
            return
    raise OpError(f"'after: {after}' names '{after}', which is not in {where}.", code="unknown_position")


def set_attrs(target: dict, changes: dict) -> None:
    """Apply {attr: value}; a null value removes the attribute (back to its default)."""
    for attr, value in changes.items():
        if value is None:
            target.pop(attr, None)
        else:
            target[attr] = value
