"""Keep the search backend in step with records.

kinga.records.events delivers a RecordChange after each committed write; the kernel never imports
this package, so the subscription happens in KingaSearchConfig.ready().
"""

from __future__ import annotations

import logging

from kinga.records.models import Record

from .backends import get_backend

log = logging.getLogger(__name__)


def on_record_change(change) -> None:
    """Subscriber for kinga.records.events (runs after commit)."""
    record = change.record if isinstance(change.record, Record) else None
    if record is None:
        record = Record.objects.filter(pk=change.record_id).first()
    backend = get_backend()
    if record is None or record.deleted_at is not None:
        backend.remove([change.record_id])
    elif change.action == "created":
        # A record just created in this transaction was never indexed: no stale rows to remove.
        backend.index_many([record], fresh=True)
    else:
        backend.index(record)


def reindex(record_type: str | None = None, *, clear: bool = True, chunk: int = 2000) -> int:
    """Rebuild the index from the records table (`kinga search reindex`)."""
    backend = get_backend()
    qs = Record.objects.filter(deleted_at__isnull=True).order_by("pk")
    if record_type:
        qs = qs.filter(record_type=record_type)
    if hasattr(backend, "reindex") and not record_type:
        return backend.reindex(qs.iterator(chunk_size=chunk))
    if clear and not record_type:
        backend.clear()
    elif record_type:
        backend.remove(list(qs.values_list("pk", flat=True)))
    # After a clear or remove nothing of these records is indexed: the backend may skip removals.
    return backend.index_many(qs.iterator(chunk_size=chunk), fresh=clear or bool(record_type))
