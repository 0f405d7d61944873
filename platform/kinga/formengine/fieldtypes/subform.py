"""Repeating rows (household members, services, follow-ups). The value is a list of row objects keyed
by the child fields' keys; the engine cleans and validates each row with the child field types."""

from .base import FieldType, FieldValueError, register


@register
class SubformFieldType(FieldType):
    name = "subform"
    is_container = True
    value_kind = "rows"
    params_schema = {
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "min_rows": {"type": "integer", "minimum": 0},
            "max_rows": {"type": "integer", "minimum": 1},
        },
    }

    def clean(self, raw, field, ctx=None):
        if not isinstance(raw, list) or not all(isinstance(row, dict) for row in raw):
            raise FieldValueError("invalid_rows", "Give the rows as a list of objects.")
        return raw

    def validate(self, value, field, ctx=None):
        params = field.get("params") or {}
        issues = []
        if params.get("min_rows") and len(value) < params["min_rows"]:
            issues.append(FieldValueError("min_rows", f"Add at least {params['min_rows']} rows."))
        if params.get("max_rows") and len(value) > params["max_rows"]:
            issues.append(FieldValueError("max_rows", f"Add at most {params['max_rows']} rows."))
        return issues

    def search_text(self, value, field):
        return ""  # the engine indexes child values row by row

    def export_value(self, value, field, lang):
        return str(len(value or []))
