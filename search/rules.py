"""Duplicate rules and location hierarchy from the active configuration (pack data)."""

from __future__ import annotations

from kinga.configpacks.runtime import NoActiveConfig, get_active

_parents_cache: dict[int, dict[str, str]] = {}


def _active(config=None):
    if config is not None:
        return config
    try:
        return get_active()
    except NoActiveConfig:
        return None


def rules_for(record_type: str, config=None) -> dict | None:
    """The record type's duplicate rules, or None when the pack defines none (no detection)."""
    return all_rules(config).get(record_type)


def all_rules(config=None) -> dict[str, dict]:
    config = _active(config)
    if config is None:
        return {}
    return {rt: r for rt, r in (config.data.get("duplicate_rules") or {}).items() if r and r.get("fields")}


def location_parents(config=None) -> dict[str, str]:
    """Location code → parent code, cached per configuration version."""
    config = _active(config)
    if config is None:
        return {}
    cached = _parents_cache.get(config.number)
    if cached is None:
        items = (config.data.get("locations") or {}).get("items") or []
        cached = {i["code"]: i["parent"] for i in items if i.get("parent")}
        _parents_cache.clear()
        _parents_cache[config.number] = cached
    return cached
