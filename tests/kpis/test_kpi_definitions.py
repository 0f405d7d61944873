"""Definitions are checked at pack load time: params against each kind's JSON Schema, fields, breakdowns."""

import pytest
from kinga.kpis.registry import compile_definition, full_params_schema, kpi_kinds, validate_definition

from tests.kpis.builders import base_config, kpi

KINDS = {
    "count_records", "percent_where", "median_days_between", "percent_within_deadline",
    "count_rows", "median_days_rows", "caseload",
}  # fmt: skip


def test_every_documented_kind_is_registered_with_a_schema():
    assert KINDS <= set(kpi_kinds.names())
    for name in KINDS:
        schema = full_params_schema(kpi_kinds.get(name))
        assert schema["type"] == "object"
        assert "min_cell" in schema["properties"]


def raw(*args, **kw):
    """A definition as written in kpis.yaml (expressions as source text)."""
    return kpi(*args, compiled=False, **kw)


VALID = [
    raw("a", "count_records", fields=["sex", "concerns"], params={"distinct_persons": True}, breakdowns=["sex", "concerns", "@location"]),
    raw("b", "percent_where", fields=["risk_level"], params={"numerator": "${risk_level} = 'high'"}),
    raw("c", "median_days_between", fields=["registration_date"], params={"start": "@created", "end": "registration_date"}),
    raw("d", "percent_within_deadline", fields=["registration_date", "initial_assessment_date", "risk_level"],
        params={"deadline": "initial_assessment_high_risk"}),
    raw("e", "count_rows", fields=["referrals", "referral_status", "referral_service"],
        params={"subform": "referrals", "filter": "${referral_status} = 'accepted'"}, breakdowns=["referral_service"]),
    raw("f", "median_days_rows", record_type="incident", fields=["services", "incident_date", "service_date"],
        params={"subform": "services", "start": "incident_date", "end": "service_date", "per_record": "earliest"}),
    raw("g", "caseload", params={"open_only": True, "min_cell": 5}),
    raw("h", "count_records", fields=["age", "registration_date"],
        breakdowns=[{"age_group": {"field": "age", "buckets": [0, 5, 12, 18]}}, {"month": "registration_date"},
                    {"@location": {"location_level": 1}}]),
]  # fmt: skip


def test_every_registered_kind_has_a_valid_example():
    """Meta-test: a kind registered without tests (and docs) fails here."""
    assert {d["kind"] for d in VALID} == set(kpi_kinds.names()) == KINDS


@pytest.mark.parametrize("definition", VALID, ids=lambda d: d["kind"] + ":" + d["id"])
def test_valid_definitions(definition):
    assert validate_definition(definition, base_config()) == []


INVALID = [
    (raw("x", "no_such_kind"), "unknown kind 'no_such_kind'"),
    (raw("x", "percent_where"), "'numerator' is a required property"),
    (raw("x", "count_records", params={"distinct": True}), "Additional properties"),
    (raw("x", "count_records", params={"filter": "${sex} = 'female'"}), "reads field 'sex' but does not list it"),
    (raw("x", "count_records", fields=["nope"]), "field 'nope' does not exist"),
    (raw("x", "count_records", fields=["name_first"], breakdowns=["name_first"]), "'name_first' is a text field"),
    (raw("x", "count_records", record_type="nope"), "unknown record type 'nope'"),
    (raw("x", "percent_within_deadline", params={"deadline": "nope"}), "deadline 'nope' is not defined"),
    (raw("x", "percent_within_deadline", params={"deadline": "case_plan"}), "reads field 'registration_date' (through deadline"),
    (raw("x", "count_rows", fields=["sex"], params={"subform": "sex"}), "not a subform"),
    (raw("x", "count_records", params={"filter": "${sex = 'x'"}), "params.filter"),
    (raw("x", "count_records", breakdowns=[{"age_group": {"field": "age"}}]), "breakdowns"),
]  # fmt: skip


@pytest.mark.parametrize(("definition", "expected"), INVALID, ids=[e for _d, e in INVALID])
def test_invalid_definitions_say_why(definition, expected):
    problems = validate_definition(definition, base_config())
    assert any(expected in p for p in problems), problems
    assert all(p.startswith("KPI 'x'") for p in problems)


def test_compile_definition_parses_expression_params_once():
    compiled = compile_definition(
        raw("b", "percent_where", fields=["risk_level"], params={"numerator": "${risk_level} = 'high'"})
    )
    assert compiled["params"]["numerator"]["src"] == "${risk_level} = 'high'"
    assert compiled["params"]["numerator"]["ast"]["op"] == "bin"
