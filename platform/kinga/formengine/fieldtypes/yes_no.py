"""A yes/no question, stored as the codes "yes" / "no" (as in XLSForm), optionally "unknown".
Expressions compare codes: ${consent} = 'yes'."""

from .base import FieldType, FieldValueError, register

_ALIASES = {True: "yes", False: "no", "yes": "yes", "no": "no", "true": "yes", "false": "no"}
_LABELS = {"yes": "Yes", "no": "No", "unknown": "Unknown"}


@register
class YesNoFieldType(FieldType):
    name = "yes_no"
    params_schema = {
        "type": "object",
        "additionalProperties": False,
        "properties": {"allow_unknown": {"type": "boolean"}},
    }
    value_kind = "string"

    def clean(self, raw, field, ctx=None):
        key = raw.strip().lower() if isinstance(raw, str) else raw
        if isinstance(key, bool | str) and key in _ALIASES:
            return _ALIASES[key]
        if key == "unknown" and (field.get("params") or {}).get("allow_unknown"):
            return "unknown"
        raise FieldValueError("invalid_choice", "Answer yes or no.")

    def export_value(self, value, field, lang):
        return _LABELS.get(value, "") if value else ""
