"""Request context for audit events: the client IP and extra flags, set once per request by
AuditContextMiddleware so that every event written while serving it (by any action, in any layer)
carries them without threading a request object through the domain code.

Annotators add details that depend on who acts on which record (e.g. the accounts app flags events
taken under break-glass access); apps register them in AppConfig.ready()."""

from __future__ import annotations

from contextvars import ContextVar
from typing import Any

_ip: ContextVar[str | None] = ContextVar("kinga_audit_ip", default=None)
_extra: ContextVar[dict | None] = ContextVar("kinga_audit_extra", default=None)
annotators: list = []


def register_annotator(fn) -> None:
    """fn(user, record, action) -> dict of details to merge (or {})."""
    if fn not in annotators:
        annotators.append(fn)


def current_ip() -> str | None:
    return _ip.get()


def extra_details() -> dict:
    return dict(_extra.get() or {})


def annotate(user: Any, record: Any, action: str) -> dict:
    out = extra_details()
    for fn in annotators:
        out.update(fn(user, record, action) or {})
    return out


def client_ip(request, trusted_proxies: int = 0) -> str | None:
    """REMOTE_ADDR, or the address `trusted_proxies` hops back in X-Forwarded-For when the server
    sits behind that many proxies (KINGA_TRUSTED_PROXIES). Never trust the header otherwise: a
    client could write any address into it."""
    if trusted_proxies > 0:
        forwarded = [p.strip() for p in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if p.strip()]
        if len(forwarded) >= trusted_proxies:
            return forwarded[-trusted_proxies]
    return request.META.get("REMOTE_ADDR") or None


class bind:
    """with bind(ip=..., extra={...}): events written inside carry them."""

    def __init__(self, ip: str | None = None, extra: dict | None = None):
        self.ip, self.extra = ip, extra

    def __enter__(self):
        self._tokens = (_ip.set(self.ip), _extra.set(self.extra))
        return self

    def __exit__(self, *exc):
        _ip.reset(self._tokens[0])
        _extra.reset(self._tokens[1])
        return False
