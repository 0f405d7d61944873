"""Weighted scores with a reason per field, from pack rules."""

from kinga_search.matching.scoring import Context, score_pair

from .conftest import CASE_RULES, LOCATIONS

CTX = Context(location_parents={i["code"]: i["parent"] for i in LOCATIONS if i["parent"]})
CHILD = {
    "name_first": "Mohamed",
    "name_last": "Ali",
    "date_of_birth": "2015-03-04",
    "sex": "male",
    "caregiver_name": "Halima Ali",
    "location": "KE0101",
}


def reasons(match):
    return {r["field"]: r for r in match.reasons_dicts()}


def test_duplicate_with_variant_and_swapped_date_explains_each_field():
    other = {**CHILD, "name_first": "محمد", "date_of_birth": "2015-04-03", "location": "KE0102"}
    match = score_pair(CASE_RULES, CHILD, other, CTX)
    assert match.score >= CASE_RULES["threshold"]
    why = reasons(match)
    assert why["name_first"] == {
        "field": "name_first",
        "method": "name",
        "score": 0.95,
        "detail": "spelling variant",
    }
    assert why["date_of_birth"]["detail"] == "day and month swapped"
    assert why["location"]["detail"] == "neighbouring places (same parent area)"
    assert why["sex"]["score"] == 1.0
    assert "name_other" not in why  # missing on both sides: not compared, not held against the pair


def test_sibling_sharing_surname_caregiver_and_place_is_below_threshold():
    sibling = {**CHILD, "name_first": "Amina", "sex": "female", "date_of_birth": "2017-08-19"}
    assert score_pair(CASE_RULES, CHILD, sibling, CTX).score < 0.6


def test_twin_with_another_first_name_is_below_threshold():
    twin = {**CHILD, "name_first": "Hussein"}
    base = {**CHILD, "name_first": "Hassan"}
    match = score_pair(CASE_RULES, base, twin, CTX)
    assert match.score < CASE_RULES["threshold"]
    assert reasons(match)["name_first"]["detail"] == "different"


def test_estimated_age_instead_of_date_of_birth():
    other = {k: v for k, v in CHILD.items() if k != "date_of_birth"} | {"age": 9}
    import datetime as dt

    ctx = Context(location_parents=CTX.location_parents, on_b=dt.date(2024, 5, 1))
    match = score_pair(CASE_RULES, CHILD, other, ctx)
    assert reasons(match)["date_of_birth"]["detail"].startswith("age 9 vs date of birth")
    assert match.score >= CASE_RULES["threshold"]


def test_little_shared_information_lowers_certainty():
    full = score_pair(CASE_RULES, CHILD, dict(CHILD), CTX).score
    names_only = score_pair(CASE_RULES, {"name_first": "Mohamed", "name_last": "Ali"}, CHILD, CTX).score
    assert full == 1.0 and names_only < full


def test_no_comparable_fields_scores_zero():
    assert score_pair(CASE_RULES, {}, CHILD, CTX).score == 0.0
