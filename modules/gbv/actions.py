"""GBV actions. Consent governs every referral: `refer_survivor` refuses a referral the survivor
has not consented to, both overall (gbv_consent) and for this referral (consent_for_this_referral).

Built on the kernel's write path (kinga.records.actions); field keys are locked standard fields
of `kinga.standard`."""

from __future__ import annotations

from datetime import date

from kinga.core.errors import KingaError
from kinga.records.actions import update_record
from kinga.records.models import Record


class ConsentRequired(KingaError):
    code = "consent_required"
    status = 409


def _iso(value: date | str | None) -> str:
    if value is None:
        return date.today().isoformat()
    return value.isoformat() if isinstance(value, date) else str(value)


def refer_survivor(
    *,
    user,
    incident: Record,
    service_type: str,
    consent_for_this_referral: str,
    provider: str = "",
    referral_date: date | str | None = None,
    expected_version: int | None = None,
) -> Record:
    """Append one referral row to the incident. Refuses unless the survivor consented to referrals
    and to this one ('yes')."""
    if incident.record_type != "incident":
        raise KingaError(
            f"{incident.short_id} is a {incident.record_type}, not an incident.", code="wrong_record_type"
        )
    if consent_for_this_referral != "yes":
        raise ConsentRequired("The survivor has not consented to this referral; it cannot be made.")
    if (incident.data or {}).get("consent_referral") != "yes":
        raise ConsentRequired("The survivor's consent to referral is not recorded (Consent form).")
    row = {
        "gbv_service_type": service_type,
        "consent_for_this_referral": "yes",
        "gbv_referral_date": _iso(referral_date),
        "gbv_referral_status": "pending",
    }
    if provider:
        row["gbv_service_provider"] = provider
    rows = [*((incident.data or {}).get("gbv_services") or []), row]
    return update_record(
        user=user,
        record=incident,
        changes={"gbv_services": rows},
        expected_version=expected_version or incident.version,
    )


def record_service_received(
    *,
    user,
    incident: Record,
    index: int,
    service_date: date | str | None = None,
    expected_version: int | None = None,
) -> Record:
    """Mark referral `index` as completed on `service_date`."""
    rows = [dict(r) for r in (incident.data or {}).get("gbv_services") or []]
    if not 0 <= index < len(rows):
        raise KingaError(f"The incident has no service number {index + 1}.", code="no_such_service")
    rows[index]["gbv_referral_status"] = "completed"
    rows[index]["gbv_service_date"] = _iso(service_date)
    return update_record(
        user=user,
        record=incident,
        changes={"gbv_services": rows},
        expected_version=expected_version or incident.version,
    )
