"""Several option codes, stored as a JSON list in the order chosen, without repeats."""

from ._common import option_label
from .base import FieldType, FieldValueError, register
from .select_one import check_codes


@register
class SelectMultipleFieldType(FieldType):
    name = "select_multiple"
    uses_options = True
    value_kind = "list"
    params_schema = {
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "min_selected": {"type": "integer", "minimum": 0},
            "max_selected": {"type": "integer", "minimum": 1},
        },
    }

    def clean(self, raw, field, ctx=None):
        if not isinstance(raw, list) or not all(isinstance(c, str) and c.strip() for c in raw):
            raise FieldValueError("invalid_choice", "Choose options as a list of codes.")
        return list(dict.fromkeys(c.strip() for c in raw)) or None

    def validate(self, value, field, ctx=None):
        issues = check_codes(value, ctx)
        params = field.get("params") or {}
        if params.get("min_selected") and len(value) < params["min_selected"]:
            issues.append(FieldValueError("min_selected", f"Choose at least {params['min_selected']}."))
        if params.get("max_selected") and len(value) > params["max_selected"]:
            issues.append(FieldValueError("max_selected", f"Choose at most {params['max_selected']}."))
        return issues

    def search_text(self, value, field):
        return " ".join(value or [])

    def export_value(self, value, field, lang):
        return "; ".join(option_label(code, field, lang) for code in value or [])
