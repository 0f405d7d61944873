"""The validation engine's runtime semantics (docs/forms.md), without a database."""

from __future__ import annotations

from datetime import UTC, datetime
from types import SimpleNamespace

import pytest
from kinga.configpacks.models import ConfigVersion
from kinga.configpacks.runtime import ActiveConfig, content_hash
from kinga.formengine.engine import validate_record

from tests.records.factories import CASE_LOCATIONS, CASE_LOOKUPS, build_config, case_forms, field, section

NOW = datetime(2024, 6, 15, 12, 0, tzinfo=UTC)
_numbers = iter(range(1000, 100000))


def active(forms, **kw) -> ActiveConfig:
    config = build_config(forms, **kw)
    return ActiveConfig(
        ConfigVersion(number=next(_numbers), config=config, content_hash=content_hash(config))
    )


USER = SimpleNamespace(
    pk=1,
    username="w",
    agency=SimpleNamespace(code="agency-a"),
    location="KE",
    roles=[],
    language="en",
    time_zone="UTC",
)
USER_FR = SimpleNamespace(**{**USER.__dict__, "language": "fr"})


@pytest.fixture(scope="module")
def case():
    return active(case_forms(), lookups=CASE_LOOKUPS, locations=CASE_LOCATIONS)


def run(config, data, *, user=USER, existing=None, linked=None, record_type="case", **kw):
    return validate_record(
        config, record_type, data, user=user, existing=existing, now=NOW, linked=linked, **kw
    )


def codes(issues):
    return {(i.path, i.code) for i in issues}


def test_valid_record_is_cleaned_and_completed(case):
    result = run(case, {"name_first": " Amina ", "age": "12", "sex": "f"})
    assert result.ok, result.errors
    assert result.data["name_first"] == "Amina"
    assert result.data["age"] == 12
    assert result.data["age_group"] == "5-17"
    assert result.data["registration_date"] == "2024-06-15"  # default today()
    assert result.data["registering_agency"] == "agency-a"  # default user('agency')
    assert list(result.data)[:3] == ["name_first", "sex", "age"]  # form order


def test_unknown_keys_are_rejected_by_name(case):
    result = run(case, {"name_first": "A", "nmae_last": "B", "household": [{"hh_name": "x", "hh_nmae": 1}]})
    assert ("nmae_last", "unknown_field") in codes(result.errors)
    assert ("household[0].hh_nmae", "unknown_field") in codes(result.errors)
    assert any("nmae_last" in i.message for i in result.errors)


def test_row_field_is_not_a_top_level_key(case):
    assert ("hh_name", "unknown_field") in codes(run(case, {"name_first": "A", "hh_name": "x"}).errors)


def test_required_and_type_errors_carry_paths(case):
    result = run(case, {"age": "old", "household": [{"hh_age": 3}, {"hh_name": "B", "hh_age": "x"}]})
    assert codes(result.errors) == {
        ("name_first", "required"),
        ("age", "invalid_integer"),
        ("household[0].hh_name", "required"),
        ("household[1].hh_age", "invalid_integer"),
    }


def test_irrelevant_fields_are_cleared_and_not_required(case):
    result = run(
        case, {"name_first": "A", "in_school": "no", "school_name": "Old school", "concerns": ["neglect"]}
    )
    assert result.ok, result.errors
    assert "school_name" not in result.data
    # concern_other is required only when relevant
    result = run(case, {"name_first": "A", "concerns": ["other"]})
    assert ("concern_other", "required") in codes(result.errors)


def test_relevance_per_subform_row(case):
    result = run(
        case,
        {
            "name_first": "A",
            "household": [
                {"hh_name": "B", "hh_age": 10, "hh_school": "St Mary"},
                {"hh_name": "C", "hh_age": 30, "hh_school": "cleared"},
            ],
        },
    )
    assert result.ok, result.errors
    assert result.data["household"] == [
        {"hh_name": "B", "hh_age": 10, "hh_school": "St Mary"},
        {"hh_name": "C", "hh_age": 30},
    ]
    assert result.data["household_size"] == 2


def test_section_relevance_clears_its_fields(case):
    result = run(case, {"name_first": "A", "risk_level": "high", "closure_reason": "done"})
    assert "closure_reason" not in result.data
    result = run(case, {"name_first": "A", "risk_level": "low", "closure_reason": "done"})
    assert result.data["closure_reason"] == "done"


def test_keep_when_irrelevant():
    config = active(
        {
            "case": [
                field("flag", "tick_box"),
                field("note_kept", "text", relevant="${flag}", keep_when_irrelevant=True),
            ]
        }
    )
    assert run(config, {"note_kept": "x"}).data == {"note_kept": "x"}


def test_calculations_ignore_client_values_and_follow_dependencies():
    # c depends on b which is declared after it: computed in dependency order, not form order.
    config = active(
        {
            "case": [
                field("c", "calculated", params={"result": "integer"}, calculation="${b} * 2"),
                field("a", "integer"),
                field("b", "calculated", params={"result": "integer"}, calculation="${a} + 1"),
                field("show", "text", relevant="${c} > 10"),
            ]
        }
    )
    result = run(config, {"a": 5, "b": 100, "c": 100, "show": "yes"})
    assert result.data == {"c": 12, "a": 5, "b": 6, "show": "yes"}
    assert run(config, {"a": 1, "show": "yes"}).data == {"c": 4, "a": 1, "b": 2}


def test_calculation_sees_cleared_values():
    config = active(
        {
            "case": [
                field("has_kids", "yes_no"),
                field("kids", "integer", relevant="${has_kids} = 'yes'"),
                field("kids_plus_one", "calculated", params={"result": "integer"}, calculation="${kids} + 1"),
            ]
        }
    )
    assert run(config, {"has_kids": "no", "kids": 4}).data == {"has_kids": "no"}


def test_defaults_apply_on_create_only(case):
    existing = {"name_first": "A"}
    result = run(case, {"name_first": "A"}, existing=existing)
    assert "registration_date" not in result.data and "registering_agency" not in result.data
    # a value given on create wins over the default
    assert (
        run(case, {"name_first": "A", "registration_date": "2024-01-02"}).data["registration_date"]
        == "2024-01-02"
    )


def test_copy_from_and_linked_default_on_create(case):
    linked = {"incident": {"incident_date": "2024-05-01"}, "case": {"age": 15}}
    result = run(case, {"incident_date": "2024-05-02"}, record_type="incident", linked=linked)
    assert result.data["incident_date_copy"] == "2024-05-01"
    assert result.data["survivor_age"] == 15
    result = run(
        case, {"incident_date": "2024-05-02", "survivor_age": 16}, record_type="incident", linked=linked
    )
    assert result.data["survivor_age"] == 16
    # no link: nothing copied
    assert "incident_date_copy" not in run(case, {"incident_date": "2024-05-02"}, record_type="incident").data


def test_required_expression():
    config = active({"case": [field("age", "integer"), field("guardian", "text", required="${age} < 18")]})
    assert ("guardian", "required") in codes(run(config, {"age": 10}).errors)
    assert run(config, {"age": 30}).ok


def test_hidden_fields_are_never_required():
    config = active({"case": [field("x", "text", required=True, hidden=True)]})
    assert run(config, {}).ok
    config = active({"case": [section("s", [field("x", "text", required=True)], hidden=True)]})
    assert run(config, {}).ok


def test_constraint_error_and_translated_message(case):
    result = run(case, {"name_first": "A", "phone": "12345"})
    assert ("phone", "pattern") in codes(result.errors)
    config = active(
        {
            "case": [
                field(
                    "n",
                    "integer",
                    constraint=". mod 2 = 0",
                    constraint_message={"en": "Must be even", "fr": "Doit être pair"},
                )
            ]
        }
    )
    assert [i.message for i in run(config, {"n": 3}).errors] == ["Must be even"]
    assert [i.message for i in run(config, {"n": 3}, user=USER_FR).errors] == ["Doit être pair"]
    assert [i.message for i in run(config, {"n": 3}, lang="ar").errors] == ["Must be even"]  # fallback
    assert run(config, {"n": 4}).ok
    assert run(config, {}).ok  # constraints only apply to values


def test_default_message_without_constraint_message():
    config = active({"case": [field("n", "integer", constraint=". > 0")]})
    assert run(config, {"n": -1}).errors[0].message


def test_warnings_do_not_block(case):
    result = run(case, {"name_first": "A", "age": 19})
    assert result.ok
    assert [(w.path, w.code, w.severity) for w in result.warnings] == [("age", "age_over_18", "warning")]
    assert result.warnings[0].message == "Age over 18 in a child case"
    assert (
        run(case, {"name_first": "A", "age": 19}, user=USER_FR).warnings[0].message
        == "Âge supérieur à 18 ans"
    )


def test_choice_filter_uses_option_attributes(case):
    assert run(case, {"name_first": "A", "province": "p1", "district": "d1"}).ok
    result = run(case, {"name_first": "A", "province": "p1", "district": "d2"})
    assert ("district", "invalid_choice") in codes(result.errors)
    assert ("district", "invalid_choice") in codes(run(case, {"name_first": "A", "district": "d1"}).errors)


def test_choice_filter_on_option_code_and_row_fields():
    config = active(
        {
            "case": [
                field("kind", "select_one", options=["a", "b"]),
                field(
                    "rows",
                    "subform",
                    fields=[
                        field("group", "select_one", options=["x", "y"]),
                        field(
                            "pick",
                            "select_one",
                            options=[
                                {"code": "x1", "attrs": {"g": "x"}},
                                {"code": "y1", "attrs": {"g": "y"}},
                            ],
                            choice_filter="${g} = ${group}",
                        ),
                    ],
                ),
                field("only_a", "select_one", options=["a1", "b1"], choice_filter="starts-with(., ${kind})"),
            ]
        }
    )
    assert run(config, {"kind": "a", "only_a": "a1", "rows": [{"group": "x", "pick": "x1"}]}).ok
    result = run(config, {"kind": "a", "only_a": "b1", "rows": [{"group": "x", "pick": "y1"}]})
    assert codes(result.errors) == {("only_a", "invalid_choice"), ("rows[0].pick", "invalid_choice")}


def test_retired_options_stay_valid_when_already_held(case):
    assert ("risk_level", "invalid_choice") in codes(
        run(case, {"name_first": "A", "risk_level": "extreme"}).errors
    )
    held = {"name_first": "A", "risk_level": "extreme"}
    assert run(case, held, existing=held).ok
    assert ("risk_level", "invalid_choice") in codes(
        run(case, {"name_first": "A", "risk_level": "nope"}).errors
    )


def test_select_multiple_and_location(case):
    config = active(
        {
            "case": [
                field("where", "location", params={"levels": [1]}),
                field("concerns", "select_multiple", lookup="protection_concern"),
            ]
        },
        lookups=CASE_LOOKUPS,
        locations=CASE_LOCATIONS,
    )
    assert run(config, {"where": "KE-NBO", "concerns": ["neglect", "other"]}).ok
    result = run(config, {"where": "KE-NBO-1", "concerns": ["neglect", "bogus"]})
    assert codes(result.errors) == {("where", "location_level"), ("concerns", "invalid_choice")}


def test_subform_row_limits(case):
    rows = [{"hh_name": str(i)} for i in range(6)]
    assert ("household", "max_rows") in codes(run(case, {"name_first": "A", "household": rows}).errors)
    assert ("household", "invalid_rows") in codes(run(case, {"name_first": "A", "household": "x"}).errors)


def test_data_must_be_an_object(case):
    assert run(case, ["x"]).errors[0].code == "invalid"


def test_notes_store_nothing():
    config = active({"case": [field("intro", "note"), field("x", "text")]})
    assert run(config, {"intro": "ignored", "x": "y"}).data == {"x": "y"}


def test_archived_fields_are_kept_but_not_accepted_new():
    config = active(
        {"case": [field("x", "text")]},
        archived_fields={"old": {"type": "text", "label": {}, "archived_in": 2}},
    )
    assert run(config, {"x": "y", "old": "v"}, existing={"old": "v"}).data == {"x": "y", "old": "v"}
    assert ("old", "unknown_field") in codes(run(config, {"old": "v"}).errors)
    assert ("old", "unknown_field") in codes(run(config, {"old": "changed"}, existing={"old": "v"}).errors)


def test_empty_values_are_not_stored(case):
    result = run(case, {"name_first": "A", "name_last": "", "concerns": [], "age": None})
    assert "name_last" not in result.data and "concerns" not in result.data and "age" not in result.data


def test_messages_follow_the_user_language(case):
    # Built-in messages go through Django's translation machinery; without catalogues they stay English.
    assert run(case, {}, user=USER_FR).errors[0].message
