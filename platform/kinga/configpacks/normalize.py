"""Turn pack-file elements into their effective-configuration shape with every key present.

Expressions stay source text here; merge.compile_all() compiles them once everything is merged.
"""

from __future__ import annotations

import copy
from typing import Any

RTL = {"ar", "fa", "he", "ps", "ur", "ckb", "dv", "sd", "ug", "yi"}

TEXT_ATTRS_FIELD = ("label", "hint", "guidance", "constraint_message")
EXPR_ATTRS_FIELD = ("relevant", "constraint", "calculation", "default", "choice_filter")
# Attributes an overlay may change on a locked field.
LOCKED_PATCHABLE = {"label", "hint", "guidance", "constraint_message", "hidden", "after", "key"}
# Keys that steer the merge and never reach the effective configuration.
DIRECTIVES = ("after", "remove")


def text(value: Any, lang: str) -> dict:
    if value is None:
        return {}
    if isinstance(value, str):
        return {lang: value} if value else {}
    return {str(k): v for k, v in value.items()}


def merge_text(old: dict, new: Any, lang: str) -> dict:
    return {**(old or {}), **text(new, lang)}


def option(raw: dict, lang: str, origin: str) -> dict:
    return {
        "code": raw["code"],
        "label": text(raw.get("label"), lang),
        "retired": bool(raw.get("retired", False)),
        "attrs": copy.deepcopy(raw.get("attrs") or {}),
        "origin": raw.get("origin") or origin,
    }


def field(raw: dict, lang: str, origin: str, src) -> dict:
    out = {
        "key": raw["key"],
        "type": raw.get("type"),
        **{a: text(raw.get(a), lang) for a in ("label", "hint", "guidance")},
        "required": raw.get("required") if raw.get("required") is not None else False,
        **{a: raw.get(a) for a in ("relevant", "constraint")},
        "constraint_message": text(raw.get("constraint_message"), lang),
        **{a: raw.get(a) for a in ("calculation", "default", "choice_filter", "lookup")},
        "options": None,
        "params": copy.deepcopy(raw.get("params") or {}),
        "locked": bool(raw.get("locked", False)),
        "hidden": bool(raw.get("hidden", False)),
        "read_only": bool(raw.get("read_only", False)),
        "keep_when_irrelevant": bool(raw.get("keep_when_irrelevant", False)),
        "indexed": bool(raw.get("indexed", False)),
        "copy_from": copy.deepcopy(raw.get("copy_from")),
        "origin": raw.get("origin") or origin,
        "warnings": [
            {"id": w["id"], "expr": w["expr"], "message": text(w.get("message"), lang)}
            for w in raw.get("warnings") or []
        ],
        "fields": [],
        "_src": src,
    }
    if raw.get("options") is not None:
        out["options"] = [option(o, lang, out["origin"]) for o in raw["options"] if not o.get("remove")]
    return out


def section(raw: dict, lang: str, src) -> dict:
    return {
        "id": raw["id"],
        "label": text(raw.get("label"), lang),
        "relevant": raw.get("relevant"),
        "hidden": bool(raw.get("hidden", False)),
        "fields": [],
        "_src": src,
    }


def form(raw: dict, lang: str, origin: str, src) -> dict:
    return {
        "id": raw["id"],
        "record_type": raw.get("record_type"),
        "label": text(raw.get("label"), lang),
        "order": raw.get("order", 0),
        "origin": raw.get("origin") or origin,
        "sections": [],
        "_src": src,
    }


def record_type(raw: dict, lang: str, src) -> dict:
    return {
        "id": raw["id"],
        "module": raw.get("module"),
        "label": text(raw.get("label"), lang),
        "id_prefix": raw.get("id_prefix") or raw["id"][:2].upper(),
        "person": bool(raw.get("person", False)),
        "title": raw.get("title"),
        "forms": [],
        "_src": src,
    }


def lookup(raw: dict, lang: str, origin: str, src) -> dict:
    return {
        "id": raw["id"],
        "label": text(raw.get("label"), lang),
        "locked": bool(raw.get("locked", False)),
        "origin": raw.get("origin") or origin,
        "options": [],
        "_src": src,
    }


def role(raw: dict, lang: str, src) -> dict:
    return {
        "id": raw["id"],
        "label": text(raw.get("label"), lang),
        "description": raw.get("description") or "",
        "module": raw.get("module"),
        "scope": raw.get("scope") or "own",
        "permissions": {k: list(v) for k, v in (raw.get("permissions") or {}).items()},
        "forms": dict(raw.get("forms") or {}),
        "fields": dict(raw.get("fields") or {}),
        "require_2fa": bool(raw.get("require_2fa", False)),
        "break_glass": bool(raw.get("break_glass", False)),
        "_src": src,
    }


def status(raw: dict, lang: str, src) -> dict:
    return {
        "id": raw["id"],
        "label": text(raw.get("label"), lang),
        "initial": bool(raw.get("initial", False)),
        "closed": bool(raw.get("closed", False)),
        "_src": src,
    }


def transition(raw: dict, lang: str, src) -> dict:
    frm = raw.get("from") or []
    return {
        "id": raw["id"],
        "label": text(raw.get("label"), lang),
        "from": [frm] if isinstance(frm, str) else list(frm),
        "to": raw.get("to"),
        "requires_approval": bool(raw.get("requires_approval", False)),
        "requires_reason": bool(raw.get("requires_reason", False)),
        "permission": raw.get("permission"),
        "_src": src,
    }


def deadline(raw: dict, lang: str, src) -> dict:
    return {
        "id": raw["id"],
        "label": text(raw.get("label"), lang),
        "start": raw.get("start"),
        "end": raw.get("end"),
        "within_hours": raw.get("within_hours"),
        "within_days": raw.get("within_days"),
        "applies_when": raw.get("applies_when"),
        "_src": src,
    }


def kpi(raw: dict, lang: str, src) -> dict:
    return {
        "id": raw["id"],
        "label": text(raw.get("label"), lang),
        "description": text(raw.get("description"), lang),
        "kind": raw.get("kind"),
        "record_type": raw.get("record_type"),
        "breakdowns": list(raw.get("breakdowns") or []),
        "fields": list(raw.get("fields") or []),
        "params": copy.deepcopy(raw.get("params") or {}),
        "_src": src,
    }


def duplicate_rule(raw: dict, src) -> dict:
    return {
        "threshold": raw.get("threshold", 0.8),
        "fields": [
            {"key": f["key"], "method": f.get("method") or "exact", "weight": f.get("weight", 1)}
            for f in raw.get("fields") or []
        ],
        "_src": src,
    }


def strip_private(node: Any) -> Any:
    """Drop merge bookkeeping (`_src`) so the stored configuration is pure data."""
    if isinstance(node, dict):
        return {k: strip_private(v) for k, v in node.items() if k != "_src"}
    if isinstance(node, list):
        return [strip_private(v) for v in node]
    return node
