"""A file uploaded separately (bytes in storage, see records.Attachment). The field stores its metadata
{id, file_name, content_type, size}; `max_bytes` and `content_types` (e.g. "image/*") restrict it."""

import fnmatch
import uuid

from .base import FieldType, FieldValueError, register


@register
class AttachmentFieldType(FieldType):
    name = "attachment"
    value_kind = "object"
    params_schema = {
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "max_bytes": {"type": "integer", "minimum": 1},
            "content_types": {"type": "array", "items": {"type": "string"}},
        },
    }

    def clean(self, raw, field, ctx=None):
        if isinstance(raw, str):
            raw = {"id": raw}
        if not isinstance(raw, dict) or not isinstance(raw.get("id"), str):
            raise FieldValueError("invalid_attachment", "Give the uploaded attachment's id.")
        try:
            attachment_id = str(uuid.UUID(raw["id"]))
        except ValueError:
            raise FieldValueError("invalid_attachment", "The attachment id is not valid.") from None
        size = raw.get("size")
        if size is not None and (isinstance(size, bool) or not isinstance(size, int) or size < 0):
            raise FieldValueError("invalid_attachment", "The attachment size is not valid.")
        value = {"id": attachment_id}
        for key in ("file_name", "content_type"):
            if raw.get(key) is not None:
                if not isinstance(raw[key], str):
                    raise FieldValueError("invalid_attachment", f"The attachment {key} is not valid.")
                value[key] = raw[key][:255]
        if size is not None:
            value["size"] = size
        return value

    def validate(self, value, field, ctx=None):
        params = field.get("params") or {}
        issues = []
        if params.get("max_bytes") and value.get("size", 0) > params["max_bytes"]:
            issues.append(
                FieldValueError("file_too_large", f"The file is larger than {params['max_bytes']} bytes.")
            )
        allowed = params.get("content_types")
        if allowed and not any(fnmatch.fnmatch(value.get("content_type", ""), p) for p in allowed):
            issues.append(FieldValueError("content_type", "This kind of file is not accepted here."))
        return issues

    def search_text(self, value, field):
        return (value or {}).get("file_name", "")

    def export_value(self, value, field, lang):
        return (value or {}).get("file_name", "") or (value or {}).get("id", "")
