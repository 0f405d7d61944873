"""In-process "record changed" notifications.

Subscribers (the search indexer, notifications) register in their AppConfig.ready():

    from kinga.records.events import subscribe
    subscribe(lambda change: index_record(change.record_id))

By default a subscriber runs after the transaction commits; one that raises is logged and does not
affect other subscribers or the request. A subscriber that keeps state in the same database (the
database search index) registers with in_transaction=True: it runs inside the write's transaction,
so the index can never disagree with the data, and if it fails the write fails with it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db import transaction

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RecordChange:
    record_id: str
    record_type: str
    action: str  # created | updated | deleted | linked
    version: int
    # The saved record itself, so an in-transaction subscriber need not read it back.
    record: object = field(default=None, compare=False, repr=False)


subscribers: list[Callable[[RecordChange], None]] = []
transactional_subscribers: list[Callable[[RecordChange], None]] = []


def subscribe(fn: Callable[[RecordChange], None], *, in_transaction: bool = False) -> None:
    target = transactional_subscribers if in_transaction else subscribers
    if fn not in target:
        target.append(fn)


def unsubscribe(fn: Callable[[RecordChange], None]) -> None:
    for target in (subscribers, transactional_subscribers):
        if fn in target:
            target.remove(fn)


@contextmanager
def held():
    """Suspend every subscriber, e.g. during a bulk load after which the index is rebuilt once."""
    saved = list(subscribers), list(transactional_subscribers)
    subscribers.clear()
    transactional_subscribers.clear()
    try:
        yield
    finally:
        subscribers[:], transactional_subscribers[:] = saved


def _deliver(change: RecordChange) -> None:
    for fn in list(subscribers):
        try:
            fn(change)
        except Exception:
            log.exception("record-change subscriber %r failed", fn)


def record_changed(record, action: str) -> None:
    change = RecordChange(str(record.id), record.record_type, action, record.version, record)
    for fn in list(transactional_subscribers):
        fn(change)
    if subscribers:
        transaction.on_commit(lambda: _deliver(change))
