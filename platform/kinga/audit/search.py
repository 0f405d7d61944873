"""Queries over the audit trail for auditors: filters, CSV rows, and the break-glass report."""

from __future__ import annotations

import uuid
from datetime import date, datetime, time, timedelta

from django.db.models import QuerySet
from django.utils import timezone

from kinga.core.errors import KingaError

from .models import AuditEvent

FILTERS = ("user", "action", "record", "record_type", "from", "to", "ip")
CSV_COLUMNS = ["id", "at", "user", "action", "record_type", "record_id", "ip", "reason", "details", "hash"]


def _day(value: str, name: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise KingaError(f"'{name}' must be a date written YYYY-MM-DD.", code="invalid_date") from None


def filter_events(params) -> QuerySet:
    """?user=<username>&action=<action or prefix ending in '.'>&record=<uuid>&record_type=&from=&to=&ip="""
    qs = AuditEvent.objects.all()
    if params.get("user"):
        qs = qs.filter(username=params["user"])
    action = params.get("action")
    if action:
        qs = qs.filter(action__startswith=action) if action.endswith(".") else qs.filter(action=action)
    if params.get("record"):
        try:
            qs = qs.filter(record_id=uuid.UUID(params["record"]))
        except ValueError:
            raise KingaError("'record' must be a record id (UUID).", code="invalid_record") from None
    if params.get("record_type"):
        qs = qs.filter(record_type=params["record_type"])
    if params.get("ip"):
        qs = qs.filter(ip=params["ip"])
    tz = timezone.get_default_timezone()
    if params.get("from"):
        qs = qs.filter(at__gte=datetime.combine(_day(params["from"], "from"), time.min, tzinfo=tz))
    if params.get("to"):
        end = _day(params["to"], "to") + timedelta(days=1)
        qs = qs.filter(at__lt=datetime.combine(end, time.min, tzinfo=tz))
    return qs.order_by("-id")


def event_dict(event: AuditEvent) -> dict:
    return {
        "id": event.id,
        "at": event.at.isoformat(),
        "user": event.username or None,
        "action": event.action,
        "record_type": event.record_type or None,
        "record_id": str(event.record_id) if event.record_id else None,
        "ip": event.ip,
        "reason": event.reason,
        "details": event.details,
        "hash": event.hash,
    }


def break_glass_report(grants) -> list[dict]:
    """Each grant with what its holder did on the record while it was open."""
    out = []
    for grant in grants:
        events = AuditEvent.objects.filter(
            user_id=grant.user_id,
            record_id=grant.record_id,
            at__gte=grant.opened_at,
            at__lte=grant.expires_at,
        ).order_by("id")
        out.append(
            {
                "grant": grant.pk,
                "user": grant.user.username,
                "record_type": grant.record_type,
                "record_id": str(grant.record_id),
                "short_id": grant.record_short_id,
                "reason": grant.reason,
                "opened_at": grant.opened_at.isoformat(),
                "expires_at": grant.expires_at.isoformat(),
                "ip": grant.ip,
                "actions": [
                    {
                        "id": e.id,
                        "at": e.at.isoformat(),
                        "action": e.action,
                        "break_glass": e.details.get("break_glass"),
                    }
                    for e in events
                ],
            }
        )
    return out
