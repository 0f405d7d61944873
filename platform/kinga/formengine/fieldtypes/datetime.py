"""A moment in time, stored in UTC as "YYYY-MM-DDTHH:MM:SSZ". Values without an offset are read in
the user's time zone. Limits: literal ISO datetimes or "now"."""

from ._common import DATETIME_LIMIT, ctx_now, format_datetime, parse_datetime
from .base import FieldType, FieldValueError, register


@register
class DatetimeFieldType(FieldType):
    name = "datetime"
    params_schema = {
        "type": "object",
        "additionalProperties": False,
        "properties": {"min": DATETIME_LIMIT, "max": DATETIME_LIMIT},
    }
    value_kind = "datetime"

    def clean(self, raw, field, ctx=None):
        return format_datetime(parse_datetime(raw, getattr(ctx, "tz", "UTC") or "UTC"))

    def validate(self, value, field, ctx=None):
        params = field.get("params") or {}
        moment = parse_datetime(value)
        issues = []
        for bound, code, word in (("min", "min_value", "before"), ("max", "max_value", "after")):
            spec = params.get(bound)
            if not spec:
                continue
            limit = ctx_now(ctx) if spec == "now" else parse_datetime(spec)
            if (moment < limit) if bound == "min" else (moment > limit):
                issues.append(FieldValueError(code, f"Must not be {word} {spec}.", **{bound: spec}))
        return issues
