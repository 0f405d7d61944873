"""Write and verify the audit hash chain."""

from __future__ import annotations

import hashlib
import ipaddress
import json
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from . import context
from .models import AuditEvent

GENESIS = "0" * 64


def _digest(prev_hash: str, payload: dict[str, Any]) -> str:
    body = json.dumps(payload, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256((prev_hash + body).encode()).hexdigest()


def _payload(event: AuditEvent) -> dict[str, Any]:
    return {
        "at": event.at.isoformat(),
        "user": event.user_id,
        "username": event.username,
        "action": event.action,
        "record_id": str(event.record_id) if event.record_id else None,
        "record_type": event.record_type,
        "ip": event.ip,
        "reason": event.reason,
        "details": event.details,
    }


def _normal_ip(ip: str | None) -> str | None:
    """The form the database stores, so the hash verifies after a round trip; junk -> None."""
    if not ip:
        return None
    try:
        return str(ipaddress.ip_address(ip))
    except ValueError:
        return None


# Any constant: the key of the PostgreSQL advisory lock that serialises appends to the chain.
_CHAIN_LOCK_KEY = 0x4B494E4741


def _lock_chain_head() -> None:
    """Serialise appends so two events can never name the same predecessor. On PostgreSQL a
    transaction-level advisory lock (SELECT ... FOR UPDATE on the last row would let a waiter
    re-read the old head after the lock holder commits, forking the chain); SQLite's immediate
    transactions already serialise writers."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK_KEY])


def _storable(value):
    """U+0000 cannot be stored in PostgreSQL text or jsonb; an audit write must never fail on it."""
    if isinstance(value, str):
        return value.replace("\x00", "\ufffd")
    if isinstance(value, dict):
        return {_storable(k): _storable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_storable(v) for v in value]
    return value


def record_event(
    action: str,
    *,
    user=None,
    record=None,
    ip: str | None = None,
    reason: str = "",
    details: dict | None = None,
    username: str | None = None,
) -> AuditEvent:
    """Append one event. Serialised with a row lock on the chain head so the chain stays linear.
    The IP defaults to the request's (audit.context); annotators add flags such as break_glass.
    `username` names the account when there is no user (a failed login)."""
    ip = _normal_ip(ip or context.current_ip())
    details = {**(details or {}), **context.annotate(user, record, action)}
    # No savepoint: inside a caller's transaction a failed audit write must fail the caller's write.
    with transaction.atomic(savepoint=False):
        _lock_chain_head()
        last = AuditEvent.objects.order_by("-id").first()
        prev = last.hash if last else GENESIS
        event = AuditEvent(
            at=timezone.now(),
            user=user if getattr(user, "pk", None) else None,
            username=_storable((getattr(user, "username", "") or username or "")[:150]),
            action=action,
            record_id=getattr(record, "id", None),
            record_type=getattr(record, "record_type", "") or "",
            ip=ip,
            reason=_storable(reason),
            details=_storable(json.loads(json.dumps(details or {}, default=str))),
            prev_hash=prev,
        )
        event.hash = _digest(prev, _payload(event))
        event.save()
        return event


def verify() -> list[str]:
    """Return a list of problems (empty when the chain is intact)."""
    problems: list[str] = []
    prev = GENESIS
    for event in AuditEvent.objects.order_by("id").iterator():
        if event.prev_hash != prev:
            problems.append(f"event {event.id}: previous-hash link broken (a row was removed or reordered)")
        if _digest(event.prev_hash, _payload(event)) != event.hash:
            problems.append(f"event {event.id}: content does not match its hash (the row was edited)")
        prev = event.hash
    return problems
