"""A visual separator/sub-heading inside a form section; stores nothing."""

from .base import FieldType, register


@register
class SectionFieldType(FieldType):
    name = "section"
    stores_value = False
    value_kind = "none"

    def search_text(self, value, field):
        return ""

    def export_value(self, value, field, lang):
        return ""
