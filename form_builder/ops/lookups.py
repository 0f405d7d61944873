"""Lookups (option lists) and options, of a lookup or inline on a field. Locked lookups (and the inline
options of locked fields) may be relabelled and translated only."""

from __future__ import annotations

import copy

from kinga.core.errors import NotFound

from ..errors import LockedField, OpError
from ..locks import sentence
from .base import (
    Context,
    check_code,
    check_id,
    check_namespace,
    check_text,
    done,
    get_dict,
    get_str,
    op,
    place,
    set_attrs,
)

OPTION_ATTRS = frozenset({"code", "label", "retired", "attrs"})


def _check_option(raw: dict) -> dict:
    raw = copy.deepcopy(raw)
    check_code(raw.get("code"))
    bad = sorted(set(raw) - OPTION_ATTRS)
    if bad:
        raise OpError(f"Option '{raw['code']}' has unknown setting(s): {', '.join(bad)}.")
    if "label" in raw:
        check_text(raw["label"], f"Option '{raw['code']}' label")
    if "attrs" in raw and not isinstance(raw["attrs"], dict):
        raise OpError(f"Option '{raw['code']}' attrs must be an object of attribute: value.")
    if "retired" in raw and not isinstance(raw["retired"], bool):
        raise OpError("'retired' must be true or false.")
    return raw


class Owner:
    """The holder of an option list: a lookup, or a field with inline options."""

    def __init__(self, ctx: Context, p: dict):
        ws = ctx.ws
        base = ws.base_config or {}
        lookup_id = get_str(p, "lookup", required=False)
        if lookup_id:
            self.file, self.holder = ws.lookup(lookup_id)
            self.name = lookup_id
            self.origin = ctx.locks.lookup_origin(lookup_id, self.holder)
            base_item = base.get("lookups", {}).get(lookup_id)
        else:
            key = get_str(p, "field")
            ref = ws.find_field(key, get_str(p, "form", required=False))
            if ref.field.get("lookup"):
                raise OpError(
                    f"Field '{key}' takes its options from lookup '{ref.field['lookup']}'; "
                    f"edit them with 'lookup': '{ref.field['lookup']}'."
                )
            rt = ws.form_record_type(ref.form)
            self.file, self.holder, self.name = ref.file, ref.field, key
            self.origin = ctx.locks.field_origin(rt, key, ref.field)
            entry = (base.get("fields") or {}).get(rt or "", {}).get(key)
            base_item = _base_field(base, entry, key) if entry else None
        # Options added to a list that came from another pack must carry the draft's namespace.
        self.from_other_pack = bool(base_item) and base_item.get("origin") not in (None, ws.pack_id)
        self.ctx = ctx

    @property
    def options(self) -> list:
        if not isinstance(self.holder.get("options"), list):
            self.holder["options"] = []
        return self.holder["options"]

    def option(self, code: str) -> dict:
        for o in self.options:
            if isinstance(o, dict) and o.get("code") == code:
                return o
        raise NotFound(f"'{self.name}' has no option '{code}'.")

    def save(self) -> None:
        self.ctx.ws.touch(self.file)


def _base_field(base: dict, entry: dict, key: str) -> dict | None:
    form = base.get("forms", {}).get(entry["form"], {})
    for section in form.get("sections", []):
        stack = list(section["fields"])
        while stack:
            f = stack.pop()
            if f["key"] == key:
                return f
            stack += f.get("fields") or []
    return None


# -- lookups ------------------------------------------------------------------------------------
@op("add_lookup")
def add_lookup(ctx: Context, p: dict) -> dict:
    raw = copy.deepcopy(get_dict(p, "lookup"))
    lookup_id = check_id(raw.get("id"), "Lookup id")
    bad = sorted(set(raw) - {"id", "label", "options"})
    if bad:
        raise OpError(f"Lookup '{lookup_id}' has unknown setting(s): {', '.join(bad)}.")
    if any(item.get("id") == lookup_id for _path, item in ctx.ws.lookups()):
        raise OpError(f"There is already a lookup '{lookup_id}'.", code="duplicate_id")
    check_namespace(ctx, lookup_id, "Lookup")
    if "label" in raw:
        check_text(raw["label"], f"Lookup '{lookup_id}' label")
    options = [_check_option(o) for o in raw.get("options") or [] if isinstance(o, dict)]
    if len({o["code"] for o in options}) != len(options):
        raise OpError(f"Lookup '{lookup_id}' lists an option code twice.")
    item = {"id": lookup_id, **({"label": raw["label"]} if "label" in raw else {}), "options": options}
    path = f"lookups/{lookup_id}.yaml"
    data = ctx.ws.data(path)
    if data is None:
        ctx.ws.put(path, [item])
    elif isinstance(data, list):
        data.append(item)
        ctx.ws.touch(path)
    else:
        raise OpError(f"{path} is not a list of lookups; fix the file first.")
    return done(f"added lookup {lookup_id}", file=path)


@op("update_lookup")
def update_lookup(ctx: Context, p: dict) -> dict:
    owner = Owner(ctx, {"lookup": get_str(p, "lookup")})
    changes = get_dict(p, "changes")
    if set(changes) - {"label"}:
        raise OpError("Only a lookup's label can be changed here; edit options with the option operations.")
    check_text(changes.get("label"), "The lookup label")
    set_attrs(owner.holder, changes)
    owner.save()
    return done(f"changed lookup {owner.name}: label")


@op("remove_lookup")
def remove_lookup(ctx: Context, p: dict) -> dict:
    owner = Owner(ctx, {"lookup": get_str(p, "lookup")})
    if owner.origin:
        raise LockedField(
            sentence("locked_removed", what=f"Lookup '{owner.name}'", base=owner.origin),
            code="locked_removed",
        )
    users = sorted(ref.field["key"] for ref in ctx.ws.iter_fields() if ref.field.get("lookup") == owner.name)
    if users:
        raise OpError(f"Lookup '{owner.name}' is used by field(s) {', '.join(users)}; change them first.")
    data = ctx.ws.data(owner.file)
    data.remove(owner.holder)
    if data:
        ctx.ws.touch(owner.file)
    else:
        ctx.ws.delete(owner.file)
    return done(f"removed lookup {owner.name}")


# -- options --------------------------------------------------------------------------------------
@op("add_option")
def add_option(ctx: Context, p: dict) -> dict:
    owner = Owner(ctx, p)
    option = _check_option(get_dict(p, "option"))
    code = option["code"]
    ctx.locks.check_option_edit(owner.name, owner.origin, "add", code)
    if owner.from_other_pack:
        check_namespace(ctx, code, "Option code")
    if any(isinstance(o, dict) and o.get("code") == code for o in owner.options):
        raise OpError(
            sentence("duplicate_option", code=code, where=f"'{owner.name}'"), code="duplicate_option"
        )
    place(owner.options, option, p.get("after"), "code", f"'{owner.name}'")
    owner.save()
    return done(f"added option {owner.name}:{code}")


@op("update_option")
def update_option(ctx: Context, p: dict) -> dict:
    owner = Owner(ctx, p)
    code = get_str(p, "code")
    option = owner.option(code)
    changes = get_dict(p, "changes")
    if "code" in changes and changes["code"] != code:
        raise OpError(
            "An option code is never renamed (records store it). Add a new option, retire this one, and "
            "publish with the migration {map_options: {field: ..., map: {old: new}}} to move stored values.",
            code="code_immutable",
        )
    _check_option({"code": code, **changes})
    for attr in ("retired", "attrs"):
        if attr in changes and changes[attr] != option.get(attr):
            ctx.locks.check_option_edit(owner.name, owner.origin, "change", code, attr)
    set_attrs(option, {k: v for k, v in changes.items() if k != "code"})
    if option.get("retired") is False:
        option.pop("retired")
    owner.save()
    return done(f"changed option {owner.name}:{code}: {', '.join(sorted(changes))}")


@op("retire_option")
def retire_option(ctx: Context, p: dict) -> dict:
    retired = p.get("retired", True)
    if not isinstance(retired, bool):
        raise OpError("'retired' must be true or false.")
    result = update_option(ctx, {**p, "changes": {"retired": retired}})
    verb = "retired" if retired else "brought back"
    return done(
        f"{verb} option {p.get('lookup') or p.get('field')}:{p.get('code')}", detail=result["summary"]
    )


@op("remove_option")
def remove_option(ctx: Context, p: dict) -> dict:
    owner = Owner(ctx, p)
    code = get_str(p, "code")
    option = owner.option(code)
    ctx.locks.check_option_edit(owner.name, owner.origin, "remove", code)
    owner.options.remove(option)
    owner.save()
    return done(
        f"removed option {owner.name}:{code}",
        note="If records hold this code, retire it instead, or publish with a map_options migration.",
    )


@op("move_option")
def move_option(ctx: Context, p: dict) -> dict:
    owner = Owner(ctx, p)
    option = owner.option(get_str(p, "code"))
    owner.options.remove(option)
    place(owner.options, option, p.get("after"), "code", f"'{owner.name}'")
    owner.save()
    return done(f"moved option {owner.name}:{option['code']}")
