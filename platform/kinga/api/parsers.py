"""Request body parsers (DEFAULT_PARSER_CLASSES). Kept apart from base.py: DRF imports the parser
setting while rest_framework.views is still loading, so this module must not import the views."""

from __future__ import annotations

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser


def has_nul(value) -> bool:
    """Any U+0000 in a string, key or nested value (iterative: bodies may be deeply nested)."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if "\x00" in item:
                return True
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list | tuple):
            stack.extend(item)
    return False


class KingaJSONParser(JSONParser):
    """DRF's JSON parser (strict: no NaN/Infinity), refusing U+0000 anywhere in the document."""

    def parse(self, stream, media_type=None, parser_context=None):
        data = super().parse(stream, media_type, parser_context)
        if has_nul(data):
            raise ParseError("The request body contains a NUL character (\\u0000), which cannot be stored.")
        return data
