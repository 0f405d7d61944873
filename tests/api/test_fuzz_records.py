"""Hostile and malformed input against the records API of the standard instance: every field of every
form of every record type gets values of the wrong type, shape and size, and raw bodies that are
not JSON a browser would send. Nothing may answer 500, and a refused write must leave the stored
record as it was."""

from __future__ import annotations

import json
import random

import pytest
from kinga.records.models import Record

JUNK = [
    None,
    "",
    "   ",
    "x" * 20_000,
    0,
    -1,
    10**40,
    -(10**40),
    1.5,
    True,
    False,
    [],
    [1, 2],
    ["a", None],
    [[["deep"]]],
    {},
    {"id": "nope"},
    {"$gt": ""},
    "2024-02-30",
    "9999-99-99T99:99",
    "0000-01-01",
    "\u0000nul",
    "😀" * 50,
    "<script>alert(1)</script>",
    "${name_first}",
    "NaN",
    [{"unknown_key": 1}],
    [None, 3],
    [{}] * 300,
]

RAW_BODIES = [
    '{"data": {"age": NaN}}',
    '{"data": {"age": Infinity}}',
    '{"data": {"age": -Infinity}}',
    '{"data": ' + "[" * 5000 + "]" * 5000 + "}",
    '{"data": {"a": ' + '{"b": ' * 3000 + "1" + "}" * 3000 + "}}",
    '{"data": {"name_first": "\\ud800"}}',
    '{"data": {"x": 1e999999}}',
    "\xff\xfe{}",
    '{"data": {}, "status": {"$ne": 1}}',
    '{"data": {}, "location": ["KV"]}',
    '{"data": {}, "short_id": 12345}',
    '{"data": {}, "short_id": "' + "A" * 10_000 + '"}',
]


@pytest.fixture
def client(api_client, make_user, standard):
    user = make_user(username="fuzzer", roles=("caseworker", "gbv_caseworker"), agency="agency-a")
    api_client.force_authenticate(user)
    return api_client


def _fields(config, record_type):
    for _form, _section, field in config.iter_fields(record_type):
        yield field["key"], field
        for child in field.get("fields") or []:
            yield f"{field['key']}.{child['key']}", child


def _status_ok(response, label):
    assert response.status_code < 500, f"{label}: {response.status_code} {response.content[:400]!r}"
    assert response["Content-Type"].startswith("application/json"), label


def test_no_junk_value_in_any_field_answers_500(client, standard):
    rng = random.Random(11)
    for record_type in ("case", "tracing_request", "incident"):
        if record_type not in standard.record_types():
            continue
        base = f"/api/v1/records/{record_type}/"
        created = client.post(base, {"data": {}}, format="json")
        _status_ok(created, f"{record_type} empty create")
        existing = created.json() if created.status_code == 201 else None
        for key, _field in _fields(standard, record_type):
            top, _, child = key.partition(".")
            for junk in rng.sample(JUNK, 8):
                value = [{child: junk}] if child else junk
                r = client.post(base, {"data": {top: value}}, format="json")
                _status_ok(r, f"create {record_type}.{key}={junk!r:.60}")
                if existing is not None:
                    r = client.patch(
                        f"{base}{existing['id']}/",
                        {"version": existing["version"], "data": {top: value}},
                        format="json",
                    )
                    _status_ok(r, f"patch {record_type}.{key}={junk!r:.60}")
                    if r.status_code == 200:
                        existing = r.json()
        if existing is not None:
            stored = Record.objects.get(pk=existing["id"])
            assert stored.version == existing["version"]  # refused patches changed nothing


@pytest.mark.parametrize("raw", RAW_BODIES, ids=range(len(RAW_BODIES)))
def test_no_raw_body_answers_500(client, raw):
    before = Record.objects.count()
    r = client.generic(
        "POST", "/api/v1/records/case/", raw.encode("utf-8", "surrogatepass"), "application/json"
    )
    _status_ok(r, f"raw {raw[:60]!r}")
    assert r.status_code in (201, 400, 409, 413), r.content[:300]
    if r.status_code != 201:
        assert Record.objects.count() == before


@pytest.mark.parametrize(
    "query",
    [
        "age__gte=abc",
        "age__gte=1e999",
        "date_of_birth__lt=2024-13-45",
        "ordering=-" + "x" * 500,
        "page=99999999999999999999",
        "page_size=-5",
        "q=" + "%00" * 10,
        "q=" + "a" * 5000,
        "sex=" + "%F0%9F%98%80",
        "location=" + "K" * 500,
        "created_at__gte=not-a-date",
        "name_first__isnull=maybe",
        "sex__regex=.*",
        "data__name_first=x",
    ],
)
def test_no_list_query_answers_500(client, query):
    r = client.get(f"/api/v1/records/case/?{query}")
    _status_ok(r, query)


def test_json_dump_of_every_answer_is_valid(client):
    r = client.post("/api/v1/records/case/", {"data": {"name_first": "\u202eevil", "age": 7}}, format="json")
    _status_ok(r, "bidi")
    json.loads(r.content)


def test_nul_characters_are_refused_with_a_clear_400(client):
    before = Record.objects.count()
    for raw in ('{"data": {"name_first": "a\\u0000b"}}', '{"data": {"a\\u0000": 1}}'):
        r = client.generic("POST", "/api/v1/records/case/", raw.encode(), "application/json")
        assert r.status_code == 400, r.content
        assert "NUL" in r.json()["error"]["message"]
    r = client.get("/api/v1/records/case/?q=a%00b")
    assert r.status_code == 400 and "NUL" in r.json()["error"]["message"]
    assert Record.objects.count() == before
