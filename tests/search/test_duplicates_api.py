"""Duplicate check, decisions, link, merge/undo and scan, through the API and actions."""

import json

import pytest
from django.core.management import call_command
from kinga.audit.models import AuditEvent
from kinga.records.models import Record, RecordLink
from kinga_search.models import DuplicateDecision, MergeRecord

CHILD = {
    "name_first": "Mohamed",
    "name_last": "Abdullahi",
    "date_of_birth": "2015-03-04",
    "sex": "male",
    "caregiver_name": "Halima Abdullahi",
    "location": "KE0101",
}


@pytest.fixture
def client_for(api_client):
    def _client(user):
        api_client.force_authenticate(user)
        return api_client

    return _client


def check(client, data, **extra):
    response = client.post(
        "/api/v1/duplicates/check", {"record_type": "case", "data": data, **extra}, format="json"
    )
    assert response.status_code == 200, response.content
    return response


def test_check_ranks_candidates_with_reasons(make_record, agency_a_user, client_for):
    target = make_record(**CHILD)
    make_record(**{**CHILD, "name_first": "Amina", "sex": "female", "date_of_birth": "2017-01-02"})  # sibling
    body = check(
        client_for(agency_a_user), {**CHILD, "name_first": "محمد", "date_of_birth": "2015-04-03"}
    ).json()
    assert len(body["candidates"]) == 1
    top = body["candidates"][0]
    assert top["record_id"] == str(target.pk) and top["short_id"] == target.short_id
    assert top["score"] >= 0.8
    reasons = {r["field"]: r for r in top["reasons"]}
    assert reasons["name_first"]["detail"] == "spelling variant"
    assert reasons["date_of_birth"]["detail"] == "day and month swapped"
    assert set(reasons["name_first"]) == {"field", "method", "score", "detail"}


def test_restricted_candidate_reveals_no_personal_data(make_record, agency_b_user, client_for):
    target = make_record(**CHILD)  # registered by agency A
    response = check(client_for(agency_b_user), {**CHILD, "name_first": "Muhammad"})
    body = response.json()
    assert len(body["candidates"]) == 1
    entry = body["candidates"][0]
    assert entry["restricted"] is True and entry["agency"] == "Agency-A" and entry["score"] >= 0.8
    assert set(entry) == {"restricted", "agency", "score", "access_ref"}
    raw = response.content.decode()
    for secret in ("Mohamed", "Abdullahi", "Halima", "2015-03-04", str(target.pk), target.short_id, "KE0101"):
        assert secret not in raw, secret
    # The disclosure itself is audited.
    assert AuditEvent.objects.filter(action="duplicate.check_restricted", user=agency_b_user).exists()


def test_request_access_with_the_restricted_reference(make_record, agency_b_user, client_for):
    target = make_record(**CHILD)
    client = client_for(agency_b_user)
    ref = check(client, CHILD).json()["candidates"][0]["access_ref"]
    response = client.post(
        "/api/v1/duplicates/request-access",
        {"access_ref": ref, "reason": "Same child at our centre"},
        format="json",
    )
    assert response.status_code == 201 and response.json()["agency"] == "Agency-A"
    event = AuditEvent.objects.get(action="record.access_request")
    assert event.record_id == target.pk and event.user == agency_b_user
    bad = client.post(
        "/api/v1/duplicates/request-access", {"access_ref": ref + "x", "reason": "r"}, format="json"
    )
    assert bad.status_code == 400


def test_not_duplicate_decision_is_remembered(make_record, agency_a_user, client_for):
    a = make_record(**CHILD)
    b = make_record(**{**CHILD, "caregiver_name": ""})
    client = client_for(agency_a_user)
    assert check(client, b.data, record_id=str(b.pk)).json()["candidates"][0]["record_id"] == str(a.pk)
    response = client.post(
        "/api/v1/duplicates/decisions",
        {"record_a": str(a.pk), "record_b": str(b.pk), "decision": "not_duplicate", "note": "twins"},
        format="json",
    )
    assert response.status_code == 201
    assert check(client, b.data, record_id=str(b.pk)).json()["candidates"] == []
    assert AuditEvent.objects.filter(action="duplicate.not_duplicate").count() == 1


def test_link_same_person_shares_person_id_and_links(make_record, agency_a_user, client_for):
    a, b = make_record(**CHILD), make_record(**CHILD)
    assert a.person_id != b.person_id
    response = client_for(agency_a_user).post(
        "/api/v1/duplicates/decisions",
        {"record_a": str(a.pk), "record_b": str(b.pk), "decision": "same_person"},
        format="json",
    )
    assert response.status_code == 201
    a.refresh_from_db()
    b.refresh_from_db()
    assert a.person_id == b.person_id and response.json()["person_id"] == str(a.person_id)
    assert RecordLink.objects.filter(link_type="same_person").count() == 1
    assert AuditEvent.objects.filter(action="duplicate.same_person").exists()
    assert AuditEvent.objects.filter(action="record.link").exists()
    assert DuplicateDecision.objects.get().decision == "same_person"


def test_decisions_need_both_records_visible(make_record, agency_b_user, client_for):
    a, b = make_record(**CHILD), make_record(**CHILD)
    response = client_for(agency_b_user).post(
        "/api/v1/duplicates/decisions",
        {"record_a": str(a.pk), "record_b": str(b.pk), "decision": "same_person"},
        format="json",
    )
    assert response.status_code == 404


def test_merge_and_undo(make_record, agency_a_user, client_for):
    target = make_record(**{**CHILD, "caregiver_name": ""})
    source = make_record(
        **{**CHILD, "name_first": "Muhammad", "date_of_birth": "2015-04-03", "name_other": "Omar"}
    )
    client = client_for(agency_a_user)
    response = client.post(
        "/api/v1/duplicates/merge",
        {"target": str(target.pk), "source": str(source.pk), "choices": {"date_of_birth": "source"}},
        format="json",
    )
    assert response.status_code == 201, response.content
    merge = response.json()
    assert merge["choices"] == {
        "caregiver_name": "source",  # empty on the target: filled from the source
        "date_of_birth": "source",  # chosen
        "name_first": "target",  # kept
        "name_other": "source",
    }
    target.refresh_from_db()
    source.refresh_from_db()
    assert target.data["date_of_birth"] == "2015-04-03" and target.data["name_first"] == "Mohamed"
    assert target.data["caregiver_name"] == "Halima Abdullahi" and target.data["name_other"] == "Omar"
    assert source.deleted_at is not None and source.person_id == target.person_id
    assert MergeRecord.objects.get().target_before["data"]["date_of_birth"] == "2015-03-04"

    response = client.post("/api/v1/duplicates/undo-merge", {"merge_id": merge["merge_id"]}, format="json")
    assert response.status_code == 200 and response.json()["undone"] is True
    target.refresh_from_db()
    source.refresh_from_db()
    assert target.data == MergeRecord.objects.get().target_before["data"]
    assert target.data["date_of_birth"] == "2015-03-04" and not target.data.get("caregiver_name")
    assert source.deleted_at is None and source.person_id != target.person_id
    assert source.data["name_first"] == "Muhammad"
    again = client.post("/api/v1/duplicates/undo-merge", {"merge_id": merge["merge_id"]}, format="json")
    assert again.status_code == 409
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"duplicate.merge", "duplicate.undo_merge", "record.restore", "record.delete"} <= actions


def test_undo_refused_after_a_later_edit(make_record, agency_a_user):
    from kinga.records.actions import update_record
    from kinga_search.actions import merge_records, undo_merge

    target, source = make_record(**CHILD), make_record(**{**CHILD, "name_other": "Omar"})
    merge = merge_records(user=agency_a_user, target=target, source=source)
    target.refresh_from_db()
    update_record(
        user=agency_a_user, record=target, changes={"name_other": "Omari"}, expected_version=target.version
    )
    from kinga.core.errors import Conflict

    with pytest.raises(Conflict):
        undo_merge(user=agency_a_user, merge=merge)


def test_merged_record_disappears_from_checks(make_record, agency_a_user, django_capture_on_commit_callbacks):
    from kinga_search.actions import merge_records
    from kinga_search.duplicates import check as run_check

    target, source = make_record(**CHILD), make_record(**CHILD)
    with django_capture_on_commit_callbacks(execute=True):
        merge_records(user=agency_a_user, target=target, source=source)
    found = run_check("case", CHILD, agency_a_user)
    assert [c["record_id"] for c in found] == [str(target.pk)]


def test_check_validates_input(client_for, agency_a_user, search_config):
    client = client_for(agency_a_user)
    assert client.post("/api/v1/duplicates/check", {"data": {}}, format="json").status_code == 400
    response = client.post("/api/v1/duplicates/check", {"record_type": "nope", "data": {}}, format="json")
    assert response.status_code == 400 and response.json()["error"]["code"] == "unknown_record_type"
    assert client.post(
        "/api/v1/duplicates/check", {"record_type": "tracing_request", "data": {}}, format="json"
    ).json() == {"candidates": []}


def test_anonymous_is_refused(api_client, search_config):
    assert api_client.post(
        "/api/v1/duplicates/check", {"record_type": "case", "data": {}}, format="json"
    ).status_code in (401, 403)


def test_scan_command_lists_likely_pairs(make_record, capsys):
    a = make_record(**CHILD)
    b = make_record(**{**CHILD, "name_first": "Mohammed", "date_of_birth": "2015-04-03"})
    make_record(**{**CHILD, "name_first": "Amina", "sex": "female", "date_of_birth": "2018-02-02"})  # sibling
    make_record(name_first="Grace", name_last="Akinyi", date_of_birth="2014-05-05")
    call_command("dedup", "scan", "--record-type", "case", "--json")
    result = json.loads(capsys.readouterr().out)[0]
    assert result["records"] == 4
    assert [{p["a"]["record_id"], p["b"]["record_id"]} for p in result["pairs"]] == [{str(a.pk), str(b.pk)}]
    call_command("dedup", "scan")
    assert "1 likely pairs" in capsys.readouterr().out


def test_search_reindex_command(make_record, capsys):
    make_record(**CHILD)
    call_command("search", "reindex")
    assert "Indexed 1 records" in capsys.readouterr().out
    call_command("search", "status")
    assert "1 documents" in capsys.readouterr().out


def test_records_created_without_rules_still_searchable(make_record):
    from kinga_search.backends import get_backend

    tr = make_record(record_type="tracing_request", name_first="Joseph")
    assert list(get_backend().search(Record.objects.all(), "joseph").values_list("pk", flat=True)) == [tr.pk]


def test_reasons_about_hidden_fields_are_left_out(make_record, make_user, client_for):
    from kinga.configpacks.runtime import install

    from .conftest import CASEWORKER, build_config

    target = make_record(**CHILD)
    config = build_config()
    config["roles"]["restricted_worker"] = {
        **CASEWORKER,
        "id": "restricted_worker",
        "fields": {"name_last": "hidden"},
    }
    install(config, note="a role that may not see family names")
    user = make_user(username="worker_hidden", roles=("restricted_worker",), agency="agency-a")
    candidates = check(client_for(user), CHILD).json()["candidates"]
    assert candidates[0]["record_id"] == str(target.pk)
    assert "name_last" not in {r["field"] for r in candidates[0]["reasons"]}
    assert "name_first" in {r["field"] for r in candidates[0]["reasons"]}
