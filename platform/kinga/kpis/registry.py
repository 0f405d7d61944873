"""KPI kinds (code) × KPI definitions (pack data).

A kind is one class, one file in `kinds/`, registered with `@kpi_kinds.register()`. It declares the
JSON Schema of its `params`, which params are expressions / field keys, and how one record becomes
counted units (see `KpiKind`). The pack validator calls `validate_definition` at load time; the
loader calls `compile_definition` so expressions are parsed once, on apply.

    from kinga.kpis.registry import kpi_kinds
    kpi_kinds.get("count_records").params_schema
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Iterator
from typing import Any, ClassVar

from kinga.core.registry import Registry

from .aggregates import Aggregate

kpi_kinds: Registry[type[KpiKind]] = Registry("KPI kind")

# An expression param: source text in a pack, {"src", "ast"} in the effective configuration.
EXPR = {
    "anyOf": [
        {"type": "null"},
        {"type": "string", "minLength": 1},
        {"type": "object", "required": ["src", "ast"], "properties": {"src": {"type": "string"}}},
    ]
}
FIELD_KEY = {"type": "string", "pattern": "^[a-z][a-z0-9_]*$"}
DATE_SOURCE = {"type": "string", "pattern": "^([a-z][a-z0-9_]*|@created)$"}

# Params every kind accepts (merged into each kind's schema).
COMMON_PARAMS: dict[str, Any] = {
    # Breakdown cells counting fewer units than this show "<min_cell" instead of a value.
    "min_cell": {"type": "integer", "minimum": 0},
    # The date the from/to range applies to: "@created" (default) or a date field of the record.
    "period_field": DATE_SOURCE,
    # Only records in these statuses; `open_only` drops statuses marked closed in the workflow.
    "statuses": {"type": "array", "items": {"type": "string"}, "uniqueItems": True},
    "open_only": {"type": "boolean"},
}

_BREAKDOWN_ITEM = {
    "oneOf": [
        {"type": "string", "pattern": "^([a-z][a-z0-9_]*|@status|@location|@agency|@owner)$"},
        {
            "type": "object",
            "additionalProperties": False,
            "required": ["@location"],
            "properties": {
                "@location": {
                    "type": "object",
                    "additionalProperties": False,
                    "properties": {"location_level": {"type": "integer", "minimum": 0}},
                },
                "id": FIELD_KEY,
            },
        },
        {
            "type": "object",
            "additionalProperties": False,
            "required": ["age_group"],
            "properties": {
                "age_group": {
                    "type": "object",
                    "additionalProperties": False,
                    "required": ["field", "buckets"],
                    "properties": {
                        "field": FIELD_KEY,
                        "buckets": {
                            "type": "array",
                            "items": {"type": "number", "minimum": 0},
                            "minItems": 1,
                        },
                    },
                },
                "id": FIELD_KEY,
            },
        },
        {
            "type": "object",
            "additionalProperties": False,
            "required": ["month"],
            "properties": {"month": DATE_SOURCE, "id": FIELD_KEY},
        },
    ]
}

DEFINITION_SCHEMA = {
    "type": "object",
    "required": ["id", "label", "kind", "record_type"],
    "properties": {
        "id": {"type": "string", "pattern": "^[a-z][a-z0-9_.]*$"},
        "label": {
            "anyOf": [{"type": "string"}, {"type": "object", "additionalProperties": {"type": "string"}}]
        },
        "description": {"anyOf": [{"type": "string"}, {"type": "object"}, {"type": "null"}]},
        "kind": {"type": "string"},
        "record_type": {"type": "string"},
        "fields": {"type": "array", "items": FIELD_KEY},
        "params": {"type": "object"},
        "breakdowns": {"type": "array", "items": _BREAKDOWN_ITEM},
        "origin": {"type": "string"},
    },
}


class KpiKind:
    """Protocol of a KPI kind. Subclasses set the class attributes and implement `units`."""

    name: ClassVar[str]
    description: ClassVar[str] = ""
    params_schema: ClassVar[dict] = {"type": "object"}
    # Params holding expressions (compiled on apply) and field keys (checked to exist).
    expression_params: ClassVar[tuple[str, ...]] = ()
    field_params: ClassVar[tuple[str, ...]] = ()
    # Subform-row kinds count rows; their breakdown fields may be row fields.
    subform_param: ClassVar[str | None] = None
    aggregate: ClassVar[type[Aggregate]]

    def __init__(self, definition: dict, config_data: dict, *, now=None):
        from kinga.workflow.conditions import subform_parents

        self.definition = definition
        self.params: dict = definition.get("params") or {}
        self.record_type: str = definition["record_type"]
        self.config = config_data
        self.parents = subform_parents(config_data, self.record_type)
        self.now = now

    def new_aggregate(self) -> Aggregate:
        return self.aggregate()

    def units(self, record) -> Iterator[tuple[Any, dict | None]]:
        """(unit, subform row or None) for each thing this record contributes; nothing when filtered out."""
        raise NotImplementedError

    @classmethod
    def check(cls, definition: dict, config_data: dict) -> list[str]:
        """Kind-specific consistency checks against the configuration (beyond the JSON Schema)."""
        return []

    # helpers for subclasses
    def holds(self, expr_param: str, record, row: dict | None = None) -> bool:
        from kinga.workflow.conditions import holds

        return holds(
            self.params.get(expr_param), record.data or {}, row=row, parents=self.parents, now=self.now
        )

    def rows(self, record) -> list[dict]:
        rows = (record.data or {}).get(self.params[self.subform_param]) or []
        return [r for r in rows if isinstance(r, dict)] if isinstance(rows, list) else []


def full_params_schema(kind: type[KpiKind]) -> dict:
    schema = copy.deepcopy(kind.params_schema)
    schema.setdefault("properties", {}).update(copy.deepcopy(COMMON_PARAMS))
    return schema


def compile_definition(definition: dict) -> dict:
    """A copy of `definition` with its expression params compiled to {"src", "ast"} (done on apply)."""
    from kinga.configpacks.runtime import compile_expr

    out = copy.deepcopy(definition)
    kind = kpi_kinds.get(out["kind"])
    params = out.setdefault("params", {})
    for name in kind.expression_params:
        if isinstance(params.get(name), str):
            params[name] = compile_expr(params[name])
    return out


# -- validation -----------------------------------------------------------------------------------


def record_type_fields(config_data: dict, record_type: str) -> dict[str, tuple[dict, str | None]]:
    """{field key: (field, subform key or None)} for every field of a record type, rows included."""
    out: dict[str, tuple[dict, str | None]] = {}

    def walk(fields: Iterable[dict], parent: str | None) -> None:
        for field in fields:
            out[field["key"]] = (field, parent)
            walk(field.get("fields") or [], field["key"])

    forms = config_data.get("forms") or {}
    for form_id in (config_data.get("record_types") or {}).get(record_type, {}).get("forms", []):
        for section in (forms.get(form_id) or {}).get("sections", []):
            walk(section.get("fields") or [], None)
    return out


def _schema_errors(schema: dict, value: Any, where: str) -> list[str]:
    from jsonschema import Draft202012Validator

    return [
        f"{where}{'.' + '.'.join(map(str, e.absolute_path)) if e.absolute_path else ''}: {e.message}"
        for e in sorted(Draft202012Validator(schema).iter_errors(value), key=lambda e: list(e.absolute_path))
    ]


def validate_definition(definition: dict, config_data: dict | None = None) -> list[str]:
    """Problems with one KPI definition, as sentences naming the KPI (empty when valid).

    Without `config_data` only the shape is checked; with it, the record type, every field read
    (which must also be listed in `fields`), breakdown field types and kind-specific references."""
    from kinga.workflow.conditions import references

    from .breakdowns import breakdown_fields, check_breakdown

    kpi = definition.get("id", "?") if isinstance(definition, dict) else "?"
    problems = _schema_errors(DEFINITION_SCHEMA, definition, f"KPI '{kpi}'")
    if problems:
        return problems
    if definition["kind"] not in kpi_kinds:
        return [f"KPI '{kpi}': unknown kind '{definition['kind']}' (known: {', '.join(kpi_kinds.names())})."]
    kind = kpi_kinds.get(definition["kind"])
    params = definition.get("params") or {}
    problems += _schema_errors(full_params_schema(kind), params, f"KPI '{kpi}' params")
    if problems or config_data is None:
        return problems

    record_type = definition["record_type"]
    if record_type not in (config_data.get("record_types") or {}):
        return [f"KPI '{kpi}': unknown record type '{record_type}'."]
    known = record_type_fields(config_data, record_type)
    read: set[str] = set()
    for name in kind.field_params:
        if params.get(name) and params[name] != "@created":
            read.add(params[name])
    if params.get("period_field") not in (None, "@created"):
        read.add(params["period_field"])
    for name in kind.expression_params:
        try:
            read |= references(params.get(name))
        except Exception as exc:  # a syntax error in source text
            problems.append(f"KPI '{kpi}' params.{name}: {exc}")
    for spec in definition.get("breakdowns") or []:
        read |= breakdown_fields(spec)
        problems += [
            f"KPI '{kpi}' breakdown: {p}" for p in check_breakdown(spec, config_data, record_type, kind)
        ]
    listed = set(definition.get("fields") or [])
    for key in sorted(read):
        if key not in known:
            problems.append(f"KPI '{kpi}': field '{key}' does not exist in {record_type} records.")
        elif key not in listed:
            problems.append(f"KPI '{kpi}': reads field '{key}' but does not list it in `fields`.")
    for key in sorted(listed - set(known)):
        problems.append(f"KPI '{kpi}': listed field '{key}' does not exist in {record_type} records.")
    problems += [f"KPI '{kpi}': {p}" for p in kind.check(definition, config_data)]
    return problems


def validate_definitions(kpis: dict | list, config_data: dict | None = None) -> list[str]:
    items = kpis.values() if isinstance(kpis, dict) else kpis
    return [p for d in items for p in validate_definition(d, config_data)]
