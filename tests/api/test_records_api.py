"""The records API end to end: create/list/get/patch/delete/link, errors, conflicts, languages."""

from __future__ import annotations

import pytest
from kinga.audit.models import AuditEvent

BASE = "/api/v1/records/case/"


@pytest.fixture
def client(api_client, worker, case_config):
    api_client.force_authenticate(worker)
    return api_client


def create(client, data, path=BASE, **extra):
    return client.post(path, {"data": data, **extra}, format="json")


def test_create_returns_201_with_the_full_record(client):
    r = create(client, {"name_first": "Amina", "age": 12, "sex": "f"})
    assert r.status_code == 201, r.json()
    body = r.json()
    assert set(body) == {
        "id",
        "short_id",
        "record_type",
        "module",
        "status",
        "data",
        "warnings",
        "version",
        "config_version",
        "owner",
        "agency",
        "location",
        "created_at",
        "updated_at",
        "links",
    }
    assert body["data"]["age_group"] == "5-17"
    assert body["status"] == "open" and body["version"] == 1 and body["owner"] == "worker"
    assert body["agency"] == "agency-a" and body["module"] == "child_protection"
    assert body["short_id"].startswith("CA-")


def test_validation_errors_use_the_envelope(client):
    r = create(client, {"age": "abc", "bogus": 1})
    assert r.status_code == 400
    error = r.json()["error"]
    assert error["code"] == "validation_failed" and error["message"]
    assert {(d["field"], d["code"]) for d in error["details"]} == {
        ("name_first", "required"),
        ("age", "invalid_integer"),
        ("bogus", "unknown_field"),
    }
    assert all(d["severity"] == "error" for d in error["details"])


def test_warnings_come_back_and_are_stored(client):
    r = create(client, {"name_first": "A", "age": 19})
    assert r.status_code == 201
    assert r.json()["warnings"] == [
        {
            "field": "age",
            "code": "age_over_18",
            "severity": "warning",
            "message": "Age over 18 in a child case",
        }
    ]
    fr = client.get(f"{BASE}{r.json()['id']}/?lang=fr").json()
    assert fr["warnings"][0]["message"] == "Âge supérieur à 18 ans"


def test_get_by_id_and_short_id(client):
    record = create(client, {"name_first": "A"}).json()
    assert client.get(f"{BASE}{record['id']}/").json()["id"] == record["id"]
    assert client.get(f"{BASE}{record['short_id']}/").json()["id"] == record["id"]
    assert client.get(f"{BASE}{record['short_id'].lower()}/").status_code == 200
    assert client.get(f"{BASE}CA-0000-0000-0/").status_code == 404
    assert client.get(f"/api/v1/records/incident/{record['id']}/").status_code == 404  # wrong type


def test_patch_merges_revalidates_and_bumps_version(client):
    record = create(
        client, {"name_first": "A", "in_school": "yes", "school_name": "St Mary", "age": 4}
    ).json()
    r = client.patch(
        f"{BASE}{record['id']}/", {"version": 1, "data": {"in_school": "no", "age": 9}}, format="json"
    )
    assert r.status_code == 200, r.json()
    body = r.json()
    assert body["version"] == 2
    assert "school_name" not in body["data"]  # skip-logic clears on save
    assert body["data"]["age_group"] == "5-17"  # recalculated
    assert body["data"]["name_first"] == "A"  # untouched fields kept
    r = client.patch(f"{BASE}{record['id']}/", {"version": 2, "data": {"name_first": None}}, format="json")
    assert r.status_code == 400 and r.json()["error"]["details"][0]["code"] == "required"


def test_stale_version_is_a_409_with_the_server_record(client):
    record = create(client, {"name_first": "A"}).json()
    assert (
        client.patch(
            f"{BASE}{record['id']}/", {"version": 1, "data": {"name_last": "B"}}, format="json"
        ).status_code
        == 200
    )
    r = client.patch(f"{BASE}{record['id']}/", {"version": 1, "data": {"name_last": "C"}}, format="json")
    assert r.status_code == 409
    error = r.json()["error"]
    assert error["code"] == "conflict"
    assert error["details"]["version"] == 2 and error["details"]["data"]["name_last"] == "B"


def test_delete_is_soft_then_404(client):
    record = create(client, {"name_first": "A"}).json()
    assert client.delete(f"{BASE}{record['id']}/").status_code == 204
    assert client.get(f"{BASE}{record['id']}/").status_code == 404
    assert client.delete(f"{BASE}{record['id']}/").status_code == 404
    assert client.get(BASE).json()["count"] == 0
    assert AuditEvent.objects.filter(action="record.delete").count() == 1


def test_links_and_cross_record_auto_populate(client):
    case = create(client, {"name_first": "A", "age": 15}).json()
    incident = create(client, {"incident_date": "2024-05-01"}, path="/api/v1/records/incident/").json()
    assert incident["short_id"].startswith("IN-")
    r = client.post(
        f"{BASE}{case['id']}/links/", {"to": incident["short_id"], "link_type": "incident"}, format="json"
    )
    assert r.status_code == 201, r.json()
    assert r.json()["record_id"] == incident["id"]
    links = client.get(f"{BASE}{case['id']}/").json()["links"]
    assert [(link["direction"], link["link_type"], link["record_id"]) for link in links] == [
        ("out", "incident", incident["id"])
    ]
    back = client.get(f"/api/v1/records/incident/{incident['id']}/").json()["links"]
    assert back[0]["direction"] == "in"
    dup = client.post(
        f"{BASE}{case['id']}/links/", {"to": incident["id"], "link_type": "incident"}, format="json"
    )
    assert dup.status_code == 409
    missing = client.post(f"{BASE}{case['id']}/links/", {"to": "nope", "link_type": "x"}, format="json")
    assert missing.status_code == 400


def test_list_filters_sort_and_pages(client):
    for name, age, sex in [("A", 3, "f"), ("B", 9, "m"), ("C", 12, "f"), ("D", 16, "f")]:
        last = {"C": "Chiku"}.get(name)
        assert (
            create(
                client,
                {
                    "name_first": name,
                    "name_last": last,
                    "age": age,
                    "sex": sex,
                    "concerns": ["neglect"] if age > 10 else [],
                },
            ).status_code
            == 201
        )

    def names(query):
        r = client.get(f"{BASE}?{query}")
        assert r.status_code == 200, r.json()
        return [x["data"]["name_first"] for x in r.json()["results"]]

    assert names("sex=f&age__gte=5&ordering=age") == ["C", "D"]
    assert names("ordering=-age") == ["D", "C", "B", "A"]
    assert names("ordering=name_first") == ["A", "B", "C", "D"]
    assert names("concerns=neglect&ordering=age") == ["C", "D"]
    assert names("age__lt=5") == ["A"]
    assert names("age=9") == ["B"]
    assert names("q=chiku&ordering=age") == ["C"]
    assert names("status=open&age__gt=10&ordering=-age") == ["D", "C"]
    assert names("status=closed") == []
    assert names("age_group=0-4") == ["A"]
    assert names("concerns__isnull=true&ordering=age") == ["A", "B"]
    page = client.get(f"{BASE}?page_size=2&ordering=age").json()
    assert page["count"] == 4 and len(page["results"]) == 2 and page["next"] and page["count_exact"]


def test_location_filter_includes_sub_locations(client):
    create(client, {"name_first": "A"}, location="KE-NBO-1")
    create(client, {"name_first": "B"}, location="KE-MSA")
    r = client.get(f"{BASE}?location=KE-NBO").json()
    assert [x["data"]["name_first"] for x in r["results"]] == ["A"]
    assert client.get(f"{BASE}?location=KE").json()["count"] == 2


@pytest.mark.parametrize(
    "query,code",
    [
        ("bogus=1", "invalid_filter"),
        ("age__gte=old", "invalid_filter"),
        ("name_first__gte=a", "invalid_filter"),
        ("ordering=name_last", "invalid_filter"),
        ("age__isnull=maybe", "invalid_filter"),
        ("created_at__gte=yesterday", "invalid_filter"),
        ("age__foo=1", "invalid_filter"),
    ],
)
def test_bad_filters_are_400(client, query, code):
    r = client.get(f"{BASE}?{query}")
    assert r.status_code == 400
    assert r.json()["error"]["code"] == code and r.json()["error"]["message"]


def test_agency_scoping(client, make_user, api_client):
    record = create(client, {"name_first": "A"}).json()
    other = make_user(username="other", agency="agency-b")
    api_client.force_authenticate(other)
    assert api_client.get(BASE).json()["count"] == 0
    assert api_client.get(f"{BASE}{record['id']}/").status_code == 404
    boss = make_user(username="boss", agency=None, is_superuser=True)
    api_client.force_authenticate(boss)
    assert api_client.get(BASE).json()["count"] == 1


def test_audit_events_for_each_action(client):
    record = create(client, {"name_first": "A"}).json()
    client.patch(f"{BASE}{record['id']}/", {"version": 1, "data": {"name_first": "B"}}, format="json")
    update = AuditEvent.objects.get(action="record.update")
    assert update.details["changes"] == {"name_first": {"from": "A", "to": "B"}}
    assert AuditEvent.objects.filter(action="record.create", record_id=record["id"]).exists()


def test_list_count_is_capped(client, monkeypatch):
    from kinga.api import record_pagination

    for name in "ABC":
        create(client, {"name_first": name})
    assert client.get(BASE).json()["count_exact"] is True
    monkeypatch.setattr(record_pagination, "COUNT_LIMIT", 2)
    body = client.get(f"{BASE}?page_size=1").json()
    assert body["count"] == 2 and body["count_exact"] is False and len(body["results"]) == 1
    assert body["next"] and body["previous"] is None
    last = client.get(f"{BASE}?page_size=1&page=3").json()  # paging continues past the cap
    assert last["count"] == 3 and last["count_exact"] is True and last["next"] is None and last["previous"]


def test_list_fields_parameter_trims_each_record(client):
    create(client, {"name_first": "Amina", "name_last": "Otieno", "age": 12, "sex": "f"})
    r = client.get(BASE + "?fields=name_first,age")
    assert r.status_code == 200, r.json()
    (row,) = r.json()["results"]
    assert row["data"] == {"name_first": "Amina", "age": 12}
    assert row["short_id"] and row["version"] == 1  # the record's own columns stay
    full = client.get(BASE).json()["results"][0]["data"]
    assert {"name_last", "sex"} <= set(full)
    r = client.get(BASE + "?fields=name_first,nope,%20")
    assert r.status_code == 400
    assert "nope" in r.json()["error"]["message"]
    assert client.get(BASE + "?fields=").json()["results"][0]["data"] == {}
