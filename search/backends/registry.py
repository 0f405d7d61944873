"""Search backends by name; settings.KINGA_SEARCH_BACKEND picks one ("database" by default)."""

from __future__ import annotations

from django.conf import settings
from kinga.core.registry import Registry

from .base import SearchBackend

backends: Registry[type[SearchBackend]] = Registry("search backend")
_instance: SearchBackend | None = None


def get_backend() -> SearchBackend:
    global _instance
    name = getattr(settings, "KINGA_SEARCH_BACKEND", "database") or "database"
    if _instance is None or _instance.name != name:
        _instance = backends.get(name)()
    return _instance


def reset() -> None:
    """Forget the instance (tests that switch backends)."""
    global _instance
    _instance = None
