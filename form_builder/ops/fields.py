"""Forms, sections and fields (subform rows included)."""

from __future__ import annotations

import copy

from kinga.configpacks.schemas import load_schema

from ..errors import LockedField, OpError
from ..locks import sentence
from .base import (
    Context,
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

# What a field may say is the form schema's business (one source of truth); bookkeeping is the merge's.
FIELD_ATTRS = frozenset(load_schema("form")["$defs"]["field"]["properties"]) - {"after", "remove", "origin"}
SECTION_CHANGES = frozenset({"label", "relevant", "hidden"})
FORM_CHANGES = frozenset({"label", "order"})


def _field_type(name: str):
    from kinga.formengine.fieldtypes import registry

    try:
        return registry.get(name)
    except KeyError:
        known = ", ".join(sorted(registry.names()))
        raise OpError(
            f"Unknown field type '{name}'. Known types: {known}.", code="unknown_field_type"
        ) from None


def _check_field(ctx: Context, raw: dict, record_type: str | None) -> dict:
    raw = copy.deepcopy(raw)
    key = check_id(raw.get("key"), "Field key")
    unknown = sorted(set(raw) - FIELD_ATTRS)
    if unknown:
        raise OpError(f"Field '{key}' has unknown setting(s): {', '.join(unknown)}.")
    ftype = _field_type(get_str(raw, "type"))
    check_namespace(ctx, key, "Field key")
    for attr in ("label", "hint", "guidance", "constraint_message"):
        if attr in raw:
            check_text(raw[attr], f"Field '{key}' {attr}")
    if record_type and key in ctx.ws.keys(record_type):
        raise OpError(
            f"Field key '{key}' is already used in record type '{record_type}'. Keys are unique per record "
            "type (subform rows included) and are never reused; choose another key.",
            code="duplicate_field_key",
        )
    children = raw.get("fields")
    if children is not None:
        if not ftype.is_container:
            raise OpError(sentence("fields_not_allowed", key=key, type=ftype.name), code="fields_not_allowed")
        if not isinstance(children, list):
            raise OpError(f"Field '{key}' 'fields' must be a list of fields.")
        seen = set()
        for child in children:
            if not isinstance(child, dict):
                raise OpError(f"Field '{key}' 'fields' must be a list of fields.")
            _check_field(ctx, child, record_type)
            if child["key"] in seen:
                raise OpError(f"Field key '{child['key']}' appears twice in subform '{key}'.")
            seen.add(child["key"])
    return raw


def _form_and_rt(ctx: Context, form_id: str):
    path, form = ctx.ws.form(form_id)
    return path, form, ctx.ws.form_record_type(form)


# -- forms ------------------------------------------------------------------------------------------
@op("add_form")
def add_form(ctx: Context, p: dict) -> dict:
    raw = get_dict(p, "form")
    form_id = check_id(raw.get("id"), "Form id")
    if any(f.get("id") == form_id for _path, f in ctx.ws.forms()) or (
        ctx.ws.base_config and form_id in ctx.ws.base_config.get("forms", {}) and ctx.ws.is_overlay
    ):
        raise OpError(f"There is already a form '{form_id}'.", code="duplicate_id")
    rt = get_str(raw, "record_type")
    if rt not in ctx.ws.record_types():
        raise OpError(
            sentence("unknown_record_type", what=f"Form '{form_id}'", name=rt), code="unknown_record_type"
        )
    check_text(raw.get("label"), f"Form '{form_id}' label")
    form = {"id": form_id, "record_type": rt, "label": raw["label"], "order": raw.get("order", 100)}
    form["sections"] = []
    path = f"forms/{form_id}.yaml"
    if path in ctx.ws.files:
        raise OpError(f"The draft already has a file {path}.")
    ctx.ws.put(path, form)
    return done(f"added form {form_id}", file=path)


@op("update_form")
def update_form(ctx: Context, p: dict) -> dict:
    path, form, _rt = _form_and_rt(ctx, get_str(p, "form"))
    changes = get_dict(p, "changes")
    bad = sorted(set(changes) - FORM_CHANGES)
    if bad:
        raise OpError(f"A form's {', '.join(bad)} cannot be changed here; only its label and order.")
    if "label" in changes:
        check_text(changes["label"], "The form label")
    if "order" in changes and not isinstance(changes["order"], int | float):
        raise OpError("'order' must be a number.")
    set_attrs(form, changes)
    ctx.ws.touch(path)
    return done(f"changed form {form['id']}: {', '.join(sorted(changes))}")


@op("remove_form")
def remove_form(ctx: Context, p: dict) -> dict:
    path, form, rt = _form_and_rt(ctx, get_str(p, "form"))
    for ref in ctx.ws.iter_fields(rt):
        if ref.form is form:
            ctx.locks.check_field_removal(rt, ref.field)
    keys = [ref.field["key"] for ref in ctx.ws.iter_fields(rt) if ref.form is form]
    ctx.ws.delete(path)
    return done(f"removed form {form['id']}", archive_if_data=keys)


# -- sections ---------------------------------------------------------------------------------------
@op("add_section")
def add_section(ctx: Context, p: dict) -> dict:
    path, form, _rt = _form_and_rt(ctx, get_str(p, "form"))
    raw = get_dict(p, "section")
    sid = check_id(raw.get("id"), "Section id")
    bad = sorted(set(raw) - SECTION_CHANGES - {"id"})
    if bad:
        raise OpError(f"Section '{sid}' has unknown setting(s): {', '.join(bad)}; add fields with add_field.")
    if any(isinstance(s, dict) and s.get("id") == sid for s in form.get("sections") or []):
        raise OpError(f"Form '{form['id']}' already has a section '{sid}'.", code="duplicate_id")
    if "label" in raw:
        check_text(raw["label"], f"Section '{sid}' label")
    section = {**copy.deepcopy(raw), "fields": []}
    place(form.setdefault("sections", []), section, p.get("after"), "id", f"form '{form['id']}'")
    ctx.ws.touch(path)
    return done(f"added section {form['id']}.{sid}")


@op("update_section")
def update_section(ctx: Context, p: dict) -> dict:
    path, form, _rt = _form_and_rt(ctx, get_str(p, "form"))
    section = ctx.ws.section(form, get_str(p, "section"))
    changes = get_dict(p, "changes")
    bad = sorted(set(changes) - SECTION_CHANGES)
    if bad:
        raise OpError(
            f"A section's {', '.join(bad)} cannot be changed here; only label, relevant and hidden."
        )
    if "label" in changes:
        check_text(changes["label"], "The section label")
    set_attrs(section, changes)
    ctx.ws.touch(path)
    return done(f"changed section {form['id']}.{section['id']}: {', '.join(sorted(changes))}")


@op("move_section")
def move_section(ctx: Context, p: dict) -> dict:
    path, form, _rt = _form_and_rt(ctx, get_str(p, "form"))
    section = ctx.ws.section(form, get_str(p, "section"))
    sections = form["sections"]
    sections.remove(section)
    place(sections, section, p.get("after"), "id", f"form '{form['id']}'")
    ctx.ws.touch(path)
    return done(f"moved section {form['id']}.{section['id']}")


@op("remove_section")
def remove_section(ctx: Context, p: dict) -> dict:
    path, form, rt = _form_and_rt(ctx, get_str(p, "form"))
    section = ctx.ws.section(form, get_str(p, "section"))
    for f in section.get("fields") or []:
        if isinstance(f, dict) and ctx.locks.field_origin(rt, f.get("key", ""), f):
            what = f"Section '{section['id']}' (locked field '{f['key']}')"
            raise LockedField(
                sentence("locked_removed", what=what, base=ctx.locks.field_origin(rt, f["key"], f)),
                code="locked_removed",
            )
    form["sections"].remove(section)
    ctx.ws.touch(path)
    keys = [f.get("key") for f in section.get("fields") or [] if isinstance(f, dict)]
    return done(f"removed section {form['id']}.{section['id']}", archive_if_data=keys)


# -- fields -----------------------------------------------------------------------------------------
def _container(ctx: Context, form: dict, p: dict) -> tuple[list, str]:
    """The list a field goes into: a section's fields, or a subform's rows (`parent`)."""
    section = ctx.ws.section(form, get_str(p, "section"))
    parent_key = get_str(p, "parent", required=False)
    if parent_key is None:
        return section.setdefault("fields", []), f"section '{section['id']}'"
    parent = ctx.ws.find_field(parent_key, form["id"])
    if parent.section is not section or not _field_type(parent.field.get("type", "")).is_container:
        raise OpError(f"'{parent_key}' is not a subform in section '{section['id']}'.")
    return parent.field.setdefault("fields", []), f"subform '{parent_key}'"


@op("add_field")
def add_field(ctx: Context, p: dict) -> dict:
    path, form, rt = _form_and_rt(ctx, get_str(p, "form"))
    field = _check_field(ctx, get_dict(p, "field"), rt)
    container, where = _container(ctx, form, p)
    place(container, field, p.get("after"), "key", where)
    ctx.ws.touch(path)
    return done(f"added field {field['key']} to {form['id']}")


@op("update_field")
def update_field(ctx: Context, p: dict) -> dict:
    ref = ctx.ws.find_field(get_str(p, "key"), get_str(p, "form", required=False))
    rt = ctx.ws.form_record_type(ref.form)
    changes = get_dict(p, "changes")
    key = ref.field["key"]
    if "key" in changes and changes["key"] != key:
        raise OpError(
            "A field key is never renamed (records store values under it). Add a new field and remove "
            "this one (publishing then asks for archive_field when records hold values).",
            code="key_immutable",
        )
    unknown = sorted(set(changes) - FIELD_ATTRS)
    if unknown:
        raise OpError(f"Unknown field setting(s): {', '.join(unknown)}.")
    if "fields" in changes:
        raise OpError("Edit subform rows with add_field/update_field using 'parent', not 'fields'.")
    ctx.locks.check_field_change(rt, ref.field, changes)
    if "options" in changes and ctx.locks.field_origin(rt, key, ref.field):
        raise LockedField(
            sentence(
                "locked_changed",
                what=f"Field '{key}'",
                base=ctx.locks.field_origin(rt, key, ref.field),
                attr="options",
            ),
            code="locked_changed",
        )
    if changes.get("type"):
        _field_type(changes["type"])
    for attr in ("label", "hint", "guidance", "constraint_message"):
        if changes.get(attr) is not None:
            check_text(changes[attr], f"Field '{key}' {attr}")
    set_attrs(ref.field, {k: v for k, v in changes.items() if k != "key"})
    ctx.ws.touch(ref.file)
    return done(f"changed field {key}: {', '.join(sorted(changes))}")


@op("move_field")
def move_field(ctx: Context, p: dict) -> dict:
    ref = ctx.ws.find_field(get_str(p, "key"), get_str(p, "form", required=False))
    rt = ctx.ws.form_record_type(ref.form)
    to_form_id = get_str(p, "to_form", required=False) or ref.form["id"]
    to_path, to_form, to_rt = _form_and_rt(ctx, to_form_id)
    if to_rt != rt:
        raise OpError(f"A field cannot move to another record type ('{rt}' → '{to_rt}').")
    target, where = _container(ctx, to_form, {**p, "section": p.get("to_section") or ref.section["id"]})
    same_level = (ref.parent is None and p.get("parent") is None) or (
        ref.parent is not None and target is ref.parent.get("fields")
    )
    if not same_level:
        raise OpError(
            "A field cannot move into or out of a subform: its values are stored in a different place. "
            "Add a new field there instead."
        )
    ref.container.remove(ref.field)
    place(target, ref.field, p.get("after"), "key", where)
    ctx.ws.touch(ref.file)
    ctx.ws.touch(to_path)
    return done(f"moved field {ref.field['key']} to {to_form['id']}, {where}")


@op("remove_field")
def remove_field(ctx: Context, p: dict) -> dict:
    ref = ctx.ws.find_field(get_str(p, "key"), get_str(p, "form", required=False))
    rt = ctx.ws.form_record_type(ref.form)
    ctx.locks.check_field_removal(rt, ref.field)
    ref.container.remove(ref.field)
    ctx.ws.touch(ref.file)
    key = ref.field["key"]
    return done(
        f"removed field {key}",
        archive_if_data=[key],
        note=f"If records hold values for '{key}', publish with the migration {{archive_field: {key}}}.",
    )
