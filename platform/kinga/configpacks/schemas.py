"""JSON Schema checks per file kind, with errors turned into sentences and mapped to YAML lines."""

from __future__ import annotations

import difflib
import json
from functools import cache
from pathlib import Path

from jsonschema import Draft202012Validator

from .loader import PackFile
from .problems import Report

SCHEMA_DIR = Path(__file__).resolve().parent / "schema"
SCHEMA_FILES = {
    "pack": "pack.json",
    "record_types": "record_types.json",
    "form": "form.json",
    "lookups": "lookups.json",
    "location_levels": "location_levels.json",
    "roles": "roles.json",
    "workflows": "workflows.json",
    "kpis": "kpis.json",
    "duplicates": "duplicates.json",
    "migrations": "migrations.json",
}
MAX_ERRORS_PER_FILE = 30
# Nouns for list names, to describe "where" in words rather than JSON paths.
NOUNS = {
    "fields": "field",
    "sections": "section",
    "options": "option",
    "statuses": "status",
    "transitions": "transition",
    "deadlines": "deadline",
    "warnings": "warning",
}
TOP_NOUNS = {
    "record_types": "record type",
    "lookups": "lookup",
    "location_levels": "level",
    "roles": "role",
    "kpis": "KPI",
    "migrations": "migration",
    "workflows": "workflow",
    "duplicates": "duplicate rule",
    "form": "form",
    "pack": "pack.yaml",
}
TYPE_WORDS = {
    "string": "text",
    "object": "a mapping (key: value)",
    "array": "a list",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "null": "empty (null)",
}


@cache
def load_schema(kind: str) -> dict:
    schema = json.loads((SCHEMA_DIR / SCHEMA_FILES[kind]).read_text())
    common = json.loads((SCHEMA_DIR / "_common.json").read_text())["$defs"]
    schema["$defs"] = {**common, **schema.get("$defs", {})}
    return schema


@cache
def _validator(kind: str) -> Draft202012Validator:
    return Draft202012Validator(load_schema(kind))


def _actual(value) -> str:
    if isinstance(value, bool):
        return f"{str(value).lower()} (true/false)"
    if value is None:
        return "empty"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, str):
        return f"the text '{value[:40]}'"
    return "a list" if isinstance(value, list) else "a mapping"


def describe(kind: str, data, path) -> str:
    """Name the element at `path` the way an author thinks of it: "field 'age' in section 'identity'"."""
    parts: list[str] = []
    node = data
    container = kind
    rest: list[str] = []
    for step in path:
        try:
            node = node[step]
        except (KeyError, IndexError, TypeError):
            break
        if isinstance(step, int):
            noun = NOUNS.get(container) or TOP_NOUNS.get(container) or f"'{container}' entry"
            ident = None
            if isinstance(node, dict):
                ident = node.get("key") or node.get("id") or node.get("code") or node.get("level")
            parts.append(f"{noun} '{ident}'" if ident not in (None, "") else f"{noun} #{step + 1}")
            rest = []
        elif kind in ("workflows", "duplicates") and container == kind:
            parts.append(f"{TOP_NOUNS[kind]} '{step}'")
            container = "_"
        else:
            container = step
            rest.append(str(step))
    if not parts:
        ident = data.get("id") if isinstance(data, dict) and kind == "form" else None
        parts.append(f"form '{ident}'" if ident else load_schema(kind)["title"])
    where = " in ".join(reversed(parts))
    if rest:
        where = f"'{'.'.join(rest)}' of {where}"
    return where[0].upper() + where[1:]


def check_file(pf: PackFile, report: Report, pack: str) -> bool:
    """Add schema problems for one file; True when it conforms."""
    validator = _validator(pf.kind)
    ok = True
    errors = sorted(validator.iter_errors(pf.data), key=lambda e: [str(p) for p in e.absolute_path])
    for count, err in enumerate(errors):
        ok = False
        if count >= MAX_ERRORS_PER_FILE:
            break
        path = tuple(err.absolute_path)
        line = pf.line(path)
        common = {"pack": pack, "file": pf.name, "line": line, "path": ".".join(map(str, path))}
        v = err.validator
        if v == "required":
            prop = err.message.split("'")[1] if "'" in err.message else err.message
            report.add("schema_required", where=describe(pf.kind, pf.data, path), prop=prop, **common)
        elif v == "additionalProperties":
            allowed = list((err.schema.get("properties") or {}).keys())
            extra = [k for k in (err.instance or {}) if k not in allowed]
            for prop in extra:
                near = difflib.get_close_matches(prop, allowed, n=1)
                hint = f" Did you mean '{near[0]}'?" if near else f" Allowed: {', '.join(allowed)}."
                common["line"] = pf.line((*path, prop))
                report.add(
                    "schema_unknown_key",
                    where=describe(pf.kind, pf.data, path),
                    prop=prop,
                    hint=hint,
                    **common,
                )
        elif v == "type":
            types = err.validator_value if isinstance(err.validator_value, list) else [err.validator_value]
            expected = " or ".join(TYPE_WORDS.get(t, t) for t in types)
            actual = _actual(err.instance)
            if "string" in types and isinstance(err.instance, bool | int | float):
                actual += "; put the value in quotes"
            report.add(
                "schema_type",
                where=describe(pf.kind, pf.data, path),
                expected=expected,
                actual=actual,
                **common,
            )
        elif v == "enum":
            report.add(
                "schema_enum",
                where=describe(pf.kind, pf.data, path),
                value=err.instance,
                allowed=", ".join(map(str, err.validator_value)),
                **common,
            )
        elif v == "pattern":
            hint = err.schema.get("x-hint") or f"it must match {err.validator_value}"
            report.add(
                "schema_pattern",
                where=describe(pf.kind, pf.data, path),
                value=err.instance,
                hint=hint,
                **common,
            )
        elif v == "propertyNames":
            report.add(
                "schema_pattern",
                where=describe(pf.kind, pf.data, path),
                value=err.instance if not isinstance(err.instance, dict) else ", ".join(err.instance),
                hint="language codes look like en, fr, ar, pt-BR",
                **common,
            )
        else:
            report.add("schema_invalid", where=describe(pf.kind, pf.data, path), detail=err.message, **common)
    return ok
