"""Child-protection actions: verbs a caseworker performs on a case. Each one is a thin, validated
change built on the kernel's write paths (kinga.records.actions, kinga.workflow.actions), so
validation, audit, versioning and search indexing happen exactly as for any other edit.

Field keys used here are locked standard fields of `kinga.standard` (config_packs/standard)."""

from __future__ import annotations

from datetime import date

from kinga.core.errors import KingaError
from kinga.records.access import ConsentRefused, enforce_consent
from kinga.records.actions import update_record
from kinga.records.models import Record


class SharingWishesConflict(ConsentRefused):
    """The child's recorded consent or data-sharing wishes do not allow this referral."""

    code = "sharing_wishes_forbid"


def _iso(value: date | str | None) -> str:
    if value is None:
        return date.today().isoformat()
    return value.isoformat() if isinstance(value, date) else str(value)


def _require_case(record: Record) -> None:
    if record.record_type != "case":
        raise KingaError(
            f"{record.short_id} is a {record.record_type}, not a case.", code="wrong_record_type"
        )


def refer_case(
    *,
    user,
    case: Record,
    services: list[str],
    agency: str,
    referral_date: date | str | None = None,
    receiver: str = "service_provider",
    notes: str = "",
    override_reason: str = "",
    expected_version: int | None = None,
) -> Record:
    """Append one referral (which may ask for several services) to the case.

    When the recorded consent or sharing wishes forbid it (the one rule set in
    kinga.records.access.enforce_consent), refuses with SharingWishesConflict unless an override
    reason is given by a user whose role holds `override_consent`; the override is audited there
    and its reason kept in the referral's notes."""
    _require_case(case)
    if not services:
        raise KingaError("Choose at least one service to refer for.", code="no_services")
    try:
        conflicts = enforce_consent(
            user,
            case,
            "refer",
            receiver=receiver,
            override=bool(override_reason.strip()),
            reason=override_reason,
        )
    except ConsentRefused as exc:
        raise SharingWishesConflict(exc.message, details=exc.details) from None
    row = {
        "referral_services": list(services),
        "referral_agency": agency,
        "referral_date": _iso(referral_date),
        "referral_consent_checked": "yes",
        "referral_status": "pending",
    }
    text = notes.strip()
    if conflicts:
        text = f"{text}\nReferred despite sharing wishes: {override_reason.strip()}".strip()
    if text:
        row["referral_notes"] = text
    rows = [*((case.data or {}).get("referrals") or []), row]
    updated = update_record(
        user=user, record=case, changes={"referrals": rows}, expected_version=expected_version or case.version
    )
    return updated


def update_referral(
    *,
    user,
    case: Record,
    index: int,
    status: str,
    response_date: date | str | None = None,
    notes: str | None = None,
    expected_version: int | None = None,
) -> Record:
    """Record the receiving agency's answer (accepted / declined) or the referral's completion."""
    _require_case(case)
    rows = [dict(r) for r in (case.data or {}).get("referrals") or []]
    if not 0 <= index < len(rows):
        raise KingaError(f"The case has no referral number {index + 1}.", code="no_such_referral")
    rows[index]["referral_status"] = status
    if status != "pending":
        rows[index].setdefault("referral_response_date", _iso(response_date))
        if response_date is not None:
            rows[index]["referral_response_date"] = _iso(response_date)
    if notes:
        rows[index]["referral_notes"] = notes
    return update_record(
        user=user, record=case, changes={"referrals": rows}, expected_version=expected_version or case.version
    )


def record_followup(
    *,
    user,
    case: Record,
    followup_type: str,
    outcome: str = "",
    action: str = "",
    followup_date: date | str | None = None,
    next_followup_date: date | str | None = None,
    expected_version: int | None = None,
) -> Record:
    """Append one follow-up (per action: `action` names the goal, service or referral followed)."""
    _require_case(case)
    row = {"followup_date": _iso(followup_date), "followup_type": followup_type}
    if action:
        row["followup_action"] = action
    if outcome:
        row["followup_outcome"] = outcome
    if next_followup_date is not None:
        row["next_followup_date"] = _iso(next_followup_date)
    rows = [*((case.data or {}).get("followups") or []), row]
    return update_record(
        user=user, record=case, changes={"followups": rows}, expected_version=expected_version or case.version
    )


def request_closure(
    *,
    user,
    case: Record,
    closure_reason: str,
    closure_date: date | str | None = None,
    summary: str = "",
    reason_other: str = "",
    expected_version: int | None = None,
) -> Record:
    """Fill the closure form and move the case to `closure_requested` for a supervisor's approval."""
    from kinga.workflow.actions import transition

    _require_case(case)
    changes = {"closure_date": _iso(closure_date), "closure_reason": closure_reason}
    if summary:
        changes["closure_summary"] = summary
    if closure_reason == "other":
        changes["closure_reason_other"] = reason_other
    case = update_record(
        user=user, record=case, changes=changes, expected_version=expected_version or case.version
    )
    return transition(user=user, record=case, transition_id="request_closure", reason=closure_reason)


def approve_closure(*, user, case: Record, approved_date: date | str | None = None) -> Record:
    """A supervisor approves a requested closure: records the approval and closes the case."""
    from kinga.workflow.actions import transition

    _require_case(case)
    changes = {"closure_approved": "yes", "closure_approved_date": _iso(approved_date)}
    case = update_record(user=user, record=case, changes=changes, expected_version=case.version)
    return transition(user=user, record=case, transition_id="approve_closure", reason="closure approved")
