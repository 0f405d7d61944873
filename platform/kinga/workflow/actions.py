"""Workflow writes. All status changes go through `transition` (validate, write, audit)."""

from __future__ import annotations

import inspect

from django.db import transaction as db_transaction
from django.db.models import F
from django.utils import timezone

from kinga.core.errors import Conflict

from .statuses import APPROVE, check_transition


def _records_set_status():
    """The records app's status action, when it provides one (one write path for records)."""
    try:
        from kinga.records import actions
    except ImportError:
        return None
    fn = getattr(actions, "set_status", None)
    if fn is None:
        return None
    params = inspect.signature(fn).parameters
    return fn if {"user", "record", "status"} <= set(params) else None


def transition(*, user, record, transition_id: str, reason: str = ""):
    """Apply `transition_id` to `record` as `user`; returns the refreshed record."""
    t = check_transition(user=user, record=record, transition_id=transition_id)
    details = {"transition": transition_id, "from": record.status, "to": t["to"]}
    if t.get("requires_approval"):
        details["approved"] = True  # check_transition verified the 'approve' permission
    set_status = _records_set_status()
    if set_status is not None:
        kwargs = {"user": user, "record": record, "status": t["to"]}
        params = inspect.signature(set_status).parameters
        if "reason" in params:
            kwargs["reason"] = reason
        if "details" in params:
            kwargs["details"] = details
        return set_status(**kwargs)
    return change_status(user=user, record=record, to_status=t["to"], reason=reason, details=details)


def change_status(*, user, record, to_status: str, reason: str = "", details: dict | None = None):
    """Write a status change: row-locked, version incremented, audited in the same transaction.

    Callers validate first (`transition` does); refuses if the status changed since it was read."""
    from kinga.audit.chain import record_event
    from kinga.records.models import Record

    with db_transaction.atomic():
        locked = Record.objects.select_for_update().get(pk=record.pk)
        if locked.status != record.status:
            raise Conflict(
                f"The record's status changed to '{locked.status}' meanwhile; reload it and try again.",
                code="stale_status",
            )
        Record.objects.filter(pk=record.pk).update(
            status=to_status, version=F("version") + 1, updated_by=user, updated_at=timezone.now()
        )
        locked.refresh_from_db()
        record_event(
            "record.status",
            user=user,
            record=locked,
            reason=reason,
            details={"version": locked.version, **(details or {"from": record.status, "to": to_status})},
        )
        _notify(locked)
    return locked


def _notify(record) -> None:
    """Tell subscribers (search index, notifications) after commit, as records.actions does."""
    try:
        from kinga.records import events
    except ImportError:
        return
    events.record_changed(record, "updated")


__all__ = ["APPROVE", "change_status", "transition"]
