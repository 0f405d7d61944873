"""THE access seam: every record queryset the API serves and every permission question goes through
these functions, so the access-control work (pack roles, scopes, field permissions, break-glass)
changes this one file.

For now: authenticated users see non-deleted records of their own agency; superusers see all.
"""

from __future__ import annotations

from typing import Any

from .models import Record

ACTIONS = ("view", "create", "edit", "delete", "link")


def records_visible_to(user: Any, record_type: str | None = None):
    """Non-deleted records `user` may see (of one record type, or all)."""
    qs = Record.objects.filter(deleted_at__isnull=True)
    if record_type is not None:
        qs = qs.filter(record_type=record_type)
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    if user.is_superuser:
        return qs
    if user.agency_id is None:
        return qs.none()
    return qs.filter(agency_id=user.agency_id)


def can(user: Any, action: str, record_type: str, record: Record | None = None) -> bool:
    """May `user` do `action` (one of ACTIONS) on records of `record_type` (or on `record`)?"""
    if not getattr(user, "is_authenticated", False) or action not in ACTIONS:
        return False
    if user.is_superuser:
        return True
    if record is not None:
        return record.deleted_at is None and record.agency_id == user.agency_id
    return user.agency_id is not None


def visible_config(config: dict, user: Any) -> dict:
    """The part of the effective configuration `user` may see (forms, fields, roles...). For now all
    of it; the access-control issue removes hidden forms/fields and other roles' details here."""
    return config
