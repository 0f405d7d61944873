"""Checks shared by the subform-row kinds."""

from ..registry import record_type_fields


def check_subform(definition: dict, config_data: dict, row_params: tuple[str, ...] = ()) -> list[str]:
    params = definition.get("params") or {}
    fields = record_type_fields(config_data, definition["record_type"])
    subform = params.get("subform")
    field, _parent = fields.get(subform, (None, None))
    if field is None:
        return []  # reported as a missing field already
    if field.get("type") != "subform":
        return [f"params.subform: '{subform}' is a {field.get('type')} field, not a subform."]
    problems = []
    for name in row_params:
        key = params.get(name)
        if key and key in fields and fields[key][1] != subform:
            problems.append(f"params.{name}: '{key}' is not a field of the '{subform}' rows.")
    return problems
