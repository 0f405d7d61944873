"""Every KPI kind against hand-computed values, on the real database."""

from datetime import UTC, datetime

import pytest
from kinga.accounts.models import Agency
from kinga.kpis.compute import compute_kpi

from tests.kpis.builders import install_with, kpi, make_record, same_person

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


def agency(code):
    return Agency.objects.get_or_create(code=code, defaults={"name": code.upper()})[0]


def cells(result, name):
    return {c["key"]: c["value"] for c in result["breakdowns"][name]}


def test_unique_children_one_child_three_agencies_three_concerns_counts_once(system):
    """The lesson: one child referred between three agencies with three concerns each was reported
    as seven cases. Unique children must count 1; each concern cell counts the child once."""
    install_with(
        kpi("unique_children", "count_records", fields=["concerns"], params={"distinct_persons": True},
            breakdowns=["concerns", "@agency"]),
        kpi("case_records", "count_records"),
    )  # fmt: skip
    concerns = [
        ["physical_violence", "neglect", "child_labour"],
        ["neglect", "child_labour", "sexual_violence"],
        ["physical_violence", "neglect", "sexual_violence"],
    ]
    records = [
        make_record(system, data={"concerns": c}, agency=agency(a))
        for c, a in zip(concerns, "abc", strict=True)
    ]
    same_person(*records)

    result = compute_kpi("unique_children")
    assert result["value"] == 1
    assert cells(result, "concerns") == {
        "physical_violence": 1, "neglect": 1, "child_labour": 1, "sexual_violence": 1,
    }  # fmt: skip
    assert cells(result, "@agency") == {"a": 1, "b": 1, "c": 1}
    assert compute_kpi("case_records")["value"] == 3  # three records, one child

    other = make_record(system, data={"concerns": ["neglect"]})
    assert other.person_id != records[0].person_id
    result = compute_kpi("unique_children")
    assert result["value"] == 2
    assert cells(result, "concerns")["neglect"] == 2


def test_count_records_filter_and_deleted_records_excluded(system):
    install_with(
        kpi("high", "count_records", fields=["risk_level"], params={"filter": "${risk_level} = 'high'"})
    )
    make_record(system, data={"risk_level": "high"})
    make_record(system, data={"risk_level": "low"})
    gone = make_record(system, data={"risk_level": "high"})
    from kinga.records.actions import delete_record

    delete_record(user=system, record=gone)
    assert compute_kpi("high")["value"] == 1


def test_percent_where(system):
    install_with(
        kpi("assessed_high", "percent_where", fields=["risk_level", "initial_assessment_date"],
            params={"denominator": "${risk_level} = 'high'", "numerator": "${initial_assessment_date} != ''"})
    )  # fmt: skip
    make_record(system, data={"risk_level": "high", "initial_assessment_date": "2026-03-02"})
    make_record(system, data={"risk_level": "high"})
    make_record(system, data={"risk_level": "high"})
    make_record(system, data={"risk_level": "low", "initial_assessment_date": "2026-03-02"})
    result = compute_kpi("assessed_high")
    assert result["value"] == 33.3
    assert result["detail"] == {"numerator": 1, "denominator": 3}


def test_median_days_between_skips_missing_and_negative(system):
    install_with(
        kpi("to_plan", "median_days_between", fields=["registration_date", "case_plan_date"],
            params={"start": "registration_date", "end": "case_plan_date"})
    )  # fmt: skip
    for reg, plan in [("2026-03-01", "2026-03-03"), ("2026-03-01", "2026-03-05"), ("2026-02-01", "2026-02-11"),
                      ("2026-03-05", "2026-03-04"), ("2026-03-01", None)]:  # fmt: skip
        make_record(system, data={"registration_date": reg, **({"case_plan_date": plan} if plan else {})})
    result = compute_kpi("to_plan")
    assert result["value"] == 4
    assert result["detail"] == {"median": 4, "mean": 5.3, "n": 3}


def test_percent_within_deadline(system):
    install_with(
        kpi("ia_on_time", "percent_within_deadline",
            fields=["registration_date", "initial_assessment_date", "risk_level"],
            params={"deadline": "initial_assessment_high_risk"})
    )  # fmt: skip
    high = {"risk_level": "high", "registration_date": "2026-03-01"}
    make_record(system, data={**high, "initial_assessment_date": "2026-03-04"})  # due day itself: met
    make_record(system, data={**high, "initial_assessment_date": "2026-03-05"})  # late
    make_record(system, data=high)  # overdue on 10 March
    make_record(system, data={**high, "registration_date": "2026-03-09"})  # pending
    make_record(system, data={"risk_level": "low", "registration_date": "2026-03-01"})  # not applicable
    result = compute_kpi("ia_on_time", now=NOW)
    assert result["value"] == 33.3
    assert result["detail"] == {"met": 1, "late": 1, "overdue": 1, "pending": 1}


def test_count_rows_and_distinct_persons(system):
    install_with(
        kpi("accepted", "count_rows", fields=["referrals", "referral_status", "referral_service"],
            params={"subform": "referrals", "filter": "${referral_status} = 'accepted'"},
            breakdowns=["referral_service"]),
        kpi("children_accepted", "count_rows", fields=["referrals", "referral_status"],
            params={"subform": "referrals", "filter": "${referral_status} = 'accepted'", "distinct_persons": True}),
    )  # fmt: skip
    row = lambda service, status: {"referral_service": service, "referral_status": status}  # noqa: E731
    make_record(
        system,
        data={"referrals": [row("health", "accepted"), row("legal", "declined"), row("health", "accepted")]},
    )
    make_record(system, data={"referrals": [row("psychosocial", "accepted")]})
    make_record(system, data={"referrals": [row("legal", "pending")]})
    result = compute_kpi("accepted")
    assert result["value"] == 3
    assert cells(result, "referral_service") == {"health": 2, "psychosocial": 1, "legal": 0, "education": 0}
    assert compute_kpi("children_accepted")["value"] == 2


def test_median_days_rows_all_and_earliest(system):
    spec = dict(record_type="incident", fields=["services", "incident_date", "service_date"])
    install_with(
        kpi("to_service", "median_days_rows", **spec,
            params={"subform": "services", "start": "incident_date", "end": "service_date"}),
        kpi("to_first_service", "median_days_rows", **spec,
            params={"subform": "services", "start": "incident_date", "end": "service_date", "per_record": "earliest"}),
    )  # fmt: skip
    make_record(system, "incident", data={"incident_date": "2026-03-01", "services": [
        {"service_type": "health", "service_date": "2026-03-10"}, {"service_type": "health", "service_date": "2026-03-03"}]})  # fmt: skip
    make_record(
        system, "incident", data={"incident_date": "2026-03-05", "services": [{"service_date": "2026-03-06"}]}
    )
    make_record(system, "incident", data={"incident_date": "2026-03-05", "services": []})
    assert compute_kpi("to_service")["detail"] == {"median": 2, "mean": 4.0, "n": 3}
    assert compute_kpi("to_first_service")["detail"] == {"median": 1.5, "mean": 1.5, "n": 2}


def test_caseload_open_cases_per_worker(system, make_user):
    install_with(kpi("caseload", "caseload", params={"open_only": True}))
    w1, w2 = make_user(username="w1"), make_user(username="w2")
    for _ in range(3):
        make_record(system, owner=w1)
    make_record(system, owner=w2)
    make_record(system, owner=w2, status="closed")
    result = compute_kpi("caseload")
    assert result["value"] == 2.0
    assert result["detail"]["owners"] == 2
    assert cells(result, "@owner") == {"w1": 3, "w2": 1}
