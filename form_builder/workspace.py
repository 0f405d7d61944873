"""A draft's files opened for editing: YAML parsed on first use (through configpacks' safe loader),
found by form id / field key / lookup id, and written back as whole files.

PyYAML does not keep comments, so a file the builder edits loses its comments; files it does not
touch are kept byte for byte.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml
from kinga.configpacks.yamlsafe import YamlProblem, load_yaml
from kinga.core.errors import KingaError, NotFound

from .errors import OpError


def dump_yaml(data: Any) -> str:
    # Same style as `kinga pack export`, so an edited draft diffs cleanly against an exported one.
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000, default_flow_style=False)


@dataclass
class FieldRef:
    """Where a field sits in the draft: its file, form, section and the list that holds it."""

    file: str
    form: dict
    section: dict
    container: list
    field: dict
    parent: dict | None  # the subform holding it, or None for a top-level field

    @property
    def index(self) -> int:
        return next(i for i, f in enumerate(self.container) if f is self.field)


class Workspace:
    def __init__(self, files: dict[str, str], base_config: dict | None = None):
        self.files = dict(files)
        self.base_config = base_config
        self._parsed: dict[str, Any] = {}
        self.dirty: set[str] = set()

    # -- files -------------------------------------------------------------------------------------
    def data(self, path: str, default: Any = None) -> Any:
        if path in self._parsed:
            return self._parsed[path]
        if path not in self.files:
            return default
        try:
            parsed = load_yaml(self.files[path])[0]
        except YamlProblem as exc:
            raise KingaError(
                f"{path} is not valid YAML (line {exc.line}); fix the file before editing it here.",
                code="yaml_syntax",
            ) from None
        self._parsed[path] = parsed
        return parsed

    def put(self, path: str, data: Any) -> None:
        self._parsed[path] = data
        self.dirty.add(path)
        # Listed at once (text written by flush), so a later operation of the same batch finds a new
        # file: add_form then add_section in one call.
        self.files.setdefault(path, "")

    def touch(self, path: str) -> None:
        self.dirty.add(path)

    def put_text(self, path: str, text: str) -> None:
        self.files[path] = text
        self._parsed.pop(path, None)
        self.dirty.discard(path)

    def delete(self, path: str) -> None:
        self.files.pop(path, None)
        self._parsed.pop(path, None)
        self.dirty.discard(path)

    def flush(self) -> dict[str, str]:
        for path in sorted(self.dirty):
            self.files[path] = dump_yaml(self._parsed[path])
        self.dirty.clear()
        return self.files

    # -- pack.yaml ---------------------------------------------------------------------------------
    @property
    def meta(self) -> dict:
        meta = self.data("pack.yaml")
        return meta if isinstance(meta, dict) else {}

    @property
    def pack_id(self) -> str:
        return str(self.meta.get("id") or "")

    @property
    def default_language(self) -> str:
        return str(self.meta.get("default_language") or "en")

    @property
    def languages(self) -> list[str]:
        langs = [str(x) for x in self.meta.get("languages") or []]
        if self.base_config and self.meta.get("extends"):
            base = list(self.base_config.get("languages", []))
            langs = [*base, *[x for x in langs if x not in base]]
        return list(dict.fromkeys([*langs, self.default_language]))

    @property
    def is_overlay(self) -> bool:
        return bool(self.meta.get("extends"))

    # -- forms ---------------------------------------------------------------------------------------
    def form_paths(self) -> list[str]:
        return sorted(p for p in self.files if p.startswith("forms/") and p.endswith((".yaml", ".yml")))

    def forms(self) -> list[tuple[str, dict]]:
        out = []
        for path in self.form_paths():
            data = self.data(path)
            if isinstance(data, dict):
                out.append((path, data))
        return out

    def form(self, form_id: str) -> tuple[str, dict]:
        for path, data in self.forms():
            if data.get("id") == form_id:
                return path, data
        raise NotFound(f"There is no form '{form_id}' in this draft.")

    def form_record_type(self, form: dict) -> str | None:
        if form.get("record_type"):
            return form["record_type"]
        base = (self.base_config or {}).get("forms", {}).get(form.get("id"))
        return base["record_type"] if base else None

    def section(self, form: dict, section_id: str) -> dict:
        for section in form.get("sections") or []:
            if isinstance(section, dict) and section.get("id") == section_id:
                return section
        raise NotFound(f"Form '{form.get('id')}' has no section '{section_id}'.")

    def iter_fields(self, record_type: str | None = None):
        """FieldRef for every field (subform rows included) in the draft's files."""
        for path, form in self.forms():
            if record_type and self.form_record_type(form) != record_type:
                continue
            for section in form.get("sections") or []:
                if isinstance(section, dict):
                    yield from _walk(path, form, section, section.get("fields") or [], None)

    def find_field(self, key: str, form_id: str | None = None) -> FieldRef:
        matches = [
            ref
            for ref in self.iter_fields()
            if ref.field.get("key") == key and form_id in (None, ref.form["id"])
        ]
        if not matches:
            where = f"form '{form_id}'" if form_id else "this draft"
            raise NotFound(f"There is no field '{key}' in {where}.")
        if len(matches) > 1:
            forms = ", ".join(sorted({m.form["id"] for m in matches}))
            raise OpError(f"Field '{key}' is in several forms ({forms}); say which one with 'form'.")
        return matches[0]

    def keys(self, record_type: str) -> set[str]:
        """Every field key of a record type: the draft's own, plus the base's for an overlay draft."""
        keys = {ref.field.get("key") for ref in self.iter_fields(record_type)}
        if self.is_overlay and self.base_config:
            keys |= set((self.base_config.get("fields") or {}).get(record_type, {}))
        return {k for k in keys if isinstance(k, str)}

    # -- lookups -------------------------------------------------------------------------------------
    def lookup_paths(self) -> list[str]:
        return sorted(p for p in self.files if p.startswith("lookups/") and p.endswith((".yaml", ".yml")))

    def lookups(self) -> list[tuple[str, dict]]:
        out = []
        for path in self.lookup_paths():
            data = self.data(path)
            for item in data if isinstance(data, list) else []:
                if isinstance(item, dict):
                    out.append((path, item))
        return out

    def lookup(self, lookup_id: str) -> tuple[str, dict]:
        for path, item in self.lookups():
            if item.get("id") == lookup_id:
                return path, item
        raise NotFound(f"There is no lookup '{lookup_id}' in this draft.")

    def record_types(self) -> list[str]:
        ids = [rt.get("id") for rt in self.data("record_types.yaml", []) or [] if isinstance(rt, dict)]
        if self.base_config:
            ids += list(self.base_config.get("record_types", {}))
        return list(dict.fromkeys(i for i in ids if isinstance(i, str)))

    def roles(self) -> list[dict]:
        roles = self.data("roles.yaml", [])
        return [r for r in roles if isinstance(r, dict)] if isinstance(roles, list) else []


def _walk(path, form, section, fields, parent):
    for f in fields:
        if not isinstance(f, dict):
            continue
        yield FieldRef(path, form, section, fields, f, parent)
        if isinstance(f.get("fields"), list):
            yield from _walk(path, form, section, f["fields"], f)


def text_of(value: Any, lang: str, default_lang: str) -> str:
    """One language of a translatable text (a plain string is the default language)."""
    if isinstance(value, str):
        return value if lang == default_lang else ""
    if isinstance(value, dict):
        return str(value.get(lang) or "")
    return ""
