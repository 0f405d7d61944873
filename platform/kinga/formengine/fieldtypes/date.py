"""A calendar date, stored as "YYYY-MM-DD". Limits: literal dates or "today" (user's time zone)."""

from datetime import date

from ._common import DATE_LIMIT, ctx_today, parse_date
from .base import FieldType, FieldValueError, register


def _limit(spec: str, ctx) -> date:
    return ctx_today(ctx) if spec == "today" else date.fromisoformat(spec)


@register
class DateFieldType(FieldType):
    name = "date"
    params_schema = {
        "type": "object",
        "additionalProperties": False,
        "properties": {"min": DATE_LIMIT, "max": DATE_LIMIT},
    }
    value_kind = "date"

    def clean(self, raw, field, ctx=None):
        return parse_date(raw).isoformat()

    def validate(self, value, field, ctx=None):
        params = field.get("params") or {}
        day = date.fromisoformat(value)
        issues = []
        if params.get("min") and day < _limit(params["min"], ctx):
            issues.append(
                FieldValueError("min_value", f"Must not be before {params['min']}.", min=params["min"])
            )
        if params.get("max") and day > _limit(params["max"], ctx):
            issues.append(
                FieldValueError("max_value", f"Must not be after {params['max']}.", max=params["max"])
            )
        return issues
