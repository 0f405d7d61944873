"""Token auth, the configuration endpoint (ETag/304, language), and bad input never giving a 500."""

from __future__ import annotations

import json

import pytest
from django.test import override_settings

BASE = "/api/v1/records/case/"


@pytest.fixture
def client(api_client, worker, case_config):
    api_client.force_authenticate(worker)
    return api_client


def test_token_auth(api_client, worker, case_config):
    r = api_client.post(
        "/api/v1/auth/token/", {"username": "worker", "password": "pw-Secret-123"}, format="json"
    )
    assert r.status_code == 200 and r.json()["token"]
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {r.json()['token']}")
    assert api_client.get(BASE).status_code == 200
    # the same token on a second login
    again = api_client.post(
        "/api/v1/auth/token/", {"username": "worker", "password": "pw-Secret-123"}, format="json"
    )
    assert again.json()["token"] == r.json()["token"]


@pytest.mark.parametrize(
    "body",
    [
        {"username": "worker", "password": "wrong"},
        {"username": "nobody", "password": "pw-Secret-123"},
    ],
)
def test_bad_credentials_are_a_clear_400(api_client, worker, body):
    r = api_client.post("/api/v1/auth/token/", body, format="json")
    assert r.status_code == 400
    assert r.json()["error"] == {
        "code": "invalid_credentials",
        "message": "Unknown username or wrong password.",
    }


def test_token_request_needs_both_fields(api_client, db):
    r = api_client.post("/api/v1/auth/token/", {"username": "x"}, format="json")
    assert r.status_code == 400 and r.json()["error"]["details"][0]["field"] == "password"


def test_anonymous_is_refused(api_client, case_config):
    assert api_client.get(BASE).status_code in (401, 403)
    assert api_client.get("/api/v1/config/").status_code in (401, 403)


def test_config_endpoint_etag_and_language(client, worker):
    r = client.get("/api/v1/config/")
    assert r.status_code == 200
    body = r.json()
    assert body["language"] == "en" and "record_types" in body and body["version"] >= 1
    assert body["record_types"]["case"]["label"] == {"en": "Case", "fr": "Case (fr)"}  # full maps
    etag = r["ETag"]
    assert client.get("/api/v1/config/", HTTP_IF_NONE_MATCH=etag).status_code == 304
    fr = client.get("/api/v1/config/", HTTP_IF_NONE_MATCH=etag, HTTP_ACCEPT_LANGUAGE="fr-FR,fr;q=0.9")
    assert fr.status_code == 200 and fr.json()["language"] == "fr" and fr["ETag"] != etag
    assert client.get("/api/v1/config/?lang=fr").json()["language"] == "fr"
    worker.language = "fr"
    worker.save()
    assert client.get("/api/v1/config/").json()["language"] == "fr"
    worker.roles = ["supervisor"]
    worker.save()
    assert client.get("/api/v1/config/", HTTP_IF_NONE_MATCH=etag).status_code == 200  # roles change the ETag


def test_config_etag_changes_with_a_new_version(client):
    from tests.records.factories import field, install_config

    etag = client.get("/api/v1/config/")["ETag"]
    install_config({"case": [field("x")]})
    assert client.get("/api/v1/config/", HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_unknown_record_type_is_404(client):
    for method in ("get", "post"):
        r = (
            getattr(client, method)("/api/v1/records/nope/", {"data": {}}, format="json")
            if method == "post"
            else client.get("/api/v1/records/nope/")
        )
        assert r.status_code == 404 and r.json()["error"]["code"] == "not_found"
    assert client.get("/api/v1/records/nope/x/").status_code == 404


@pytest.mark.parametrize(
    "raw,content_type",
    [
        ("{not json", "application/json"),
        ('"just a string"', "application/json"),
        ("[1, 2]", "application/json"),
        ('{"data": "x"}', "application/json"),
        ('{"data": [1]}', "application/json"),
        ('{"data": null}', "application/json"),
        ('{"data": {}, "status": {"a": 1}}', "application/json"),
        ("<xml/>", "application/xml"),
        ("[" * 5000 + "]" * 5000, "application/json"),
        ('{"data": {"name_first": {"nested": true}}}', "application/json"),
        ('{"data": {"age": [1]}}', "application/json"),
        ('{"data": {"household": [1, 2]}}', "application/json"),
        ('{"data": {"household": [{"hh_name": ["x"]}]}}', "application/json"),
        ('{"data": {"concerns": "neglect"}}', "application/json"),
        ('{"data": {"name_first": "A", "age": 1e400}}', "application/json"),
        ('{"data": {"name_first": "A", "age": NaN}}', "application/json"),
    ],
)
def test_bad_create_bodies_are_4xx(client, raw, content_type):
    r = client.generic("POST", BASE, raw, content_type=content_type)
    assert 400 <= r.status_code < 500, (r.status_code, r.content[:300])
    assert r.json()["error"]["message"]


@pytest.mark.parametrize(
    "body",
    [
        {"data": {"age": 3}},  # no version
        {"version": "one", "data": {}},
        {"version": 1, "data": "x"},
        {"version": -1, "data": {}},
        [1],
    ],
)
def test_bad_patch_bodies_are_400(client, body):
    record = client.post(BASE, {"data": {"name_first": "A"}}, format="json").json()
    r = client.patch(f"{BASE}{record['id']}/", body, format="json")
    assert r.status_code == 400, r.content


def test_huge_body_is_413(client):
    with override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1000):
        r = client.post(BASE, {"data": {"name_first": "x" * 5000}}, format="json")
    assert r.status_code == 413 and r.json()["error"]["code"] == "payload_too_large"


def test_long_text_is_a_validation_error(client):
    r = client.post(BASE, {"data": {"name_first": "x" * 5000}}, format="json")
    assert r.status_code == 400 and r.json()["error"]["details"][0]["code"] == "max_length"


def test_bad_short_id_and_page(client):
    assert (
        client.post(BASE, {"data": {"name_first": "A"}, "short_id": "CA-XXXX"}, format="json").status_code
        == 400
    )
    assert client.get(f"{BASE}?page=999").status_code == 404
    assert client.get(f"{BASE}?page=abc").status_code == 400
    assert client.get(f"{BASE}?page=0").status_code == 400
    assert client.get(f"{BASE}?page=99999999999").status_code == 400
    assert client.get(f"{BASE}?page_size=100000").status_code == 200


def test_messages_in_the_requested_language(client):
    from tests.records.factories import field, install_config

    install_config(
        {
            "case": [
                field(
                    "n",
                    "integer",
                    constraint=". > 0",
                    constraint_message={"en": "Positive please", "fr": "Positif svp"},
                )
            ]
        }
    )
    r = client.post(f"{BASE}?lang=fr", {"data": {"n": -1}}, format="json")
    assert r.json()["error"]["details"][0]["message"] == "Positif svp"
    r = client.post(BASE, {"data": {"n": -1}}, format="json", HTTP_ACCEPT_LANGUAGE="ar")
    assert r.json()["error"]["details"][0]["message"] == "Positive please"  # fallback to the pack default


def test_json_error_bodies_are_json(client):
    r = client.generic("POST", BASE, "{", content_type="application/json")
    assert json.loads(r.content)["error"]["code"] == "parse_error"


def test_unknown_api_paths_answer_the_json_envelope(api_client, db):
    r = api_client.get("/api/v1/no-such-thing/")
    assert r.status_code == 404 and r.json()["error"]["code"] == "not_found"
    r = api_client.get("/no-such-page/")
    assert r.status_code == 404 and r["Content-Type"].startswith("text/html")
