"""One option code from a lookup or inline options. Which codes are allowed (active options passing
the choice_filter, plus retired codes the record already held) is decided by the engine and passed in
ctx.allowed_options."""

from ._common import option_label
from .base import FieldType, FieldValueError, register


def check_codes(codes: list[str], ctx) -> list[FieldValueError]:
    allowed = getattr(ctx, "allowed_options", None)
    if allowed is None:
        return []
    return [
        FieldValueError("invalid_choice", f"'{code}' is not one of the available options.", value=code)
        for code in codes
        if code not in allowed
    ]


@register
class SelectOneFieldType(FieldType):
    name = "select_one"
    uses_options = True
    value_kind = "string"

    def clean(self, raw, field, ctx=None):
        if isinstance(raw, bool) or not isinstance(raw, str | int):
            raise FieldValueError("invalid_choice", "Choose one option (its code).")
        return str(raw).strip() or None

    def validate(self, value, field, ctx=None):
        return check_codes([value], ctx)

    def export_value(self, value, field, lang):
        return "" if value is None else option_label(value, field, lang)
