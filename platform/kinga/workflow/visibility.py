"""The one place workflow and KPI code obtain records: through the records app's access rules."""

from __future__ import annotations


def visible_records(user, record_type: str):
    """Non-deleted records of `record_type` that `user` may read; every record when user is None
    (the system itself, e.g. `kinga kpis compute` producing a statutory report)."""
    from kinga.records.models import Record

    if user is None:
        return Record.objects.filter(record_type=record_type, deleted_at__isnull=True)
    try:
        from kinga.records.access import records_visible_to
    except ImportError:  # TODO(records): remove once kinga.records.access lands.
        if getattr(user, "is_superuser", False):
            return Record.objects.filter(record_type=record_type, deleted_at__isnull=True)
        # Until access rules exist, show only what the user owns: never more than that.
        return Record.objects.filter(record_type=record_type, deleted_at__isnull=True, owner=user)
    return records_visible_to(user, record_type)
