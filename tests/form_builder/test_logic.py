"""Expression check, autocomplete catalogues and the point-and-click condition helper."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_expression_check_ok_with_ast_and_references(as_user, caseworker):
    r = as_user(caseworker).post(
        "/api/v1/builder/expressions/check/",
        {"expr": "${age} >= 18 and selected(${protection_concerns}, 'labour')", "record_type": "case"},
        format="json",
    )
    body = r.json()
    assert r.status_code == 200 and body["ok"] and body["error"] is None
    assert body["ast"]["op"] == "and"
    assert body["references"] == ["age", "protection_concerns"] and body["functions"] == ["selected"]
    assert body["unknown_fields"] == []


def test_expression_check_syntax_error_has_column_and_expected(as_user, caseworker):
    r = as_user(caseworker).post(
        "/api/v1/builder/expressions/check/", {"expr": "concat(${age}, 'x'"}, format="json"
    )
    body = r.json()
    assert r.status_code == 200 and body["ok"] is False and body["ast"] is None
    assert body["error"]["column"] == 19 and "')'" in body["error"]["expected"]
    assert "concat(" in body["error"]["message"]


def test_expression_check_unknown_fields_in_a_draft(as_user, admin, draft, op):
    field = {"key": "kv_new", "type": "integer", "label": "New"}
    assert op(op="add_field", form="cp_registration", section="identity", field=field).status_code == 200
    url = "/api/v1/builder/expressions/check/"
    body = (
        as_user(admin)
        .post(url, {"expr": "${kv_new} > ${nope}", "record_type": "case", "draft": draft.pk}, format="json")
        .json()
    )
    assert body["ok"] is False and body["unknown_fields"] == ["nope"]
    assert body["error"]["code"] == "unknown_reference" and body["error"]["column"] == 13
    live = as_user(admin).post(url, {"expr": "${kv_new} > 1", "record_type": "case"}, format="json").json()
    assert live["unknown_fields"] == ["kv_new"]  # not published yet


def test_choice_filter_may_name_option_attributes(as_user, admin):
    body = (
        as_user(admin)
        .post(
            "/api/v1/builder/expressions/check/",
            {
                "expr": "${service_type} = ${service_type_selected} and . != ''",
                "record_type": "case",
                "field": "service_subtype",
            },
            format="json",
        )
        .json()
    )
    assert body["ok"], body


def test_expression_check_bad_inputs_are_4xx(as_user, caseworker, admin):
    url = "/api/v1/builder/expressions/check/"
    assert as_user(caseworker).post(url, {"expr": ["x"]}, format="json").status_code == 400
    assert (
        as_user(caseworker).post(url, {"expr": "1", "record_type": "nope"}, format="json").status_code == 404
    )
    assert (
        as_user(caseworker)
        .post(url, {"expr": "1", "record_type": "case", "draft": 1}, format="json")
        .status_code
        == 403
    )
    assert (
        as_user(admin)
        .post(url, {"expr": "1", "record_type": "case", "draft": 999}, format="json")
        .status_code
        == 404
    )
    assert as_user(caseworker).post(url, "not json", content_type="application/json").status_code == 400


def test_keys_functions_and_field_types(as_user, admin, draft):
    keys = as_user(admin).get(f"/api/v1/builder/drafts/{draft.pk}/keys/?record_type=case").json()
    by_key = {f["key"]: f for f in keys["fields"]}
    assert by_key["sex"]["type"] == "select_one" and by_key["sex"]["label"]["fr"] == "Sexe"
    assert {o["code"] for o in by_key["sex"]["options"]} >= {"female", "male"}
    assert by_key["kv_school_name"]["form"] == "cp_registration"
    assert as_user(admin).get(f"/api/v1/builder/drafts/{draft.pk}/keys/?record_type=zzz").status_code == 404
    functions = {f["name"]: f for f in as_user(admin).get("/api/v1/builder/functions/").json()}
    assert functions["if"]["arity"] == "3" and functions["concat"]["max_args"] is None
    assert functions["selected"]["description"]
    types = {t["type"]: t for t in as_user(admin).get("/api/v1/builder/field-types/").json()}
    assert types["subform"]["is_container"] and types["select_one"]["uses_options"]
    assert "max_length" in types["text"]["params_schema"]["properties"]


CLAUSES = [
    ([{"field": "age", "op": ">=", "value": 18}], "and", "${age} >= 18"),
    (
        [{"field": "sex", "op": "=", "value": "female"}, {"field": "age", "op": "<", "value": 5}],
        "or",
        "${sex} = 'female' or ${age} < 5",
    ),
    (
        [{"field": "protection_concerns", "op": "=", "value": "labour"}],
        "and",
        "selected(${protection_concerns}, 'labour')",
    ),
    (
        [
            {"field": "protection_concerns", "op": "not_selected", "value": "labour"},
            {"field": "name_first", "op": "not_empty"},
        ],
        "and",
        "not(selected(${protection_concerns}, 'labour')) and ${name_first} != ''",
    ),
    ([{"field": "name_first", "op": "=", "value": "it's"}], "and", '${name_first} = "it\'s"'),
    (
        [{"field": "date_of_birth", "op": ">", "value": "2010-01-31"}],
        "and",
        "${date_of_birth} > date('2010-01-31')",
    ),
]


@pytest.mark.parametrize(("clauses", "join", "expected"), CLAUSES)
def test_condition_build_and_parse_round_trip(as_user, caseworker, clauses, join, expected):
    client = as_user(caseworker)
    built = client.post(
        "/api/v1/builder/conditions/build/",
        {"clauses": clauses, "join": join, "record_type": "case"},
        format="json",
    )
    assert built.status_code == 200, built.json()
    assert built.json()["expr"] == expected and built.json()["check"]["ok"]
    parsed = client.post("/api/v1/builder/conditions/parse/", {"expr": expected}, format="json").json()
    assert parsed["simple"] and parsed["join"] == join
    canonical = [
        {**c, "op": "selected"} if c["field"] == "protection_concerns" and c["op"] == "=" else c
        for c in clauses
    ]
    assert [(c["field"], c["op"], c.get("value")) for c in parsed["clauses"]] == [
        (c["field"], c["op"], c.get("value")) for c in canonical
    ]


def test_condition_parse_refuses_complex_shapes(as_user, caseworker):
    client = as_user(caseworker)
    for expr in ("${a} > 1 and (${b} = 2 or ${c} = 3)", "${a} + 1 > 2", "if(${a}, 1, 2)"):
        assert client.post("/api/v1/builder/conditions/parse/", {"expr": expr}, format="json").json() == {
            "simple": False
        }
    bad = client.post("/api/v1/builder/conditions/parse/", {"expr": "${a} >"}, format="json").json()
    assert bad["simple"] is False and bad["error"]["column"]


def test_condition_build_bad_inputs(as_user, caseworker):
    client = as_user(caseworker)
    url = "/api/v1/builder/conditions/build/"
    for body in (
        {"clauses": [], "join": "and"},
        {"clauses": [{"field": "age", "op": "~", "value": 1}], "join": "and"},
        {"clauses": [{"field": "age", "op": ">", "value": "abc"}], "join": "and", "record_type": "case"},
        {"clauses": [{"field": "nope", "op": "=", "value": 1}], "join": "and", "record_type": "case"},
        {"clauses": [{"field": "age", "op": "=", "value": 1}], "join": "xor"},
    ):
        r = client.post(url, body, format="json")
        assert r.status_code in (400, 404) and r.json()["error"]["message"], body
