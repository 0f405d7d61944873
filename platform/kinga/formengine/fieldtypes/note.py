"""Read-only text shown on the form (label/guidance); stores nothing."""

from .base import FieldType, register


@register
class NoteFieldType(FieldType):
    name = "note"
    stores_value = False
    value_kind = "none"

    def search_text(self, value, field):
        return ""

    def export_value(self, value, field, lang):
        return ""
