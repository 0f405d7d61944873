"""Breakdowns, filters (period, location), small-cell suppression and languages."""

from datetime import UTC, datetime

import pytest
from django.test import override_settings
from kinga.core.errors import KingaError
from kinga.kpis.compute import compute_kpi

from tests.kpis.builders import install_with, kpi, make_record

pytestmark = pytest.mark.django_db


def cells(result, name):
    return {c["key"]: c["value"] for c in result["breakdowns"][name]}


def test_age_groups_from_age_and_from_date_of_birth(system):
    install_with(
        kpi("by_age", "count_records", fields=["age"], breakdowns=[{"age_group": {"field": "age", "buckets": [0, 5, 12, 18]}}]),
        kpi("by_dob", "count_records", fields=["date_of_birth"],
            breakdowns=[{"age_group": {"field": "date_of_birth", "buckets": [0, 18]}, "id": "dob_age"}]),
    )  # fmt: skip
    for age in (3, 5, 11, 12, 17, 18, None):
        make_record(system, data={} if age is None else {"age": age})
    result = compute_kpi("by_age")
    assert [c["key"] for c in result["breakdowns"]["age_group"]] == ["0-4", "5-11", "12-17", "18+", "unknown"]
    assert cells(result, "age_group") == {"0-4": 1, "5-11": 2, "12-17": 2, "18+": 1, "unknown": 1}
    # Born 2008-03-02: 17 on 2026-03-01 (registration), 18 the day after.
    at = datetime(2026, 3, 1, 10, tzinfo=UTC)
    make_record(system, data={"date_of_birth": "2008-03-02"}, created_at=at)
    make_record(system, data={"date_of_birth": "2008-03-01"}, created_at=at)
    assert cells(compute_kpi("by_dob"), "dob_age") == {"0-17": 1, "18+": 1, "unknown": 7}


def test_select_one_cells_include_zero_options_and_not_recorded_and_translate(system):
    install_with(kpi("by_sex", "count_records", fields=["sex"], breakdowns=["sex", "in_school"]))
    make_record(system, data={"sex": "female", "in_school": "yes"})
    make_record(system, data={"sex": "female"})
    make_record(system, data={})
    result = compute_kpi("by_sex", lang="fr")
    assert result["breakdowns"]["sex"] == [
        {"key": "female", "label": "Féminin", "value": 2, "detail": {}},
        {"key": "male", "label": "Masculin", "value": 0, "detail": {}},
        {"key": None, "label": "Non renseigné", "value": 1, "detail": {}},
    ]
    assert cells(result, "in_school") == {"yes": 1, "no": 0, None: 2}
    assert result["label"] == "by_sex (fr)"


def test_location_rollup_and_location_filter(system):
    install_with(
        kpi("by_province", "count_records", breakdowns=[{"@location": {"location_level": 1}}, "@location"])
    )
    for code in ("P1D1", "P1D2", "P1", "P2D1", "KE", ""):
        make_record(system, location=code)
    result = compute_kpi("by_province")
    assert cells(result, "@location:1") == {"P1": 3, "P2": 1, None: 2}
    assert {c["key"]: c["label"] for c in result["breakdowns"]["@location:1"]}["P1"] == "Coast"
    assert compute_kpi("by_province", location="P1")["value"] == 3
    assert compute_kpi("by_province", location="P1D1")["value"] == 1
    assert compute_kpi("by_province", location="KE")["value"] == 5
    with pytest.raises(KingaError):
        compute_kpi("by_province", location="NOPE")


@override_settings(TIME_ZONE="Africa/Nairobi")
def test_period_on_created_at_uses_local_days_and_month_breakdown(system):
    install_with(kpi("registered", "count_records", breakdowns=[{"month": "@created"}]))
    # 21:30 UTC on 31 March is already 1 April in Nairobi (UTC+3).
    make_record(system, created_at=datetime(2026, 3, 31, 21, 30, tzinfo=UTC))
    make_record(system, created_at=datetime(2026, 3, 31, 20, 30, tzinfo=UTC))
    make_record(system, created_at=datetime(2026, 2, 15, 9, 0, tzinfo=UTC))
    assert cells(compute_kpi("registered"), "month") == {"2026-02": 1, "2026-03": 1, "2026-04": 1}
    assert compute_kpi("registered", date_from="2026-03-01", date_to="2026-03-31")["value"] == 1
    assert compute_kpi("registered", date_from="2026-04-01")["value"] == 1
    assert compute_kpi("registered", date_to="2026-03-31")["value"] == 2


def test_period_field_filters_on_a_date_field(system):
    install_with(
        kpi(
            "registered",
            "count_records",
            fields=["registration_date"],
            params={"period_field": "registration_date"},
        )
    )
    make_record(system, data={"registration_date": "2026-01-31"})
    make_record(system, data={"registration_date": "2026-02-01"})
    make_record(system, data={})
    assert compute_kpi("registered", date_from="2026-02-01", date_to="2026-02-28")["value"] == 1
    assert compute_kpi("registered")["value"] == 3


def test_small_cells_are_suppressed_but_zero_and_total_are_shown(system):
    install_with(kpi("by_sex", "count_records", fields=["sex"], params={"min_cell": 3}, breakdowns=["sex"]))
    for sex in ("female", "female", "female", "male"):
        make_record(system, data={"sex": sex})
    result = compute_kpi("by_sex")
    by_key = {c["key"]: c for c in result["breakdowns"]["sex"]}
    assert result["value"] == 4
    assert by_key["female"]["value"] == 3
    assert by_key["male"] == {"key": "male", "label": "Male", "value": "<3", "suppressed": True}
    # A caller may raise the threshold, never lower it below the definition's.
    assert compute_kpi("by_sex", min_cell=1)["min_cell"] == 3
    assert {c["key"]: c["value"] for c in compute_kpi("by_sex", min_cell=5)["breakdowns"]["sex"]}[
        "female"
    ] == "<5"


def test_breakdown_selection(system):
    install_with(kpi("by_sex", "count_records", fields=["sex"], breakdowns=["sex", "@status"]))
    make_record(system, data={"sex": "male"})
    assert set(compute_kpi("by_sex")["breakdowns"]) == {"sex", "@status"}
    assert set(compute_kpi("by_sex", breakdowns=["@status"])["breakdowns"]) == {"@status"}
    assert compute_kpi("by_sex", breakdowns=[])["breakdowns"] == {}
    assert cells(compute_kpi("by_sex"), "@status") == {"open": 1, "closed": 0}
    with pytest.raises(KingaError):
        compute_kpi("by_sex", breakdowns=["name_first"])
