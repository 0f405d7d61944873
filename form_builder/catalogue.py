"""What the builder's autocomplete offers: field keys (with labels, types and options) of a record type
in a draft or in the active configuration, the expression functions, and the field types."""

from __future__ import annotations

from typing import Any

from .workspace import Workspace


def _text(value: Any, lang: str) -> dict:
    if isinstance(value, str):
        return {lang: value}
    return dict(value) if isinstance(value, dict) else {}


def _options(options: list | None) -> list[dict] | None:
    if options is None:
        return None
    return [
        {
            "code": o.get("code"),
            "label": o.get("label"),
            "attrs": o.get("attrs") or {},
            "retired": bool(o.get("retired")),
        }
        for o in options
        if isinstance(o, dict)
    ]


def value_kind(f: dict) -> str:
    """What the expression language sees: a calculated field's declared result, else the type's kind."""
    from kinga.formengine.fieldtypes import registry

    if f.get("type") == "calculated" and (f.get("params") or {}).get("result"):
        return f["params"]["result"]
    ftype = f.get("type")
    return registry.get(ftype).value_kind if isinstance(ftype, str) and ftype in registry else "any"


def _entry(f: dict, form: str, section: str, parent: str | None, lang: str, options) -> dict:
    return {
        "key": f.get("key"),
        "type": f.get("type"),
        "kind": value_kind(f),
        "label": _text(f.get("label"), lang),
        "form": form,
        "section": section,
        "parent": parent,
        "lookup": f.get("lookup"),
        "options": _options(options),
    }


def keys_from_config(config: dict, record_type: str) -> dict[str, dict]:
    out: dict[str, dict] = {}
    lang = config.get("default_language", "en")
    lookups = config.get("lookups", {})
    for form in config.get("forms", {}).values():
        if form["record_type"] != record_type:
            continue
        for section in form["sections"]:
            stack = [(f, None) for f in section["fields"]]
            while stack:
                f, parent = stack.pop(0)
                options = lookups.get(f["lookup"], {}).get("options") if f.get("lookup") else f.get("options")
                out.setdefault(f["key"], _entry(f, form["id"], section["id"], parent, lang, options))
                stack += [(c, f["key"]) for c in f.get("fields") or []]
    return out


def keys_from_draft(ws: Workspace, record_type: str) -> dict[str, dict]:
    """The draft's fields of a record type; an overlay draft also sees its base's fields."""
    out = keys_from_config(ws.base_config, record_type) if ws.is_overlay and ws.base_config else {}
    lookups = {item.get("id"): item for _p, item in ws.lookups()}
    base_lookups = (ws.base_config or {}).get("lookups", {})
    for ref in ws.iter_fields(record_type):
        f = ref.field
        if not isinstance(f.get("key"), str):
            continue
        lookup = f.get("lookup")
        options = (
            (lookups.get(lookup) or base_lookups.get(lookup) or {}).get("options")
            if lookup
            else f.get("options")
        )
        parent = ref.parent.get("key") if ref.parent else None
        entry = _entry(f, ref.form.get("id"), ref.section.get("id"), parent, ws.default_language, options)
        if f["key"] in out:  # an overlay's patch: keep what the base says unless the patch says it
            entry = {**out[f["key"]], **{k: v for k, v in entry.items() if v not in (None, {}, [])}}
        out[f["key"]] = entry
    return out


def functions() -> list[dict]:
    from kinga.formengine.expressions import FUNCTIONS

    out = []
    for name, spec in sorted(FUNCTIONS.items()):
        if spec.max_args is None:
            arity = f"{spec.min_args} or more"
        elif spec.min_args == spec.max_args:
            arity = str(spec.min_args)
        else:
            arity = f"{spec.min_args} to {spec.max_args}"
        out.append(
            {
                "name": name,
                "min_args": spec.min_args,
                "max_args": spec.max_args,
                "arity": arity,
                "returns": spec.returns,
                "description": spec.description,
            }
        )
    return out


def field_types() -> list[dict]:
    from kinga.formengine.fieldtypes import registry

    return [ftype.builder_spec() for _name, ftype in registry.items()]
