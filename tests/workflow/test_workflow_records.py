"""Deadline reports, "my work", transitions (validated, versioned, audited) and their API."""

from datetime import UTC, datetime

import pytest
from kinga.audit.models import AuditEvent
from kinga.core.errors import Conflict, KingaError, PermissionDenied
from kinga.workflow.deadlines import deadline_report, overdue_for
from kinga.workflow.statuses import allowed_transitions, initial_status, transition

from tests.kpis.builders import install_with, make_record

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
HIGH = {"risk_level": "high", "registration_date": "2026-03-01"}


@pytest.fixture
def people(make_user):
    install_with()
    worker = make_user(username="worker", roles=("caseworker",), agency="agency-a")
    supervisor = make_user(username="super", roles=("supervisor",), agency="agency-a")
    outsider = make_user(username="outsider", roles=("caseworker",), agency="agency-b")
    return worker, supervisor, outsider


def test_deadline_report_counts_and_items(people):
    worker, _s, _o = people
    overdue = make_record(worker, data=HIGH)
    make_record(worker, data={**HIGH, "initial_assessment_date": "2026-03-02"})
    make_record(worker, data={"risk_level": "low"})
    from kinga.records.models import Record

    report = deadline_report("case", Record.objects.all(), deadline="initial_assessment_high_risk", now=NOW)
    assert report["deadlines"][0]["counts"] == {
        "not_applicable": 1,
        "pending": 0,
        "overdue": 1,
        "met": 1,
        "late": 0,
    }
    report = deadline_report("case", Record.objects.all(), states=["overdue"], now=NOW)
    overdue_items = [i for i in report["items"] if i["deadline"] == "initial_assessment_high_risk"]
    assert [i["short_id"] for i in overdue_items] == [overdue.short_id]
    assert set(overdue_items[0]) == {
        "record_id",
        "short_id",
        "deadline",
        "state",
        "due_at",
        "due_date",
        "completed_at",
    }


def test_overdue_for_lists_only_my_open_records(people):
    worker, supervisor, _o = people
    mine = make_record(worker, data=HIGH, created_at=NOW)
    make_record(worker, data=HIGH, status="closed")
    make_record(supervisor, data=HIGH)
    items = overdue_for(worker, now=NOW)
    # Only the 72-hour assessment is overdue; the case plan (30 days) is not due yet, the closed case
    # and the supervisor's case are not mine to act on.
    assert {(i["short_id"], i["deadline"]) for i in items} == {
        (mine.short_id, "initial_assessment_high_risk")
    }
    assert all(i["record_type"] == "case" and i["state"] == "overdue" for i in items)


def test_transition_needs_approval_permission_then_writes_version_and_audit(people):
    worker, supervisor, _o = people
    case = make_record(worker, data={})
    assert case.status == initial_status("case") == "open"
    assert [t["id"] for t in allowed_transitions(case, worker)] == []  # close needs approval
    assert [t["id"] for t in allowed_transitions(case, supervisor)] == ["close"]
    with pytest.raises(PermissionDenied) as exc:
        transition(user=worker, record=case, transition_id="close")
    assert exc.value.code == "approval_required"

    closed = transition(user=supervisor, record=case, transition_id="close", reason="Goals met")
    assert (closed.status, closed.version) == ("closed", case.version + 1)
    event = AuditEvent.objects.filter(action="record.status").get()
    assert event.record_id == case.id and event.reason == "Goals met"
    assert (
        event.details["from"] == "open"
        and event.details["to"] == "closed"
        and event.details["approved"] is True
    )

    with pytest.raises(Conflict):
        transition(user=supervisor, record=closed, transition_id="close")
    with pytest.raises(KingaError) as exc:
        transition(user=supervisor, record=closed, transition_id="explode")
    assert exc.value.code == "unknown_transition"
    reopened = transition(user=worker, record=closed, transition_id="reopen")
    assert reopened.status == "open" and reopened.version == closed.version + 1


def test_stale_status_is_refused(people):
    worker, supervisor, _o = people
    case = make_record(worker, data={})
    stale = type(case).objects.get(pk=case.pk)
    transition(user=supervisor, record=case, transition_id="close")
    with pytest.raises(Conflict):
        # `stale` still says "open": the check passes, the locked re-read refuses the write.
        from kinga.workflow.actions import change_status

        change_status(user=supervisor, record=stale, to_status="closed")


def test_transition_api(people, api_client):
    worker, supervisor, outsider = people
    case = make_record(worker, data={})
    url = f"/api/v1/records/case/{case.id}/transition/"
    api_client.force_authenticate(worker)
    denied = api_client.post(url, {"transition": "close", "reason": "done"}, format="json")
    assert denied.status_code == 403 and denied.json()["error"]["code"] == "approval_required"
    api_client.force_authenticate(outsider)
    assert api_client.post(url, {"transition": "close"}, format="json").status_code == 404
    api_client.force_authenticate(supervisor)
    ok = api_client.post(
        f"/api/v1/records/case/{case.short_id}/transition/", {"transition": "close"}, format="json"
    )
    assert ok.status_code == 200, ok.content
    assert ok.json()["status"] == "closed" and ok.json()["transitions"] == [
        {"id": "reopen", "label": "Reopen", "to": "open", "requires_approval": False}
    ]
    bad = api_client.post(url, {}, format="json")
    assert bad.status_code == 400


def test_deadlines_api_is_scoped_to_visible_records(people, api_client):
    worker, _s, outsider = people
    mine = make_record(worker, data=HIGH, created_at=datetime(2026, 3, 1, tzinfo=UTC))
    make_record(outsider, data=HIGH)
    api_client.force_authenticate(worker)
    body = api_client.get("/api/v1/workflow/deadlines/?record_type=case&state=overdue").json()
    ids = {i["short_id"] for i in body["items"]}
    assert ids == {mine.short_id}
    counts = {d["id"]: d["counts"] for d in body["deadlines"]}
    assert counts["initial_assessment_high_risk"]["overdue"] == 1
    assert sum(counts["initial_assessment_high_risk"].values()) == 1  # the other agency's case is not counted
    bad_state = api_client.get("/api/v1/workflow/deadlines/", {"record_type": "case", "state": "later"})
    assert bad_state.status_code == 400, bad_state.content
    assert api_client.get("/api/v1/workflow/deadlines/?record_type=nope").status_code == 400
    mywork = api_client.get("/api/v1/workflow/my-overdue/").json()
    assert {i["short_id"] for i in mywork["items"]} == {mine.short_id}
    detail = api_client.get(f"/api/v1/records/case/{mine.id}/workflow/").json()
    assert {d["deadline"]: d["state"] for d in detail["deadlines"]}[
        "initial_assessment_high_risk"
    ] == "overdue"
