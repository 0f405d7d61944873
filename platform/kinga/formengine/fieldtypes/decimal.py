"""Numbers with a fractional part (weights, amounts). Stored as JSON numbers."""

from ._common import check_range, to_number
from .base import FieldType, FieldValueError, register


@register
class DecimalFieldType(FieldType):
    name = "decimal"
    params_schema = {
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "min": {"type": "number"},
            "max": {"type": "number"},
            "decimal_places": {"type": "integer", "minimum": 0, "maximum": 10},
        },
    }
    value_kind = "number"

    def clean(self, raw, field, ctx=None):
        return to_number(raw, integer=False)

    def validate(self, value, field, ctx=None):
        issues = check_range(value, field)
        places = (field.get("params") or {}).get("decimal_places")
        if places is not None and round(value, places) != value:
            issues.append(
                FieldValueError("decimal_places", f"Use at most {places} decimal places.", places=places)
            )
        return issues
