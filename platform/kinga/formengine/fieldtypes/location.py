"""A location code from the pack's hierarchy (country → province → district ...).
`levels` restricts which admin levels may be chosen (e.g. only districts)."""

from .base import FieldType, FieldValueError, register


@register
class LocationFieldType(FieldType):
    name = "location"
    value_kind = "string"
    params_schema = {
        "type": "object",
        "additionalProperties": False,
        "properties": {"levels": {"type": "array", "items": {"type": "integer", "minimum": 0}}},
    }

    def clean(self, raw, field, ctx=None):
        if not isinstance(raw, str):
            raise FieldValueError("invalid_location", "Choose a location (its code).")
        return raw.strip() or None

    def validate(self, value, field, ctx=None):
        levels_by_code = getattr(ctx, "location_levels", None)
        if levels_by_code is None:  # no hierarchy available (e.g. a unit test without a config)
            return []
        if value not in levels_by_code:
            return [FieldValueError("invalid_location", f"Unknown location '{value}'.", value=value)]
        allowed = (field.get("params") or {}).get("levels")
        if allowed and levels_by_code[value] not in allowed:
            return [FieldValueError("location_level", "Choose a location at another level.", levels=allowed)]
        return []
