"""A value computed on the server from the field's `calculation` (clients' values are ignored).
`result` says what kind of value to store: the engine coerces the expression's result to it."""

from datetime import date, datetime

from ._common import format_datetime, parse_date, to_number
from .base import FieldType, FieldValueError, register


@register
class CalculatedFieldType(FieldType):
    name = "calculated"
    value_kind = "any"
    params_schema = {
        "type": "object",
        "additionalProperties": False,
        "properties": {"result": {"enum": ["string", "number", "integer", "boolean", "date"]}},
    }

    def stored_kind(self, field):
        kind = (field.get("params") or {}).get("result")
        return {"number": "number", "integer": "number", "boolean": "boolean", "date": "date",
                "string": "string"}.get(kind, "any")  # fmt: skip

    def clean(self, raw, field, ctx=None):
        kind = (field.get("params") or {}).get("result")
        if isinstance(raw, datetime):
            raw = format_datetime(raw)
        elif isinstance(raw, date):
            raw = raw.isoformat()
        if raw is None or raw == "":
            return None
        if kind in ("number", "integer"):
            return to_number(raw, integer=kind == "integer")
        if kind == "boolean":
            return bool(raw)
        if kind == "date":
            return parse_date(raw).isoformat()
        if kind == "string":
            return str(raw)
        if isinstance(raw, str | int | float | bool):
            return raw
        raise FieldValueError("invalid_value", "A calculation produced a value that cannot be stored.")
