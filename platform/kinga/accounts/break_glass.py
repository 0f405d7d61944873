"""Break-glass: emergency, time-limited access to one record by a role allowed it (break_glass: true,
the standard pack's im_admin), with a written reason. It is never allowed on records of a module in
KINGA_BREAK_GLASS_FORBIDDEN_MODULES (GBV), nor by a role marked break_glass: false alone.

Opening it alerts the record type's supervisors (roles granting `approve`, same agency as the
record) and the auditors (roles granting `view_audit`), writes 'break_glass.open', and every audit
event the user writes on that record while the grant lasts carries details.break_glass = grant id
(see annotate_event, registered in AccountsConfig.ready)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from kinga.audit.chain import record_event
from kinga.audit.context import current_ip
from kinga.core.errors import KingaError, PermissionDenied

from . import policy
from .models import Alert, BreakGlassGrant, User

MIN_REASON = 15


def forbidden_module(module: str | None) -> bool:
    return (module or "") in set(getattr(settings, "KINGA_BREAK_GLASS_FORBIDDEN_MODULES", []))


def recipients(record: Any, config: dict) -> list[User]:
    """Supervisors of the record's type (same agency) and auditors."""
    out = []
    for candidate in User.objects.filter(is_active=True):
        if not candidate.roles:
            continue
        type_policy = policy.type_policy(candidate, record.record_type, config)
        supervisor = type_policy.allows("approve") and candidate.agency_id == record.agency_id
        auditor = policy.has_permission_anywhere(candidate, "view_audit", config)
        if supervisor or auditor:
            out.append(candidate)
    return out


def open_break_glass(*, user, record: Any, reason: str, config: dict) -> BreakGlassGrant:
    if not policy.may_break_glass(user, config):
        raise PermissionDenied(
            "Your roles do not allow emergency (break-glass) access.", code="break_glass_denied"
        )
    if forbidden_module(record.module):
        raise PermissionDenied(
            f"Emergency access is never allowed on {record.module} records.", code="break_glass_forbidden"
        )
    reason = (reason or "").strip()
    if len(reason) < MIN_REASON:
        raise KingaError(
            f"Explain the emergency (at least {MIN_REASON} characters): it is sent to supervisors and auditors.",
            code="reason_required",
        )
    now = timezone.now()
    with transaction.atomic():
        grant = BreakGlassGrant.objects.create(
            user=user,
            record_id=record.pk,
            record_type=record.record_type,
            record_short_id=record.short_id,
            reason=reason,
            opened_at=now,
            expires_at=now + timedelta(hours=settings.KINGA_BREAK_GLASS_HOURS),
            ip=current_ip(),
        )
        message = (
            f"{user.username} opened emergency access to {record.record_type} {record.short_id} "
            f"until {grant.expires_at:%Y-%m-%d %H:%M} UTC. Reason: {reason}"
        )
        Alert.objects.bulk_create(
            [
                Alert(recipient=r, kind="break_glass", message=message, record_id=record.pk)
                for r in recipients(record, config)
                if r.pk != user.pk
            ]
        )
        record_event(
            "break_glass.open",
            user=user,
            record=record,
            reason=reason,
            details={"grant": grant.pk, "expires_at": grant.expires_at.isoformat()},
        )
    return grant


def annotate_event(user: Any, record: Any, action: str) -> dict:
    """Flag events a user writes on a record while holding break-glass access to it."""
    # A record being created cannot have a grant yet (grants name existing records).
    if record is None or getattr(user, "pk", None) is None or action in ("break_glass.open", "record.create"):
        return {}
    grant = (
        BreakGlassGrant.objects.filter(user_id=user.pk, record_id=record.pk, expires_at__gt=timezone.now())
        .values_list("pk", flat=True)
        .first()
    )
    return {"break_glass": grant} if grant else {}
