"""Every translatable text of a draft, with its default-language text and one language's translation.

Texts are addressed by file + path (the same path a validation problem carries), so the UI sends the
address back unchanged in a `set_translation` operation.
"""

from __future__ import annotations

from typing import Any

from .workspace import Workspace, text_of

# Keys holding translatable text, per file kind (roles' `description` is free text, not translated).
TEXT_KEYS = {
    "forms": ("label", "hint", "guidance", "constraint_message", "message"),
    "lookups": ("label",),
    "record_types.yaml": ("label",),
    "roles.yaml": ("label",),
    "workflows.yaml": ("label",),
    "kpis.yaml": ("label", "description"),
    "locations/levels.yaml": ("label",),
}
SKIP = {"attrs", "params", "copy_from", "permissions", "fields_access"}


def text_keys(path: str) -> tuple[str, ...]:
    return TEXT_KEYS.get(path.split("/", 1)[0] if path.startswith(("forms/", "lookups/")) else path, ())


def iter_texts(ws: Workspace):
    """(file, path tuple, owner description, attr, value) for every translatable text."""
    for path in sorted(ws.files):
        keys = text_keys(path)
        if not keys:
            continue
        try:
            data = ws.data(path)
        except Exception:  # a file with a YAML error simply has no texts to show until it is fixed
            continue
        yield from _walk(path, data, (), [], keys)


def _walk(path: str, node: Any, at: tuple, owners: list[str], keys: tuple[str, ...]):
    if isinstance(node, list):
        for i, item in enumerate(node):
            yield from _walk(path, item, (*at, i), owners, keys)
    elif isinstance(node, dict):
        name = node.get("key") or node.get("id") or node.get("code")
        here = [*owners, str(name)] if isinstance(name, str | int) else owners
        for attr in keys:
            value = node.get(attr)
            if isinstance(value, str | dict):
                yield path, (*at, attr), " › ".join(here), attr, value
        for k, v in node.items():
            if k not in keys and k not in SKIP and isinstance(v, list | dict):
                yield from _walk(path, v, (*at, k), here, keys)


def translations_view(ws: Workspace, lang: str) -> dict:
    default = ws.default_language
    languages = ws.languages
    items, missing = [], dict.fromkeys(languages, 0)
    for file, path, owner, attr, value in iter_texts(ws):
        base = text_of(value, default, default)
        for code in languages:
            if not text_of(value, code, default) and (base or code == default):
                missing[code] += 1
        text = text_of(value, lang, default)
        items.append(
            {
                "file": file,
                "path": list(path),
                "ref": f"{file}#{'.'.join(map(str, path))}",
                "owner": owner,
                "attr": attr,
                "default": base,
                "text": text or None,
                "missing": not text and bool(base or lang == default),
            }
        )
    return {
        "language": lang,
        "default_language": default,
        "languages": languages,
        "missing": missing,
        "total": len(items),
        "items": items,
    }
