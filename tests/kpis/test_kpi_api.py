"""GET /api/v1/kpis/ and /api/v1/kpis/<id>/, and `kinga kpis compute`: aggregated, scoped, de-identified."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from kinga.accounts.models import Agency

from tests.kpis.builders import install_with, kpi, make_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(system, make_user):
    install_with(
        kpi("by_sex", "count_records", fields=["sex"], breakdowns=["sex", "@agency"]),
        kpi("assessed", "percent_where", fields=["initial_assessment_date"], params={"numerator": "${initial_assessment_date} != ''"}),
    )  # fmt: skip
    other = Agency.objects.create(code="agency-b", name="Agency B")
    make_record(system, data={"name_first": "Amina", "sex": "female"})
    make_record(system, data={"name_first": "Baraka", "sex": "male"})
    make_record(system, data={"name_first": "Chausiku", "sex": "female"}, agency=other)
    return make_user(username="manager", agency="agency-a", language="fr")


def test_list_definitions_in_the_users_language(setup, api_client):
    api_client.force_authenticate(setup)
    body = api_client.get("/api/v1/kpis/").json()
    assert [k["id"] for k in body["results"]] == ["assessed", "by_sex"]
    assert body["results"][1]["label"] == "by_sex (fr)"
    assert body["results"][1]["breakdowns"] == ["sex", "@agency"]


def test_value_counts_only_records_the_user_may_see_and_never_names(setup, api_client):
    api_client.force_authenticate(setup)
    response = api_client.get("/api/v1/kpis/by_sex/?breakdown=sex")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["value"] == 2  # agency-b's record is not visible to an agency-a manager
    assert {c["key"]: c["value"] for c in body["breakdowns"]["sex"]} == {"female": 1, "male": 1}
    assert set(body) >= {"id", "label", "value", "breakdowns", "computed_at", "config_version"}
    text = response.content.decode()
    for name in ("Amina", "Baraka", "Chausiku"):
        assert name not in text


def test_errors_are_enveloped(setup, api_client):
    api_client.force_authenticate(setup)
    assert api_client.get("/api/v1/kpis/nope/").status_code == 404
    bad = api_client.get("/api/v1/kpis/by_sex/?breakdown=name_first")
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "unknown_breakdown"
    assert api_client.get("/api/v1/kpis/by_sex/?from=yesterday").json()["error"]["code"] == "invalid_date"
    api_client.force_authenticate(None)
    assert api_client.get("/api/v1/kpis/").status_code in (401, 403)


def test_management_command_prints_every_kpi(setup):
    out = StringIO()
    call_command("kpis", "compute", "--json", stdout=out)
    results = json.loads(out.getvalue())
    assert {r["id"]: r["value"] for r in results} == {"assessed": 0.0, "by_sex": 3}
    out = StringIO()
    call_command("kpis", "compute", "--id", "by_sex", stdout=out)
    assert out.getvalue().splitlines()[0] == "by_sex\tBy sex\t3"
