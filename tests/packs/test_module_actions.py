"""Module actions on the standard pack: consent and sharing wishes are enforced."""

import pytest
from kinga.core.errors import PermissionDenied


def _case(user, **extra):
    from kinga.records.actions import create_record

    data = {
        "name_first": "Amina",
        "name_last": "Hassan",
        "sex": "female",
        "date_of_birth": "2015-05-04",
        "location": "KV010101",
        "protection_concerns": ["neglect"],
        "risk_level": "medium",
        "caregiver_name": "Halima Hassan",
        "consent_given": "yes",
        "consent_by": "caregiver",
        "data_sharing_wishes": ["share_with_service_providers"],
        **extra,
    }
    return create_record(user=user, record_type="case", data=data, location="KV010101")


def test_refer_case_appends_one_referral_for_several_services(standard, make_user):
    from kinga_cp.actions import record_followup, refer_case, update_referral

    worker = make_user(roles=["caseworker"])
    case = _case(worker)
    case = refer_case(user=worker, case=case, services=["health", "education"], agency="District Hospital")
    assert case.data["referrals"] == [
        {
            "referral_services": ["health", "education"],
            "referral_agency": "District Hospital",
            "referral_date": case.data["referrals"][0]["referral_date"],
            "referral_consent_checked": "yes",
            "referral_status": "pending",
        }
    ]
    case = update_referral(user=worker, case=case, index=0, status="accepted")
    assert case.data["referrals"][0]["referral_status"] == "accepted"
    case = record_followup(
        user=worker, case=case, followup_type="phone_call", action="Referral 1", outcome="Seen"
    )
    assert len(case.data["followups"]) == 1


def test_refer_case_refuses_when_sharing_wishes_forbid(standard, make_user):
    from kinga_cp.actions import SharingWishesConflict, refer_case

    worker = make_user(roles=["caseworker"])
    case = _case(worker, data_sharing_wishes=["do_not_share"])
    with pytest.raises(SharingWishesConflict):
        refer_case(user=worker, case=case, services=["health"], agency="District Hospital")
    # A caseworker may not override the child's wishes; a supervisor (override_consent) may, with a
    # reason (cm_manager: agency scope), and the override is audited.
    with pytest.raises(PermissionDenied):
        refer_case(
            user=worker,
            case=case,
            services=["health"],
            agency="District Hospital",
            override_reason="Life-threatening injury",
        )
    manager = make_user(username="mgr", roles=["cm_manager"])
    case = refer_case(
        user=manager,
        case=case,
        services=["health"],
        agency="District Hospital",
        override_reason="Life-threatening injury",
    )
    assert "Life-threatening injury" in case.data["referrals"][0]["referral_notes"]
    from kinga.audit.models import AuditEvent

    assert AuditEvent.objects.filter(action="consent.override", record_id=case.id).count() == 1


def test_refer_survivor_requires_consent(standard, make_user):
    from kinga.records.actions import create_record
    from kinga_gbv.actions import ConsentRequired, refer_survivor

    worker = make_user(username="gbv", roles=["gbv_caseworker"])
    incident = create_record(
        user=worker,
        record_type="incident",
        location="KV0101",
        data={
            "survivor_code_name": "Rose-1",
            "survivor_sex": "female",
            "survivor_age": 24,
            "consent_referral": "yes",
            "consent_data_share": "no",
            "incident_date": "2025-01-02",
            "incident_type": "physical_assault",
            "incident_location": "KV0101",
        },
    )
    with pytest.raises(ConsentRequired):
        refer_survivor(user=worker, incident=incident, service_type="legal", consent_for_this_referral="no")
    incident = refer_survivor(
        user=worker, incident=incident, service_type="legal", consent_for_this_referral="yes"
    )
    assert incident.data["gbv_services"][0]["gbv_referral_status"] == "pending"
