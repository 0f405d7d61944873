"""Weighted scores with a reason per field, from pack rules."""

import datetime as dt
from pathlib import Path

import pytest
import yaml
from kinga_search.matching import names
from kinga_search.matching.scoring import (
    COMMON_DISCOUNT,
    Context,
    NameFrequencies,
    commonness_factor,
    score_pair,
)

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
    assert reasons(match)["name_first"]["detail"] == (
        "names differ: Hassan vs Hussein (likely siblings: other names and caregiver agree)"
    )


def test_estimated_age_instead_of_date_of_birth():
    other = {k: v for k, v in CHILD.items() if k != "date_of_birth"} | {"age": 9}
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


# ---- siblings and name frequency, with the standard pack's rules ----------------------------

RULES = yaml.safe_load((Path(__file__).parents[2] / "config_packs/standard/duplicates.yaml").read_text())[
    "case"
]

FAMILY = {
    "name_last": "Rimu",
    "sex": "female",
    "caregiver_name": "Daudi Rimu",
    "location": "KE0101",
}


def test_siblings_with_names_that_only_sound_alike_are_not_flagged():
    # "Ayen" and "Awino" share a phonetic skeleton; within one family that is two names, not a typo.
    a = {**FAMILY, "name_first": "Ayen", "date_of_birth": "2019-11-20"}
    b = {**FAMILY, "name_first": "Awino", "date_of_birth": "2019-11-20"}  # twins
    match = score_pair(RULES, a, b, CTX)
    assert match.score < 0.6
    detail = reasons(match)["name_first"]["detail"]
    assert detail == "names differ: Ayen vs Awino (likely siblings: other names and caregiver agree)"
    # Outside a family (no caregiver on one side) the same names still count as sounding alike.
    other = {k: v for k, v in b.items() if k != "caregiver_name"}
    assert reasons(score_pair(RULES, a, other, CTX))["name_first"]["detail"] == "sounds alike"


def test_clearly_different_first_names_in_one_family_weigh_more():
    a = {**FAMILY, "name_first": "Amina", "date_of_birth": "2019-11-20"}
    b = {**FAMILY, "name_first": "Zawadi", "date_of_birth": "2019-11-20"}
    family = score_pair(RULES, a, b, CTX)
    assert family.score < 0.6  # twins: everything else agrees, yet far below the threshold
    assert reasons(family)["name_first"]["detail"].startswith(
        "names differ: Amina vs Zawadi (likely siblings"
    )
    strangers = score_pair(RULES, a, {**b, "caregiver_name": "Grace Otieno"}, CTX)
    assert reasons(strangers)["name_first"]["detail"] == "different"


def test_family_members_still_match_on_typos_variants_and_other_scripts():
    base = {**FAMILY, "name_first": "Wanjiru", "date_of_birth": "2015-03-04"}
    for other in ("Wanjriu", "Wanjiku"):
        match = score_pair(RULES, base, {**base, "name_first": other}, CTX)
        assert match.score >= RULES["threshold"], other
    samira = {**FAMILY, "name_first": "Samira", "date_of_birth": "2015-03-04"}
    match = score_pair(RULES, samira, {**samira, "name_first": "سميرة"}, CTX)
    assert match.score >= RULES["threshold"]
    assert reasons(match)["name_first"]["detail"] == "sounds alike"


def _frequencies(**shares: float):
    # 100,000 records; each name key carried by the given share of them.
    counts = {names.name_keys(n)[0]: int(s * 100_000) for n, s in shares.items()}
    return NameFrequencies(counts, 100_000)


def test_common_name_pair_with_compatible_ages_is_below_threshold():
    freq = _frequencies(Mohamed=0.05, Ali=0.04)
    ctx = Context(location_parents=CTX.location_parents, name_frequency=freq, on_b=dt.date(2024, 5, 1))
    a = {
        "name_first": "Mohamed",
        "name_last": "Ali",
        "sex": "male",
        "date_of_birth": "2015-03-04",
        "location": "KE0101",
    }
    b = {"name_first": "Mohamed", "name_last": "Ali", "sex": "male", "age": 9, "location": "KE0201"}
    plain = score_pair(RULES, a, b, Context(location_parents=CTX.location_parents, on_b=dt.date(2024, 5, 1)))
    weighted = score_pair(RULES, a, b, ctx)
    assert weighted.score < RULES["threshold"] <= plain.score
    why = reasons(weighted)
    assert why["name_first"]["detail"] == "same; common name (about 1 in 20 records): weaker evidence"
    assert why["name_first"]["score"] == 0.8
    assert why["name_last"]["detail"].endswith("common name (about 1 in 25 records): weaker evidence")


def test_exact_date_of_birth_keeps_a_common_name_pair_above_threshold():
    ctx = Context(location_parents=CTX.location_parents, name_frequency=_frequencies(Mohamed=0.05, Ali=0.04))
    other = {**CHILD, "caregiver_name": "", "location": "KE0201"}
    assert score_pair(RULES, CHILD, other, ctx).score >= RULES["threshold"]


def test_rare_name_typo_pair_is_above_threshold():
    freq = _frequencies(Mohamed=0.05, Ali=0.04, Nyandeng=0.0002, Makuei=0.0003)
    ctx = Context(location_parents=CTX.location_parents, name_frequency=freq, on_b=dt.date(2024, 5, 1))
    a = {
        "name_first": "Nyandeng",
        "name_last": "Makuei",
        "sex": "female",
        "date_of_birth": "2015-03-04",
        "location": "KE0101",
    }
    b = {"name_first": "Nyandneg", "name_last": "Makuei", "sex": "female", "age": 9, "location": "KE0201"}
    match = score_pair(RULES, a, b, ctx)
    assert match.score >= RULES["threshold"]
    assert "common name" not in reasons(match)["name_first"]["detail"]


def test_commonness_factor_scale():
    assert commonness_factor(None) == commonness_factor(0.0005) == 1.0
    assert commonness_factor(0.05) == commonness_factor(0.5) == pytest.approx(1 - COMMON_DISCOUNT)
    assert 1 - COMMON_DISCOUNT < commonness_factor(0.007) < 1.0


def test_too_few_records_give_no_frequency_estimate():
    freq = NameFrequencies({names.name_keys("Mohamed")[0]: 400}, 500)
    assert freq.share_of("Mohamed") is None


def test_frequencies_from_year_keys():
    mt = names.name_keys("Mohamed")[0]
    freq = NameFrequencies.from_year_keys([(f"b:{mt}:2015", 30), (f"b:{mt}:2016", 20), ("q:X|Y", 9)], 1000)
    assert freq.share_of("Muhammad") == pytest.approx(0.05)
    assert freq.share_of("Grace") is None
