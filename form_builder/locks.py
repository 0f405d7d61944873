"""Locked standard fields and lookups in the builder.

A draft exported from the active configuration is a flat pack: it has no `extends`, so the overlay
rules of configpacks/merge.py never see it. The builder therefore judges locks against the draft's
base version (the configuration it was created from): whatever is locked there keeps its key, type,
lookup, option codes and required-ness. What may change is configpacks' own list
(normalize.LOCKED_PATCHABLE), and every refusal uses configpacks' rule sentence (problems.RULES), so
the builder and `kinga pack validate` say the same thing.

Two checks use it: each edit operation (refused at once, with the sentence), and validate/publish
(`guard`, over the compiled configuration, which also catches raw file edits and uploaded packs).
"""

from __future__ import annotations

from typing import Any

from kinga.configpacks.diff import field_index
from kinga.configpacks.normalize import LOCKED_PATCHABLE
from kinga.configpacks.problems import RULES

from .errors import LockedField

# Attributes of a locked field the builder may change; position (`after`) is a move, not an attribute.
ALLOWED = frozenset(LOCKED_PATCHABLE - {"key", "after"})
# Compared separately (options) or bookkeeping that is not the field's meaning.
_SKIP = frozenset({"origin", "options", "fields", "after", "remove"})


def sentence(rule: str, **params: Any) -> str:
    return RULES[rule].format(**params)


def _value(attr: str, value: Any) -> Any:
    """Compare expressions by their text and treat absent defaults as equal to the explicit ones."""
    if isinstance(value, dict) and "src" in value:
        value = value["src"]
    if attr == "required" and value in (None, False):
        return False
    if value in (None, {}, []) or (value is False and attr != "required"):
        return None
    return value


class Locks:
    def __init__(self, base_config: dict | None, own_pack: str = ""):
        self.own_pack = own_pack
        self.fields: dict[tuple[str, str], dict] = {}
        self.lookups: dict[str, dict] = {}
        if base_config:
            for cid, (f, _form, _section, _parent) in field_index(base_config).items():
                if f.get("locked"):
                    rt, key = cid.split(".", 1)
                    self.fields[(rt, key)] = f
            self.lookups = {i: lk for i, lk in base_config.get("lookups", {}).items() if lk.get("locked")}

    # -- who locked it -----------------------------------------------------------------------------
    def field_origin(self, record_type: str | None, key: str, raw: dict | None = None) -> str | None:
        """The pack that locked this field, or None when the draft may change it freely."""
        base = self.fields.get((record_type or "", key))
        if base is not None:
            return base.get("origin") or self.own_pack or "the standard"
        if raw and raw.get("locked") and raw.get("origin") and raw["origin"] != self.own_pack:
            return str(raw["origin"])
        return None

    def lookup_origin(self, lookup_id: str, raw: dict | None = None) -> str | None:
        base = self.lookups.get(lookup_id)
        if base is not None:
            return base.get("origin") or self.own_pack or "the standard"
        if raw and raw.get("locked") and raw.get("origin") and raw["origin"] != self.own_pack:
            return str(raw["origin"])
        return None

    # -- refusals for edit operations -------------------------------------------------------------
    def check_field_change(self, record_type: str | None, raw: dict, changes: dict) -> None:
        key = raw.get("key", "?")
        origin = self.field_origin(record_type, key, raw)
        if origin is None:
            return
        for attr, value in changes.items():
            if attr in ALLOWED or attr == "options":
                continue
            if _value(attr, value) != _value(attr, raw.get(attr)):
                raise LockedField(
                    sentence("locked_changed", what=f"Field '{key}'", base=origin, attr=attr),
                    code="locked_changed",
                )

    def check_field_removal(self, record_type: str | None, raw: dict) -> None:
        key = raw.get("key", "?")
        origin = self.field_origin(record_type, key, raw)
        if origin is not None:
            raise LockedField(
                sentence("locked_removed", what=f"Field '{key}'", base=origin), code="locked_removed"
            )

    def check_option_edit(
        self, owner: str, origin: str | None, action: str, code: str, attr: str = ""
    ) -> None:
        """owner: lookup id or field key; action: add | remove | change (attr: retired, attrs, code)."""
        if origin is None:
            return
        if action == "add":
            raise LockedField(
                sentence("locked_lookup_extended", lookup=owner, base=origin, code=code),
                code="locked_lookup_extended",
            )
        what = f"Option '{code}' of '{owner}'"
        if action == "remove":
            raise LockedField(sentence("locked_removed", what=what, base=origin), code="locked_removed")
        raise LockedField(
            sentence("locked_changed", what=what, base=origin, attr=attr), code="locked_changed"
        )

    # -- guard over a compiled configuration --------------------------------------------------------
    def guard(self, config: dict) -> list[dict]:
        """Problems (rule, message, field) where `config` breaks a lock of the base configuration."""
        out: list[dict] = []
        index = field_index(config)
        for (rt, key), old in sorted(self.fields.items()):
            origin = old.get("origin") or self.own_pack
            what = f"Field '{key}'"
            entry = index.get(f"{rt}.{key}")
            if entry is None:
                out.append(_problem("locked_removed", key, rt, what=what, base=origin))
                continue
            new = entry[0]
            for attr in sorted((set(old) | set(new)) - _SKIP - ALLOWED):
                if _value(attr, old.get(attr)) != _value(attr, new.get(attr)):
                    out.append(_problem("locked_changed", key, rt, what=what, base=origin, attr=attr))
            if old.get("options") is not None:
                out += _options(old["options"], new.get("options") or [], key, origin, key, rt)
        for lookup_id, old in sorted(self.lookups.items()):
            origin = old.get("origin") or self.own_pack
            new = config.get("lookups", {}).get(lookup_id)
            if new is None:
                out.append(_problem("locked_removed", None, None, what=f"Lookup '{lookup_id}'", base=origin))
                continue
            out += _options(old["options"], new["options"], lookup_id, origin, None, None)
        return out


def _problem(rule: str, key: str | None, record_type: str | None, **params) -> dict:
    return {
        "rule": rule,
        "message": sentence(rule, **params),
        "severity": "error",
        "file": "",
        "line": None,
        "path": "",
        "field": key,
        "record_type": record_type,
    }


def _options(old: list, new: list, owner: str, origin: str, key, rt) -> list[dict]:
    out = []
    before = {o["code"]: o for o in old}
    after = {o["code"]: o for o in new}
    for code in after.keys() - before.keys():
        out.append(_problem("locked_lookup_extended", key, rt, lookup=owner, base=origin, code=code))
    for code in sorted(before.keys() - after.keys()):
        out.append(_problem("locked_removed", key, rt, what=f"Option '{code}' of '{owner}'", base=origin))
    for code in sorted(before.keys() & after.keys()):
        for attr in ("retired", "attrs"):
            if _value(attr, before[code].get(attr)) != _value(attr, after[code].get(attr)):
                what = f"Option '{code}' of '{owner}'"
                out.append(_problem("locked_changed", key, rt, what=what, base=origin, attr=attr))
    return out
