"""In-process "record changed" notifications, sent after the transaction commits.

Subscribers (the search indexer, notifications) register in their AppConfig.ready():

    from kinga.records.events import subscribe
    subscribe(lambda change: index_record(change.record_id))

A subscriber that raises is logged and does not affect other subscribers or the request.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RecordChange:
    record_id: str
    record_type: str
    action: str  # created | updated | deleted | linked
    version: int


subscribers: list[Callable[[RecordChange], None]] = []


def subscribe(fn: Callable[[RecordChange], None]) -> None:
    if fn not in subscribers:
        subscribers.append(fn)


def unsubscribe(fn: Callable[[RecordChange], None]) -> None:
    if fn in subscribers:
        subscribers.remove(fn)


def _deliver(change: RecordChange) -> None:
    for fn in list(subscribers):
        try:
            fn(change)
        except Exception:
            log.exception("record-change subscriber %r failed", fn)


def record_changed(record, action: str) -> None:
    change = RecordChange(str(record.id), record.record_type, action, record.version)
    transaction.on_commit(lambda: _deliver(change))
