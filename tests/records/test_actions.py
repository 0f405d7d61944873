"""The write path: validation, versions, audit, search text, notifications after commit."""

from __future__ import annotations

import pytest
from django.db import transaction
from kinga.audit.chain import verify
from kinga.audit.models import AuditEvent
from kinga.core.errors import Conflict, KingaError, NotFound, ValidationFailed
from kinga.records import actions, events, shortids
from kinga.records.models import Record, RecordLink

from tests.records.factories import field, install_config


def test_create_validates_and_fills_the_record(case_config, worker):
    record = actions.create_record(user=worker, record_type="case", data={"name_first": "Amina", "age": 12})
    assert record.version == 1 and record.config_version_id == case_config.version.pk
    assert record.status == "open" and record.owner == worker and record.agency == worker.agency
    assert record.module == "child_protection"
    assert shortids.is_valid(record.short_id) and record.short_id.startswith("CA-")
    assert "Amina" in record.search_text
    assert Record.objects.get(pk=record.pk).data["age_group"] == "5-17"
    assert AuditEvent.objects.filter(action="record.create", record_id=record.pk).exists()
    assert verify() == []


def test_create_refuses_invalid_data(case_config, worker):
    with pytest.raises(ValidationFailed) as exc:
        actions.create_record(user=worker, record_type="case", data={"age": -3})
    assert {d["field"] for d in exc.value.details} == {"name_first", "age"}
    assert Record.objects.count() == 0


def test_unknown_record_type(case_config, worker):
    with pytest.raises(KingaError):
        actions.create_record(user=worker, record_type="nope", data={})


def test_update_merges_and_records_a_field_diff(case_config, worker):
    record = actions.create_record(user=worker, record_type="case", data={"name_first": "A", "age": 3})
    updated = actions.update_record(
        user=worker, record=record, changes={"age": 12, "name_last": "B"}, expected_version=1
    )
    assert updated.version == 2 and updated.data["name_last"] == "B" and updated.data["age_group"] == "5-17"
    changes = AuditEvent.objects.get(action="record.update").details["changes"]
    assert changes == {
        "age": {"from": 3, "to": 12},
        "age_group": {"from": "0-4", "to": "5-17"},
        "name_last": {"from": None, "to": "B"},
    }


def test_stale_update_is_a_conflict_with_server_state(case_config, worker):
    record = actions.create_record(user=worker, record_type="case", data={"name_first": "A"})
    actions.update_record(user=worker, record=record, changes={"name_last": "B"}, expected_version=1)
    with pytest.raises(Conflict) as exc:
        actions.update_record(user=worker, record=record, changes={"name_last": "C"}, expected_version=1)
    assert exc.value.details["version"] == 2 and exc.value.details["data"]["name_last"] == "B"


def test_update_saves_the_active_config_version(case_config, worker):
    record = actions.create_record(user=worker, record_type="case", data={"name_first": "A"})
    config = install_config({"case": [field("name_first"), field("nickname")]})
    updated = actions.update_record(
        user=worker, record=record, changes={"nickname": "Ami"}, expected_version=1
    )
    assert updated.config_version_id == config.version.pk
    # values of fields the new version no longer has are kept as stored, not lost
    assert updated.data["registration_date"] == record.data["registration_date"]
    assert updated.data["nickname"] == "Ami"


def test_delete_is_soft(case_config, worker):
    record = actions.create_record(user=worker, record_type="case", data={"name_first": "A"})
    actions.delete_record(user=worker, record=record, reason="duplicate")
    assert Record.objects.get(pk=record.pk).deleted_at is not None
    assert AuditEvent.objects.get(action="record.delete").reason == "duplicate"
    with pytest.raises(NotFound):
        actions.delete_record(user=worker, record=record)
    with pytest.raises(NotFound):
        actions.update_record(user=worker, record=record, changes={}, expected_version=1)


def test_linked_from_copies_and_links(case_config, worker):
    case = actions.create_record(user=worker, record_type="case", data={"name_first": "A", "age": 15})
    incident = actions.create_record(
        user=worker, record_type="incident", data={"incident_date": "2024-05-01"}, linked_from=(case, "case")
    )
    assert incident.data["survivor_age"] == 15  # default linked('case', 'age')
    assert RecordLink.objects.filter(from_record=incident, to_record=case, link_type="case").exists()
    # linked() is available on update too (both directions of the link)
    assert actions.linked_data(incident) == {"case": case.data}
    assert actions.linked_data(case) == {"case": incident.data}


def test_link_records(case_config, worker):
    a = actions.create_record(user=worker, record_type="case", data={"name_first": "A"})
    b = actions.create_record(user=worker, record_type="case", data={"name_first": "B"})
    link = actions.link_records(user=worker, from_record=a, to_record=b, link_type="sibling")
    assert link.pk and AuditEvent.objects.filter(action="record.link").exists()
    with pytest.raises(Conflict):
        actions.link_records(user=worker, from_record=a, to_record=b, link_type="sibling")
    with pytest.raises(KingaError):
        actions.link_records(user=worker, from_record=a, to_record=a, link_type="sibling")


def test_offline_minted_short_id(case_config, worker):
    sid = shortids.mint("CA")
    record = actions.create_record(
        user=worker, record_type="case", data={"name_first": "A"}, short_id=sid.lower()
    )
    assert record.short_id == sid
    with pytest.raises(Conflict):
        actions.create_record(user=worker, record_type="case", data={"name_first": "B"}, short_id=sid)
    with pytest.raises(KingaError):
        actions.create_record(
            user=worker, record_type="case", data={"name_first": "B"}, short_id="CA-0000-0000-Z"
        )


def test_short_id_collision_is_retried(case_config, worker, monkeypatch):
    first = actions.create_record(user=worker, record_type="case", data={"name_first": "A"})
    minted = iter([first.short_id, first.short_id, shortids.mint("CA")])
    monkeypatch.setattr(shortids, "mint", lambda prefix: next(minted))
    second = actions.create_record(user=worker, record_type="case", data={"name_first": "B"})
    assert second.short_id != first.short_id


def test_notifications_fire_after_commit_only(case_config, worker, django_capture_on_commit_callbacks):
    seen = []
    events.subscribe(seen.append)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            record = actions.create_record(user=worker, record_type="case", data={"name_first": "A"})
            assert seen == []
        assert [(c.record_id, c.action, c.version) for c in seen] == [(str(record.id), "created", 1)]
        with django_capture_on_commit_callbacks(execute=True):
            try:
                with transaction.atomic():
                    actions.update_record(
                        user=worker, record=record, changes={"name_last": "B"}, expected_version=1
                    )
                    raise RuntimeError("roll back")
            except RuntimeError:
                pass
        assert len(seen) == 1  # rolled back: nobody is told
    finally:
        events.unsubscribe(seen.append)


def test_failing_subscriber_does_not_break_the_write(case_config, worker, django_capture_on_commit_callbacks):
    def boom(change):
        raise ValueError("indexer down")

    events.subscribe(boom)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            actions.create_record(user=worker, record_type="case", data={"name_first": "A"})
    finally:
        events.unsubscribe(boom)
    assert Record.objects.count() == 1
