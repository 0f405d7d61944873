"""Duplicate check for one record (at registration, or for an existing record).

check() never leaks what the user may not see: a candidate outside records_visible_to(user) comes
back as {"restricted": true, "agency", "score", "access_ref"} — no id, no name, no reasons. The
access_ref is a signed token the user can hand to request-access; it is the only way to name that
record, and it names nothing else.
"""

from __future__ import annotations

from typing import Any

from django.core import signing
from django.db.models import Q
from kinga.audit.chain import record_event
from kinga.configpacks.runtime import get_active
from kinga.core.errors import KingaError
from kinga.records import access
from kinga.records.access import records_visible_to
from kinga.records.models import Record

from .backends import get_backend
from .backends.base import registration_date
from .frequencies import name_frequencies
from .matching.scoring import Context, score_pair, threshold
from .models import DuplicateDecision
from .rules import location_parents, rules_for

CANDIDATES = 100  # blocking candidates scored per check (ranked by shared keys)
ACCESS_SALT = "kinga_search.access_ref"


def access_ref(record_id: Any) -> str:
    return signing.dumps(str(record_id), salt=ACCESS_SALT, compress=True)


def read_access_ref(ref: str, max_age: int = 7 * 24 * 3600) -> str:
    try:
        return signing.loads(ref, salt=ACCESS_SALT, max_age=max_age)
    except signing.BadSignature:
        raise KingaError(
            "This access reference is not valid or has expired.", code="invalid_access_ref"
        ) from None


def decided_pairs(record_id: Any) -> set:
    """Ids already judged "not the same person" as `record_id`."""
    if not record_id:
        return set()
    rows = DuplicateDecision.objects.filter(
        Q(record_a_id=record_id) | Q(record_b_id=record_id), decision=DuplicateDecision.NOT_DUPLICATE
    ).values_list("record_a_id", "record_b_id")
    return {b if str(a) == str(record_id) else a for a, b in rows}


def find(
    record_type: str, data: dict, *, exclude_record: Record | None = None, limit: int = 20
) -> list[tuple]:
    """(Record, Match) pairs at or above the pack's threshold, best first. No access filtering."""
    config = get_active()
    rules = rules_for(record_type, config)
    if not rules:
        return []
    exclude_id = exclude_record.pk if exclude_record else None
    ids = get_backend().candidates(
        record_type, data, limit=CANDIDATES, exclude=[exclude_id] if exclude_id else [], rules=rules
    )
    if not ids:
        return []
    skip = decided_pairs(exclude_id)
    on_a = registration_date(exclude_record) if exclude_record else None
    ctx = Context(
        location_parents=location_parents(config), on_a=on_a, name_frequency=name_frequencies(record_type)
    )
    cut = threshold(rules)
    out = []
    records = Record.objects.filter(pk__in=ids, deleted_at__isnull=True).select_related("agency")
    for record in records.only(
        "id", "short_id", "record_type", "data", "agency__name", "person_id", "created_at"
    ):
        if record.pk in skip:
            continue
        ctx.on_b = registration_date(record)
        match = score_pair(rules, data, record.data, ctx, cutoff=cut)
        if match.score >= cut:
            out.append((record, match))
    out.sort(key=lambda pair: (-pair[1].score, pair[0].short_id))
    return out[:limit]


def _visible_fields(user, record_type: str, found: list[tuple]) -> set[str]:
    """Fields whose reasons the user may read: a reason about a hidden field ("same surname") is
    itself a disclosure. Uses the access seam's redaction when it has one."""
    keys = {r.field for _rec, match in found for r in match.reasons}
    redact = getattr(access, "redact", None)
    if redact is None:
        return keys
    return set(redact(user, record_type, dict.fromkeys(keys, "x")))


def check(record_type: str, data: dict, user, *, record: Record | None = None, limit: int = 20) -> list[dict]:
    """Ranked candidates for the API, with restricted entries for records `user` may not see."""
    found = find(record_type, data, exclude_record=record, limit=limit)
    if not found:
        return []
    visible = set(
        records_visible_to(user, record_type)
        .filter(pk__in=[r.pk for r, _ in found])
        .values_list("pk", flat=True)
    )
    person_id = record.person_id if record else None
    shown = _visible_fields(user, record_type, found)
    out: list[dict] = []
    restricted_agencies: list[str] = []
    for candidate, match in found:
        if candidate.pk in visible:
            out.append(
                {
                    "record_id": str(candidate.pk),
                    "short_id": candidate.short_id,
                    "record_type": candidate.record_type,
                    "score": match.score,
                    "same_person": person_id is not None and candidate.person_id == person_id,
                    "reasons": [r for r in match.reasons_dicts() if r["field"] in shown],
                }
            )
        else:
            agency = candidate.agency.name if candidate.agency else ""
            restricted_agencies.append(agency)
            out.append(
                {
                    "restricted": True,
                    "agency": agency,
                    "score": match.score,
                    "access_ref": access_ref(candidate.pk),
                }
            )
    if restricted_agencies:
        # Telling someone a record exists elsewhere is itself a disclosure: keep a trail of it.
        record_event(
            "duplicate.check_restricted",
            user=user,
            record=record,
            details={"record_type": record_type, "agencies": restricted_agencies},
        )
    return out
