"""The field-type protocol. One class per type, one file per type, registered by decorator:

    @registry.register()
    class IntegerFieldType(FieldType):
        name = "integer"
        ...

Pack loading reads `params_schema`, `uses_options`, `is_container` and `stores_value`; the record
engine calls `clean` and `validate`; the API, search and export call the remaining hooks.
"""

from __future__ import annotations

from typing import Any, ClassVar

from kinga.core.registry import Registry


class FieldValueError(ValueError):
    """A value that cannot be stored in a field: `code` is stable, `message` is for people."""

    def __init__(self, code: str, message: str, **params: Any):
        super().__init__(message)
        self.code = code
        self.message = message
        self.params = params


class FieldType:
    name: ClassVar[str] = ""
    # JSON Schema of the `params` a pack may give this type; checked when a pack loads.
    params_schema: ClassVar[dict] = {"type": "object", "additionalProperties": False, "properties": {}}
    uses_options: ClassVar[bool] = False  # select_one / select_multiple: needs `lookup` or `options`
    is_container: ClassVar[bool] = False  # subform: has child `fields`, value is a list of rows
    stores_value: ClassVar[bool] = True  # note / section separator store nothing
    # Value kinds the expression language sees, for documentation and the builder.
    value_kind: ClassVar[str] = "string"

    def stored_kind(self, field: dict) -> str:
        """The kind of value stored for this field (`value_kind`, unless the field's params decide
        it): what sorting and database indexes go by, so numbers sort as numbers."""
        return self.value_kind

    def clean(self, raw: Any, field: dict, ctx: Any = None) -> Any:
        """Turn an incoming JSON value into the stored value, or raise FieldValueError."""
        return raw

    def validate(self, value: Any, field: dict, ctx: Any = None) -> list[FieldValueError]:
        """Checks beyond type (length, range, option exists); value is already cleaned."""
        return []

    def search_text(self, value: Any, field: dict) -> str:
        return "" if value in (None, "", []) else str(value)

    def export_value(self, value: Any, field: dict, lang: str) -> str:
        return "" if value is None else str(value)

    def builder_spec(self) -> dict:
        return {
            "type": self.name,
            "params_schema": self.params_schema,
            "uses_options": self.uses_options,
            "is_container": self.is_container,
            "stores_value": self.stores_value,
            "value_kind": self.value_kind,
        }


registry: Registry[FieldType] = Registry("field type")


def register(cls: type[FieldType]) -> type[FieldType]:
    registry.add(cls.name, cls())
    return cls
