"""A single check box, stored as JSON true/false."""

from .base import FieldType, FieldValueError, register

_TRUE = {"true", "1", "yes", "on"}
_FALSE = {"false", "0", "no", "off"}


@register
class TickBoxFieldType(FieldType):
    name = "tick_box"
    value_kind = "boolean"

    def clean(self, raw, field, ctx=None):
        if isinstance(raw, bool):
            return raw
        if isinstance(raw, str) and raw.strip().lower() in _TRUE | _FALSE:
            return raw.strip().lower() in _TRUE
        if isinstance(raw, int) and raw in (0, 1):
            return bool(raw)
        raise FieldValueError("invalid_boolean", "Tick or untick the box (true or false).")

    def search_text(self, value, field):
        return ""  # a bare true/false is noise in free-text search

    def export_value(self, value, field, lang):
        return "" if value is None else ("Yes" if value else "No")
