"""Writes about duplicates. Like kinga.records.actions: validate, write in one transaction, audit.
Record data changes go through kinga.records.actions (update_record, delete_record, link_records),
so validation, versions, search text and after-commit events stay in one place."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from kinga.audit.chain import record_event
from kinga.core.errors import Conflict, KingaError, NotFound, PermissionDenied
from kinga.records import actions as record_actions
from kinga.records import events
from kinga.records.access import can, records_visible_to
from kinga.records.models import Record

from .models import DuplicateDecision, MergeRecord

SAME_PERSON_LINK = "same_person"


def _ordered(a: Record, b: Record) -> tuple[Record, Record]:
    if a.pk == b.pk:
        raise KingaError("A record cannot be compared with itself.", code="same_record")
    # Different record types are allowed (a case and a tracing request can be the same child).
    return (a, b) if str(a.pk) < str(b.pk) else (b, a)


def _require_visible(user, *records: Record, action: str = "edit") -> None:
    for record in records:
        if record.deleted_at is not None:
            raise NotFound("The record does not exist or was deleted.")
        if not records_visible_to(user, record.record_type).filter(pk=record.pk).exists():
            raise NotFound("The record does not exist or was deleted.")  # do not confirm it exists
        if not can(user, action, record.record_type, record):
            raise PermissionDenied(f"You may not {action} {record.short_id}.")


def mark_not_duplicate(*, user, record_a: Record, record_b: Record, note: str = "") -> DuplicateDecision:
    """Remember that two records are different people, so neither check nor scan proposes the pair."""
    _require_visible(user, record_a, record_b, action="view")
    a, b = _ordered(record_a, record_b)
    with transaction.atomic():
        decision, _ = DuplicateDecision.objects.update_or_create(
            record_a=a,
            record_b=b,
            defaults={"decision": DuplicateDecision.NOT_DUPLICATE, "note": note, "decided_by": _user(user)},
        )
        record_event(
            "duplicate.not_duplicate",
            user=user,
            record=a,
            details={"other": str(b.pk), "other_short_id": b.short_id},
        )
    return decision


def link_same_person(*, user, record_a: Record, record_b: Record, note: str = "") -> DuplicateDecision:
    """Two records describe one person: they share a person_id (counted once in KPIs) and a
    'same_person' link. Records already linked to record_b's person follow it."""
    _require_visible(user, record_a, record_b, action="link")
    a, b = _ordered(record_a, record_b)
    with transaction.atomic():
        old, new = b.person_id, a.person_id
        moved = list(Record.objects.select_for_update().filter(person_id=old).exclude(person_id=new))
        Record.objects.filter(pk__in=[r.pk for r in moved]).update(person_id=new)
        if not (
            a.links_out.filter(to_record=b, link_type=SAME_PERSON_LINK).exists()
            or b.links_out.filter(to_record=a, link_type=SAME_PERSON_LINK).exists()
        ):
            record_actions.link_records(user=user, from_record=a, to_record=b, link_type=SAME_PERSON_LINK)
        decision, _ = DuplicateDecision.objects.update_or_create(
            record_a=a,
            record_b=b,
            defaults={"decision": DuplicateDecision.SAME_PERSON, "note": note, "decided_by": _user(user)},
        )
        record_event(
            "duplicate.same_person",
            user=user,
            record=a,
            details={"other": str(b.pk), "person_id": str(new), "moved": [str(r.pk) for r in moved]},
        )
        for r in moved:
            events.record_changed(r, "updated")
    a.person_id = b.person_id = new
    return decision


def _snapshot(record: Record) -> dict:
    return {
        "data": record.data,
        "version": record.version,
        "person_id": str(record.person_id),
        "deleted_at": record.deleted_at.isoformat() if record.deleted_at else None,
    }


def merge_records(
    *, user, target: Record, source: Record, choices: dict[str, str] | None = None
) -> MergeRecord:
    """Merge `source` into `target` field by field and retire `source` (soft delete).

    `choices` maps a field key to "source" or "target". Fields not named keep the target's value,
    except that an empty target field takes the source's value. Reversible with undo_merge().
    """
    choices = dict(choices or {})
    bad = {k: v for k, v in choices.items() if v not in ("source", "target")}
    if bad:
        raise KingaError("Each choice must be 'source' or 'target'.", code="invalid_choice", details=bad)
    if target.pk == source.pk:
        raise KingaError("A record cannot be merged into itself.", code="same_record")
    if target.record_type != source.record_type:
        raise KingaError("Only records of the same type can be merged.", code="type_mismatch")
    _require_visible(user, target, action="edit")
    _require_visible(user, source, action="delete")
    with transaction.atomic():
        target = Record.objects.select_for_update().get(pk=target.pk)
        source = Record.objects.select_for_update().get(pk=source.pk)
        before_t, before_s = _snapshot(target), _snapshot(source)
        used: dict[str, str] = {}
        changes: dict[str, Any] = {}
        for key in sorted(set(target.data) | set(source.data)):
            tv, sv = target.data.get(key), source.data.get(key)
            if tv == sv:
                continue
            pick = choices.get(key) or ("source" if tv in (None, "", []) else "target")
            used[key] = pick
            if pick == "source":
                changes[key] = sv
        if changes:
            target = record_actions.update_record(
                user=user, record=target, changes=changes, expected_version=target.version
            )
        source = record_actions.delete_record(
            user=user, record=source, reason=f"merged into {target.short_id}"
        )
        # The retired record stays the same person, so counts and history still join up.
        Record.objects.filter(pk=source.pk).update(person_id=target.person_id)
        merge = MergeRecord.objects.create(
            target=target,
            source=source,
            choices=used,
            target_before=before_t,
            source_before=before_s,
            target_version_after=target.version,
            merged_by=_user(user),
        )
        record_event(
            "duplicate.merge",
            user=user,
            record=target,
            details={
                "merge_id": merge.pk,
                "source": str(source.pk),
                "source_short_id": source.short_id,
                "choices": used,
            },
        )
    return merge


def undo_merge(*, user, merge: MergeRecord) -> MergeRecord:
    """Restore both records as they were before the merge. Refused when the target has been edited
    since (undoing would silently drop that later work)."""
    if merge.undone_at is not None:
        raise Conflict("This merge was already undone.")
    with transaction.atomic():
        target = Record.objects.select_for_update().get(pk=merge.target_id)
        source = Record.objects.select_for_update().get(pk=merge.source_id)
        _require_visible(user, target, action="edit")
        if not can(user, "delete", source.record_type):
            raise PermissionDenied("You may not restore the merged record.")
        if target.version != merge.target_version_after:
            raise Conflict(
                f"{target.short_id} was edited after the merge (version {target.version}); undo it by hand.",
                details={"merged_version": merge.target_version_after, "current_version": target.version},
            )
        before = merge.target_before["data"]
        changes = {
            k: before.get(k) for k in set(before) | set(target.data) if before.get(k) != target.data.get(k)
        }
        if changes:
            record_actions.update_record(
                user=user, record=target, changes=changes, expected_version=target.version
            )
        # There is no undelete action in kinga.records yet: restore the row here, audited below.
        Record.objects.filter(pk=source.pk).update(
            deleted_at=None, person_id=merge.source_before["person_id"], updated_at=timezone.now()
        )
        source.refresh_from_db()
        merge.undone_at = timezone.now()
        merge.undone_by = _user(user)
        merge.save(update_fields=["undone_at", "undone_by"])
        record_event("record.restore", user=user, record=source, reason=f"merge {merge.pk} undone")
        record_event("duplicate.undo_merge", user=user, record=target, details={"merge_id": merge.pk})
        events.record_changed(source, "updated")
    return merge


def request_access(*, user, record: Record, reason: str) -> dict:
    """Ask for access to a record the user may not see (found as a restricted duplicate). Audited;
    the record's agency decides (notifications are a later issue)."""
    if not reason or not reason.strip():
        raise KingaError("Say why you need access to this record.", code="reason_required")
    event = record_event(
        "record.access_request",
        user=user,
        record=record,
        reason=reason.strip(),
        details={
            "agency": getattr(record.agency, "name", ""),
            "requester_agency": getattr(user.agency, "name", ""),
        },
    )
    return {"requested": True, "agency": getattr(record.agency, "name", ""), "audit_id": event.pk}


def _user(user):
    return user if getattr(user, "pk", None) else None
