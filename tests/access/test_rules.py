"""Rules the matrix does not show on its own: field-level edits, configuration filtering, break-glass,
consent, and the deny-by-default for configurations without roles."""

from datetime import timedelta

import pytest
from access_world import BASE_DATA
from django.utils import timezone

CASE = BASE_DATA["case"]


def _client(user):
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(user)
    return client


def _case(user, **extra):
    from kinga.records.actions import create_record

    return create_record(user=user, record_type="case", data={**CASE, **extra}, location="KV0101")


def test_read_only_fields_cannot_be_changed_and_are_named(standard, make_user):
    worker = make_user(username="cw", roles=["caseworker"])
    case = _case(worker)
    client = _client(worker)
    url = f"/api/v1/records/case/{case.id}/"
    r = client.patch(
        url, {"version": 1, "data": {"closure_approved": "yes", "risk_level": "high"}}, format="json"
    )
    assert r.status_code == 400
    assert r.json()["error"]["code"] == "field_not_editable"
    assert [d["field"] for d in r.json()["error"]["details"]] == ["closure_approved"]
    # sending back the current value of a read-only field is not a change
    r = client.patch(
        url, {"version": 1, "data": {"closure_approved": None, "risk_level": "high"}}, format="json"
    )
    assert r.status_code == 200, r.content
    created = client.post(
        "/api/v1/records/case/", {"data": {**CASE, "case_plan_approved": "yes"}}, format="json"
    )
    assert created.json()["error"]["code"] == "field_not_editable"


def test_masked_and_hidden_fields_in_a_response(standard, make_user):
    worker = make_user(username="cw", roles=["caseworker"])
    manager = make_user(username="mgr", roles=["cm_manager"])
    case = _case(worker, caregiver_phone="0722000111")
    data = _client(manager).get(f"/api/v1/records/case/{case.id}/").json()["data"]
    assert data["name_first"] == "A***" and data["caregiver_name"] == "H***"
    assert "caregiver_phone" not in data
    assert data["sex"] == "female"
    # no filter, sort or free-text search on what the manager cannot see (each would be an oracle)
    for query in ("name_first=Amina", "q=Amina", "ordering=name_last", "caregiver_phone=0722000111"):
        r = _client(manager).get(f"/api/v1/records/case/?{query}")
        assert r.status_code == 400 and r.json()["error"]["code"] == "invalid_filter", query
    assert _client(worker).get("/api/v1/records/case/?q=Amina").json()["count"] == 1


def test_visible_config_per_role(standard, make_user):
    notifier = _client(make_user(username="n", roles=["community_notifier"])).get("/api/v1/config/").json()
    assert set(notifier["record_types"]) == {"notification"}
    assert set(notifier["forms"]) == {"notification"}
    assert notifier["access"] == {"notification": ["create"]}
    assert set(notifier["roles"]) == {"community_notifier"}
    assert notifier["workflows"] == {} and notifier["kpis"] == {}
    manager = _client(make_user(username="m", roles=["cm_manager"])).get("/api/v1/config/").json()
    assert "cp_comprehensive_assessment" not in manager["forms"]
    assert "incident" not in manager["record_types"]
    keys = {f["key"]: f for form in manager["forms"].values() for s in form["sections"] for f in s["fields"]}
    assert "caregiver_phone" not in keys
    assert keys["name_first"]["access"] == "masked" and keys["name_first"]["read_only"] is True
    worker = _client(make_user(username="w", roles=["caseworker"])).get("/api/v1/config/").json()
    wkeys = {f["key"]: f for form in worker["forms"].values() for s in form["sections"] for f in s["fields"]}
    assert wkeys["name_first"]["access"] == "edit" and wkeys["case_plan_approved"]["read_only"] is True


def test_community_notifier_creates_but_reads_nothing_back(standard, make_user):
    client = _client(make_user(username="n", roles=["community_notifier"]))
    r = client.post("/api/v1/records/notification/", {"data": BASE_DATA["notification"]}, format="json")
    assert r.status_code == 201, r.content
    assert r.json()["data"] == {}
    assert client.get("/api/v1/records/notification/").status_code == 403
    assert client.get(f"/api/v1/records/notification/{r.json()['id']}/").status_code == 404


def test_group_scope_and_explicit_grants(standard, make_user):
    from kinga.accounts.actions import grant_record_access
    from kinga.accounts.models import UserGroup
    from kinga.records.access import can, records_visible_to

    group = UserGroup.objects.create(code="g", name="G")
    sup = make_user(username="sup", roles=["supervisor"])
    mine = make_user(username="cw1", roles=["caseworker"])
    other = make_user(username="cw2", roles=["caseworker"])
    sup.groups_kinga.add(group)
    mine.groups_kinga.add(group)
    a, b = _case(mine), _case(other)
    assert set(records_visible_to(sup, "case")) == {a}
    assert set(records_visible_to(mine, "case")) == {a}
    assert not can(other, "view", "case", a)
    grant_record_access(by=sup, user=other, record=a, reason="assigned")
    assert set(records_visible_to(other, "case")) == {a, b}
    assert can(other, "edit", "case", a)


def test_without_roles_in_the_configuration_nobody_but_superusers_acts(db, make_user, settings):
    from kinga.records.access import can, records_visible_to

    from tests.records.factories import install_case_config

    install_case_config()
    settings.KINGA_ACCESS_WITHOUT_ROLES = "deny"
    worker = make_user(username="w", roles=["caseworker"])
    assert not can(worker, "view", "case") and records_visible_to(worker, "case").count() == 0
    settings.KINGA_ACCESS_WITHOUT_ROLES = "agency"
    assert can(make_user(username="w2", roles=["caseworker"]), "view", "case")


def test_break_glass(standard, make_user):
    from kinga.accounts.models import Alert, BreakGlassGrant
    from kinga.audit.models import AuditEvent
    from kinga.records.actions import create_record

    worker = make_user(username="cw", roles=["caseworker"], agency="agency-a")
    sup = make_user(username="sup", roles=["supervisor"], agency="agency-a")
    auditor = make_user(username="aud", roles=["auditor"], agency=None)
    admin = make_user(username="adm", roles=["im_admin"], agency="agency-hq")
    gbv = make_user(username="gbv", roles=["gbv_supervisor"], agency="agency-a")
    case = _case(worker, caregiver_phone="0722000111")
    client = _client(admin)
    url = f"/api/v1/records/case/{case.id}/"
    assert "caregiver_phone" not in client.get(url).json()["data"]
    assert (
        client.post(url + "break-glass/", {"reason": "short"}, format="json").json()["error"]["code"]
        == "reason_required"
    )
    r = client.post(url + "break-glass/", {"reason": "Child reported missing, police need the caregiver phone"},
                    format="json")  # fmt: skip
    assert r.status_code == 201, r.content
    assert client.get(url).json()["data"]["caregiver_phone"] == "0722000111"
    assert client.patch(url, {"version": 1, "data": {"risk_level": "high"}}, format="json").status_code == 200
    assert {a.recipient.username for a in Alert.objects.all()} == {"sup", "aud"}
    assert AuditEvent.objects.filter(action="break_glass.open", record_id=case.id).exists()
    flagged = AuditEvent.objects.filter(record_id=case.id, details__break_glass__isnull=False)
    assert {e.action for e in flagged} >= {"record.view", "record.update"}
    report = _client(auditor).get("/api/v1/audit/break-glass/").json()["results"]
    assert report[0]["user"] == "adm" and report[0]["reason"].startswith("Child reported missing")
    assert {a["action"] for a in report[0]["actions"]} >= {"break_glass.open", "record.view", "record.update"}
    assert _client(sup).get("/api/v1/audit/break-glass/").status_code == 403
    # it expires
    BreakGlassGrant.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert "caregiver_phone" not in client.get(url).json()["data"]
    # never on GBV records, never for roles without break_glass
    incident = create_record(user=gbv, record_type="incident", data=BASE_DATA["incident"])
    r = client.post(
        f"/api/v1/records/incident/{incident.id}/break-glass/", {"reason": "x" * 40}, format="json"
    )
    assert r.status_code == 403 and r.json()["error"]["code"] == "break_glass_forbidden"
    r = _client(sup).post(url + "break-glass/", {"reason": "x" * 40}, format="json")
    assert r.status_code == 403 and r.json()["error"]["code"] == "break_glass_denied"


def test_consent_governs_links_across_modules_and_exports(standard, make_user):
    from kinga.audit.models import AuditEvent
    from kinga.records.actions import create_record

    # one person holding a CP and a GBV role (roles are a union)
    worker = make_user(username="both", roles=["caseworker", "gbv_caseworker"])
    sup = make_user(username="sup", roles=["supervisor", "gbv_supervisor"])
    case = _case(worker, data_sharing_wishes=["do_not_share"])
    incident = create_record(user=worker, record_type="incident", data=BASE_DATA["incident"])
    link = {"to": str(incident.id), "link_type": "incident"}
    url = f"/api/v1/records/case/{case.id}/links/"
    r = _client(worker).post(url, link, format="json")
    assert r.status_code == 409 and r.json()["error"]["code"] == "consent_required"
    assert "not shared" in r.json()["error"]["message"]
    r = _client(worker).post(url, {**link, "override": True, "reason": "Court order 12/2025"}, format="json")
    assert r.status_code == 403 and r.json()["error"]["code"] == "override_not_allowed"
    from kinga.accounts.actions import grant_record_access

    for record in (case, incident):
        grant_record_access(by=sup, user=sup, record=record, reason="case conference")
    r = _client(sup).post(url, {**link, "override": True, "reason": "Court order 12/2025"}, format="json")
    assert r.status_code == 201, r.content
    override = AuditEvent.objects.get(action="consent.override")
    assert override.reason == "Court order 12/2025" and override.details["purpose"] == "link"
    # the survivor's refusal to share is not overridable by a CP role
    refused = create_record(
        user=worker, record_type="incident", data={**BASE_DATA["incident"], "consent_data_share": "no"}
    )
    other_case = _case(worker)
    r = _client(worker).post(f"/api/v1/records/case/{other_case.id}/links/", {"to": str(refused.id), "link_type": "incident"},
                             format="json")  # fmt: skip
    assert r.status_code == 409 and "survivor" in r.json()["error"]["message"]

    # export leaves out the do_not_share case unless overridden
    _case(sup)
    export = _client(sup).get("/api/v1/records/case/export/")
    assert export.status_code == 200 and export["X-Kinga-Excluded"] == "1"
    assert case.short_id not in export.content.decode()
    forced = _client(sup).get(
        "/api/v1/records/case/export/?override=true&reason=Ministry%20inspection%20order"
    )
    assert forced["X-Kinga-Excluded"] == "0" and case.short_id in forced.content.decode()


def test_export_cells_cannot_run_as_formulas(standard, make_user):
    sup = make_user(username="sup", roles=["supervisor"])
    _case(sup, name_first="=HYPERLINK(1)")
    body = _client(sup).get("/api/v1/records/case/export/").content.decode()
    assert "'=HYPERLINK(1)" in body


def test_validation_and_conflict_details_are_redacted():
    """Unit level: issues on hidden or masked fields lose their field and message."""
    from types import SimpleNamespace

    from kinga.records import access

    user = SimpleNamespace(is_authenticated=True, is_active=True, is_superuser=False, roles=["r"], pk=1)
    config = {
        "record_types": {"case": {"module": "cp", "forms": ["f"]}},
        "forms": {"f": {"sections": [{"fields": [{"key": "secret"}, {"key": "open"},
                                                 {"key": "rows", "fields": [{"key": "inner"}]}]}]}},
        "roles": {"r": {"id": "r", "scope": "own", "permissions": {"case": ["view", "edit"]},
                        "fields": {"secret": "hidden", "inner": "masked"}}},
    }  # fmt: skip
    import kinga.records.access as mod

    original = mod._config
    mod._config = lambda: config
    try:
        issues = [
            {"field": "secret", "code": "required", "message": "secret is 'x'", "severity": "error"},
            {"field": "rows[0].inner", "code": "invalid", "message": "inner 'y'", "severity": "error"},
            {"field": "open", "code": "required", "message": "fine", "severity": "error"},
        ]
        out = access.redact_issues(user, "case", issues)
        assert [i["field"] for i in out] == ["", "", "open"]
        assert all("'x'" not in i["message"] and "'y'" not in i["message"] for i in out)
        data = access.redact(user, "case", {"secret": "s", "open": "o", "rows": [{"inner": "Ivy"}]})
        assert data == {"open": "o", "rows": [{"inner": "I***"}]}
        # a subform holding a field the user may not change is read-only as a whole
        with pytest.raises(Exception) as exc:
            access.check_changes(user, "case", {"rows": [{"inner": "z"}]})
        assert "rows" in str(exc.value)
    finally:
        mod._config = original
