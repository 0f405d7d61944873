"""Long free text: narratives, case notes. Guidance favours open text over many closed fields."""

from ._common import clean_text
from .base import FieldValueError, register
from .text import TEXT_PARAMS, TextFieldType


@register
class TextareaFieldType(TextFieldType):
    name = "textarea"
    params_schema = TEXT_PARAMS
    default_max_length = 20000

    def clean(self, raw, field, ctx=None):
        # Line breaks matter in narratives: keep inner whitespace, trim only the ends.
        if isinstance(raw, str):
            return raw.strip() or None
        value = clean_text(raw)
        if value is None:
            raise FieldValueError("invalid_text", "Enter text.")
        return value
