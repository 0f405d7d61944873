"""Translations, languages, and the form/field permissions of roles."""

from __future__ import annotations

import copy

from kinga.core.errors import NotFound

from ..errors import OpError
from ..translations import text_keys
from .base import Context, done, get_str, op

FORM_ACCESS = ("hidden", "read", "edit")
FIELD_ACCESS = ("hidden", "masked", "read", "edit")


def _path(p: dict) -> list:
    raw = p.get("path")
    if isinstance(raw, str):
        raw = raw.split(".")
    if not isinstance(raw, list) or not raw or len(raw) > 40:
        raise OpError("'path' must be the text's path, as given by the translations view.")
    return [int(s) if isinstance(s, str) and s.isdigit() else s for s in raw]


@op("set_translation")
def set_translation(ctx: Context, p: dict) -> dict:
    ws = ctx.ws
    file = get_str(p, "file")
    path = _path(p)
    lang = get_str(p, "lang")
    text = p.get("text")
    if text is not None and not isinstance(text, str):
        raise OpError("'text' must be a string (or null to remove the translation).")
    if lang not in ws.languages:
        raise OpError(
            f"'{lang}' is not one of the draft's languages ({', '.join(ws.languages)}); add it with add_language."
        )
    attr = path[-1]
    if attr not in text_keys(file):
        raise OpError(f"'{'.'.join(map(str, path))}' in {file} is not a translatable text.")
    node = ws.data(file)
    for seg in path[:-1]:
        try:
            node = node[seg]
        except (KeyError, IndexError, TypeError):
            node = None
        if not isinstance(node, dict | list):
            raise NotFound(f"There is nothing at '{'.'.join(map(str, path))}' in {file}.")
    if not isinstance(node, dict):
        raise NotFound(f"There is nothing at '{'.'.join(map(str, path))}' in {file}.")
    value = node.get(attr)
    mapping = {ws.default_language: value} if isinstance(value, str) else dict(value or {})
    if text:
        mapping[lang] = text
    else:
        mapping.pop(lang, None)
    node[attr] = mapping
    ws.touch(file)
    return done(f"set {lang} text of {file}#{'.'.join(map(str, path))}")


@op("add_language")
def add_language(ctx: Context, p: dict) -> dict:
    import re

    lang = get_str(p, "lang")
    if not re.fullmatch(r"[a-z]{2,3}([-_][A-Za-z0-9]+)?", lang):
        raise OpError(f"'{lang}' is not a language code like en, fr, ar or pt-BR.")
    meta = ctx.ws.meta
    langs = list(meta.get("languages") or [])
    if lang not in langs:
        meta["languages"] = [*langs, lang]
        ctx.ws.put("pack.yaml", meta)
    return done(f"added language {lang}")


def _role(ctx: Context, role_id: str) -> dict:
    ws = ctx.ws
    roles = ws.data("roles.yaml", [])
    if not isinstance(roles, list):
        raise OpError("roles.yaml is not a list of roles; fix the file first.")
    for role in roles:
        if isinstance(role, dict) and role.get("id") == role_id:
            return role
    base_role = ((ws.base_config or {}).get("roles") or {}).get(role_id)
    if base_role is None or not ws.is_overlay:
        raise NotFound(f"There is no role '{role_id}'.")
    # An overlay replaces a role whole, so the base's role is copied in before it is changed.
    role = copy.deepcopy(base_role)
    roles.append(role)
    ws.put("roles.yaml", roles)
    return role


def _set_access(ctx: Context, p: dict, table: str, name: str, allowed: tuple) -> dict:
    role = _role(ctx, get_str(p, "role"))
    access = p.get("access")
    if access is not None and access not in allowed:
        raise OpError(f"'access' must be one of {', '.join(allowed)} (or null for the default).")
    entries = role.get(table) if isinstance(role.get(table), dict) else {}
    if access is None:
        entries.pop(name, None)
    else:
        entries[name] = access
    role[table] = entries
    ctx.ws.touch("roles.yaml")
    return done(f"role {role['id']}: {table[:-1]} {name} → {access or 'default'}")


@op("set_form_permission")
def set_form_permission(ctx: Context, p: dict) -> dict:
    form_id = get_str(p, "form")
    ctx.ws.form(form_id)
    return _set_access(ctx, p, "forms", form_id, FORM_ACCESS)


@op("set_field_permission")
def set_field_permission(ctx: Context, p: dict) -> dict:
    key = get_str(p, "field")
    if not ctx.ws.is_overlay:  # an overlay may name a base field its files do not hold
        ctx.ws.find_field(key)
    return _set_access(ctx, p, "fields", key, FIELD_ACCESS)
