"""Short free text (names, identifiers)."""

from ._common import check_text, clean_text
from .base import FieldType, register

TEXT_PARAMS = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "max_length": {"type": "integer", "minimum": 1},
        "min_length": {"type": "integer", "minimum": 0},
        "pattern": {"type": "string", "format": "regex"},
    },
}


@register
class TextFieldType(FieldType):
    name = "text"
    params_schema = TEXT_PARAMS
    value_kind = "string"
    default_max_length = 500

    def clean(self, raw, field, ctx=None):
        return clean_text(raw)

    def validate(self, value, field, ctx=None):
        params = field.get("params") or {}
        if "max_length" not in params:
            field = {**field, "params": {**params, "max_length": self.default_max_length}}
        return check_text(value, field)
