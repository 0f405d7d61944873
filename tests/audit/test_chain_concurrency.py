"""Concurrent appends never fork the audit hash chain (PostgreSQL: real concurrent transactions)."""

import threading

import pytest
from django.db import connection
from kinga.audit import chain
from kinga.audit.models import AuditEvent


@pytest.mark.django_db(transaction=True)
def test_concurrent_appends_keep_one_linear_chain():
    if connection.vendor != "postgresql":
        pytest.skip("needs concurrent connections to a server database (PostgreSQL)")
    barrier = threading.Barrier(8)
    errors = []

    def append(n):
        from django.db import connections

        try:
            barrier.wait()
            for i in range(10):
                chain.record_event("test.concurrent", details={"thread": n, "i": i})
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=append, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert AuditEvent.objects.filter(action="test.concurrent").count() == 80
    prev_hashes = list(AuditEvent.objects.values_list("prev_hash", flat=True))
    assert len(prev_hashes) == len(set(prev_hashes)), "two events name the same predecessor"
    assert chain.verify() == []
