"""Whole numbers (ages, counts)."""

from ._common import NUMBER_PARAMS, check_range, to_number
from .base import FieldType, register


@register
class IntegerFieldType(FieldType):
    name = "integer"
    params_schema = NUMBER_PARAMS
    value_kind = "number"

    def clean(self, raw, field, ctx=None):
        return to_number(raw, integer=True)

    def validate(self, value, field, ctx=None):
        return check_range(value, field)
