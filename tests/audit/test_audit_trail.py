"""The audit trail: append-only in the database, tamper-evident by its hash chain, complete (views,
searches, exports, logins, permission changes), and readable only by auditors."""

from io import StringIO

import pytest
from audit_fixtures import CASE
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction


def _event(action="test.event", **details):
    from kinga.audit.chain import record_event

    return record_event(action, details=details)


def test_database_refuses_update_and_delete_even_bypassing_the_model(db):
    from kinga.audit.models import AuditEvent

    event = _event()
    for attempt in (
        lambda: AuditEvent.objects.filter(pk=event.pk).update(reason="rewritten"),
        lambda: AuditEvent.objects.filter(pk=event.pk).delete(),
    ):
        with pytest.raises(DatabaseError), transaction.atomic():
            attempt()
    assert AuditEvent.objects.get(pk=event.pk).reason == ""
    with pytest.raises(RuntimeError):
        event.delete()


def _disable_triggers(cursor):
    if connection.vendor == "postgresql":
        # as a database superuser could: triggers off for this transaction only
        cursor.execute("SET LOCAL session_replication_role = replica")
    else:
        cursor.execute("DROP TRIGGER audit_auditevent_no_update")
        cursor.execute("DROP TRIGGER audit_auditevent_no_delete")


def test_verify_catches_an_edited_row(db):
    from kinga.audit.chain import verify

    events = [_event(n=i) for i in range(3)]
    out = StringIO()
    call_command("audit", "verify", stdout=out)
    assert "intact" in out.getvalue()
    with connection.cursor() as cursor:  # a database owner edits history (the test transaction rolls back)
        _disable_triggers(cursor)
        cursor.execute(
            "UPDATE audit_auditevent SET reason = %s WHERE id = %s", ["nothing to see", events[1].pk]
        )
    problems = verify()
    assert any(f"event {events[1].pk}" in p and "edited" in p for p in problems)
    with pytest.raises(CommandError, match="NOT intact"):
        call_command("audit", "verify", stdout=StringIO(), stderr=StringIO())


def test_verify_catches_a_removed_row(db):
    from kinga.audit.chain import verify

    events = [_event(n=i) for i in range(3)]
    with connection.cursor() as cursor:
        _disable_triggers(cursor)
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [events[1].pk])
    assert any(f"event {events[2].pk}" in p and "link broken" in p for p in verify())


def _client(user):
    from rest_framework.test import APIClient

    client = APIClient(REMOTE_ADDR="10.1.2.3")
    client.force_authenticate(user)
    return client


def test_views_searches_and_exports_are_audited_with_ip(standard, make_user):
    from kinga.audit.models import AuditEvent
    from kinga.records.actions import create_record

    supervisor = make_user(username="sup", roles=["supervisor"])
    case = create_record(user=supervisor, record_type="case", data=CASE)
    client = _client(supervisor)
    assert client.get(f"/api/v1/records/case/{case.id}/").status_code == 200
    assert client.get("/api/v1/records/case/?sex=female").status_code == 200
    assert client.get("/api/v1/records/case/export/").status_code == 200
    view = AuditEvent.objects.get(action="record.view")
    assert (view.username, view.record_id, view.ip) == ("sup", case.id, "10.1.2.3")
    search = AuditEvent.objects.get(action="record.search")
    assert search.details["params"] == {"sex": "female"} and search.details["returned"] == 1
    export = AuditEvent.objects.get(action="record.export")
    assert export.details["count"] == 1


def test_update_is_audited_with_a_field_level_diff(standard, make_user):
    from kinga.audit.models import AuditEvent
    from kinga.records.actions import create_record

    worker = make_user(username="cw", roles=["caseworker"])
    case = create_record(user=worker, record_type="case", data=CASE)
    r = _client(worker).patch(
        f"/api/v1/records/case/{case.id}/", {"version": 1, "data": {"risk_level": "high"}}, format="json"
    )
    assert r.status_code == 200, r.content
    event = AuditEvent.objects.get(action="record.update")
    assert event.details["changes"] == {"risk_level": {"from": "medium", "to": "high"}}


def test_auditor_searches_and_exports_but_sees_no_case_values(standard, make_user):
    from kinga.records.actions import create_record

    worker = make_user(username="cw", roles=["caseworker"])
    auditor = make_user(username="aud", roles=["auditor"])
    case = create_record(user=worker, record_type="case", data=CASE)
    _client(worker).patch(
        f"/api/v1/records/case/{case.id}/",
        {"version": 1, "data": {"caregiver_name": "Zed Secret"}},
        format="json",
    )
    client = _client(auditor)
    r = client.get("/api/v1/audit/", {"user": "cw", "action": "record.update"})
    assert r.status_code == 200
    (row,) = r.json()["results"]
    assert row["record_id"] == str(case.id)
    assert row["details"]["changes"] == {"caregiver_name": {"from": "[redacted]", "to": "[redacted]"}}
    assert "Zed Secret" not in r.content.decode()
    assert client.get("/api/v1/audit/", {"record": str(case.id)}).json()["count"] >= 2
    assert client.get("/api/v1/audit/", {"action": "record."}).json()["count"] >= 2
    assert client.get("/api/v1/audit/", {"from": "2000-01-01", "to": "2000-01-02"}).json()["count"] == 0
    assert client.get("/api/v1/audit/", {"from": "yesterday"}).status_code == 400
    csv = client.get("/api/v1/audit/export/", {"user": "cw"})
    assert csv.status_code == 200 and csv["Content-Type"].startswith("text/csv")
    assert "record.update" in csv.content.decode() and "Zed Secret" not in csv.content.decode()
    assert client.get("/api/v1/audit/verify/").json() == {"intact": True, "problems": []}
    # nobody can change the trail through the API: there is no write method
    for method in ("post", "patch", "put", "delete"):
        assert getattr(client, method)("/api/v1/audit/").status_code == 405
    assert _client(worker).get("/api/v1/audit/").status_code == 403


def test_login_failures_logout_and_role_changes_are_audited(standard, make_user, api_client):
    from kinga.audit.models import AuditEvent

    make_user(username="cw", roles=["caseworker"])
    admin = make_user(username="boss", roles=["im_admin"])
    assert (
        api_client.post(
            "/api/v1/auth/token/", {"username": "cw", "password": "wrong"}, format="json"
        ).status_code
        == 400
    )
    r = api_client.post("/api/v1/auth/token/", {"username": "cw", "password": "pw-Secret-123"}, format="json")
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {r.json()['token']}")
    assert api_client.post("/api/v1/auth/logout/").status_code == 204
    assert api_client.get("/api/v1/config/").status_code in (401, 403)  # the token is gone
    actions = list(AuditEvent.objects.filter(action__startswith="auth.").values_list("action", "username"))
    assert actions == [("auth.login_failed", "cw"), ("auth.login", "cw"), ("auth.logout", "cw")]
    from kinga.accounts.models import User

    target = User.objects.get(username="cw")
    r = _client(admin).patch(f"/api/v1/users/{target.pk}/", {"roles": ["supervisor"]}, format="json")
    assert r.status_code == 200, r.content
    change = AuditEvent.objects.get(action="user.permissions_change")
    assert change.details["changes"]["roles"] == {"from": ["caseworker"], "to": ["supervisor"]}
    assert change.username == "boss"
