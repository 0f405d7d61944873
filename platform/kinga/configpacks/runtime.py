"""The active configuration at run time: one immutable ConfigVersion, cached per process by number.

`install()` is the single low-level write of a configuration version; `kinga pack apply`, rollback
and the form builder all end here.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

from django.db import connection, transaction

from kinga.core.errors import KingaError

from .models import ConfigVersion

_cache: dict[int, ActiveConfig] = {}
_lock = threading.Lock()
# Called as hook(version) inside the install transaction (e.g. records syncs pack-driven indexes).
# Apps register in AppConfig.ready(); configpacks never imports them.
install_hooks: list = []


def register_install_hook(hook) -> None:
    if hook not in install_hooks:
        install_hooks.append(hook)


class NoActiveConfig(KingaError):
    code = "no_configuration"
    status = 503

    def __init__(self) -> None:
        super().__init__(
            "No configuration has been applied yet. Run `kinga deploy --standard` or `kinga pack apply PATH`."
        )


def content_hash(config: dict) -> str:
    return hashlib.sha256(json.dumps(config, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


def compile_expr(src: str | None) -> dict | None:
    """Parse an expression once into the stored {"src", "ast"} form (raises ExpressionSyntaxError)."""
    if src is None or (isinstance(src, str) and not src.strip()):
        return None
    from kinga.formengine.expressions import parse

    return {"src": src, "ast": parse(src)}


class ActiveConfig:
    """Read-only accessors over the effective configuration document."""

    def __init__(self, version: ConfigVersion):
        self.version = version
        self.number = version.number
        self.data: dict[str, Any] = version.config
        self._derived: dict[Any, Any] = {}

    def derived(self, key: Any, build: Callable[[], Any]) -> Any:
        """Something computed from this configuration, built once: a version never changes, and
        the same ActiveConfig object serves every request until another version is applied. Callers
        must not mutate what they get back."""
        try:
            return self._derived[key]
        except KeyError:
            value = self._derived[key] = build()
            return value

    @property
    def languages(self) -> list[str]:
        return self.data.get("languages", ["en"])

    @property
    def default_language(self) -> str:
        return self.data.get("default_language", "en")

    def record_type(self, record_type: str) -> dict:
        try:
            return self.data["record_types"][record_type]
        except KeyError:
            raise KingaError(f"Unknown record type '{record_type}'.", code="unknown_record_type") from None

    def record_types(self) -> dict[str, dict]:
        return self.data.get("record_types", {})

    def forms_for(self, record_type: str) -> list[dict]:
        return [self.data["forms"][f] for f in self.record_type(record_type).get("forms", [])]

    def iter_fields(self, record_type: str) -> Iterator[tuple[dict, dict, dict]]:
        """Top-level fields of a record type as (form, section, field)."""
        for form in self.forms_for(record_type):
            for section in form["sections"]:
                for field in section["fields"]:
                    yield form, section, field

    def field(self, record_type: str, key: str) -> dict | None:
        """A field (top-level or subform child) of the record type by key; the first one wins."""
        return self.derived(("fields_by_key", record_type), lambda: self._fields_by_key(record_type)).get(key)

    def _fields_by_key(self, record_type: str) -> dict[str, dict]:
        out: dict[str, dict] = {}
        for _form, _section, field in self.iter_fields(record_type):
            out.setdefault(field["key"], field)
            for child in field.get("fields") or []:
                out.setdefault(child["key"], child)
        return out

    def lookup(self, lookup_id: str) -> dict:
        return self.data["lookups"][lookup_id]

    def options(self, field: dict) -> list[dict]:
        if field.get("lookup"):
            return self.lookup(field["lookup"])["options"]
        return field.get("options") or []

    def text(self, value: Any, lang: str | None = None) -> str:
        """Pick a translation with fallback: user language → pack default → any."""
        if value is None:
            return ""
        if isinstance(value, str):
            return value
        for candidate in (lang, self.default_language, "en"):
            if candidate and value.get(candidate):
                return value[candidate]
        return next((v for v in value.values() if v), "")


# Which version is active, remembered for a moment outside transactions: a list request redacts
# every record against the configuration, and asking the database each time cost more than the
# query itself. Versions are immutable; only the choice of active one changes, and install()
# resets the memo (other processes see a new version within ACTIVE_MEMO_SECONDS). Inside an atomic
# block (applies, tests) the database is always asked, so a rolled-back apply is never remembered.
ACTIVE_MEMO_SECONDS = 2.0
_active_memo: tuple[float, ActiveConfig] | None = None


def reset_active_memo() -> None:
    global _active_memo
    _active_memo = None


def get_active() -> ActiveConfig:
    global _active_memo
    use_memo = not connection.in_atomic_block
    if use_memo:
        memo = _active_memo
        if memo is not None and memo[0] > time.monotonic():
            return memo[1]
    active = _load_active()
    if use_memo:
        _active_memo = (time.monotonic() + ACTIVE_MEMO_SECONDS, active)
    return active


def _load_active() -> ActiveConfig:
    # The content hash is part of the key: SQLite may reuse ids and numbers after a rolled-back apply.
    row = ConfigVersion.objects.filter(is_active=True).values_list("id", "number", "content_hash").first()
    if row is None:
        raise NoActiveConfig()
    pk, number, digest = row
    cached = _cache.get(number)
    if cached is not None and cached.version.pk == pk and cached.version.content_hash == digest:
        return cached
    with _lock:
        active = ActiveConfig(ConfigVersion.objects.get(pk=pk))
        _cache.clear()
        _cache[number] = active
        return active


def install(
    config: dict,
    *,
    user=None,
    note: str = "",
    diff: dict | None = None,
    migrations: list | None = None,
    rolled_back_from: int | None = None,
) -> ConfigVersion:
    """Make `config` the active configuration as a new version. Call inside the caller's atomic block
    when data migrations must commit together with it."""
    reset_active_memo()
    transaction.on_commit(reset_active_memo)
    with transaction.atomic():
        current = ConfigVersion.objects.select_for_update().filter(is_active=True).first()
        last_number = ConfigVersion.objects.order_by("-number").values_list("number", flat=True).first() or 0
        if current:
            current.is_active = False
            current.save(update_fields=["is_active"])
        version = ConfigVersion.objects.create(
            number=last_number + 1,
            content_hash=content_hash(config),
            config=config,
            packs=config.get("packs", []),
            diff=diff or {},
            migrations=migrations or [],
            applied_by=user if getattr(user, "pk", None) else None,
            note=note,
            is_active=True,
            rolled_back_from=rolled_back_from,
        )
        for hook in install_hooks:
            hook(version)
    return version
