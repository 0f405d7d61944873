"""Consent and sharing wishes, enforced wherever record data would leave its team: referral,
transfer, link across modules, export.

The rules are a data table (SHARING_RULES) keyed by record type and naming locked standard fields,
so they read like pack data and can move into a pack section later without changing callers. A
rule applies to the purposes it lists; a record whose data breaks a rule may only be shared with an
explicit override (a reason, and the `override_consent` permission), which is audited and alerted.

    problems(record_type, data, purpose, receiver=None) -> [reason sentences]  (empty: allowed)
"""

from __future__ import annotations

from typing import Any

PURPOSES = ("refer", "transfer", "link", "export")

# require: the field must hold this value; forbid_code: a multi-select must not hold this code;
# receiver_codes: for these receivers, a non-empty multi-select must hold the receiver's code.
SHARING_RULES: dict[str, list[dict[str, Any]]] = {
    "case": [
        {
            "purposes": ["refer", "transfer", "link"],
            "field": "consent_given",
            "require": "yes",
            "message": "No informed consent is recorded for this case.",
        },
        {
            "purposes": ["refer", "transfer", "link", "export"],
            "field": "data_sharing_wishes",
            "forbid_code": "do_not_share",
            "message": "The child or caregiver asked that their information is not shared.",
        },
        {
            "purposes": ["refer", "transfer"],
            "field": "data_sharing_wishes",
            "receiver_codes": {
                "service_provider": "share_with_service_providers",
                "government": "share_with_government",
                "tracing": "share_for_tracing",
            },
            "message": "The recorded sharing wishes do not include sharing with this receiver ('{code}').",
        },
    ],
    "incident": [
        {
            "purposes": ["refer", "transfer"],
            "field": "consent_referral",
            "require": "yes",
            "message": "The survivor has not consented to referral (Consent form).",
        },
        {
            "purposes": ["link", "export", "transfer"],
            "field": "consent_data_share",
            "require": "yes",
            "message": "The survivor has not consented to sharing her data.",
        },
    ],
}


def problems(
    record_type: str,
    data: dict | None,
    purpose: str,
    receiver: str | None = None,
    defined: set[str] | None = None,
) -> list[str]:
    """Why sharing a record of `record_type` holding `data` for `purpose` breaks its consent or
    sharing wishes (empty list: allowed). `defined`: the field keys the configuration defines for
    the record type; a rule on a field the configuration does not have (a pack without a consent
    form) does not apply: there is no recorded consent to honour."""
    data = data or {}
    out: list[str] = []
    for rule in SHARING_RULES.get(record_type, []):
        if purpose not in rule["purposes"] or (defined is not None and rule["field"] not in defined):
            continue
        value = data.get(rule["field"])
        if "require" in rule and value != rule["require"]:
            out.append(rule["message"])
        elif "forbid_code" in rule and rule["forbid_code"] in (value or []):
            out.append(rule["message"])
        elif "receiver_codes" in rule and receiver and value:
            code = rule["receiver_codes"].get(receiver)
            if code and code not in value and "do_not_share" not in value:
                out.append(rule["message"].format(code=code))
    return out
