"""THE write path for records. Every change (API, imports, workflow, tests) goes through these
functions: validate under the active configuration, write in one transaction, audit, refresh the
search text, and notify subscribers after commit.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from kinga.audit.chain import record_event
from kinga.configpacks.runtime import ActiveConfig, get_active
from kinga.core.errors import Conflict, KingaError, NotFound, ValidationFailed
from kinga.formengine.engine import Result, validate_record

from . import attachments, events, shortids
from .models import Record, RecordLink, ShortIdReservation
from .search_text import build_search_text

MINT_ATTEMPTS = 5
MAX_RESERVATION = 500  # short ids one call may reserve


def _validate(
    config: ActiveConfig, record_type: str, data: Any, *, user, existing=None, linked=None, lang=None
) -> Result:
    result = validate_record(
        config, record_type, data, user=user, existing=existing, linked=linked, lang=lang
    )
    if result.errors:
        raise ValidationFailed(result.errors)
    return result


def _warnings(result: Result) -> list[dict]:
    return [w.as_dict() for w in result.warnings]


def _initial_status(config: ActiveConfig, record_type: str) -> str:
    statuses = (config.data.get("workflows") or {}).get(record_type, {}).get("statuses") or []
    initial = next((s for s in statuses if s.get("initial")), statuses[0] if statuses else None)
    return initial["id"] if initial else "open"


class LazyLinkedData(Mapping):
    """linked_data(record), read from the database only when an expression asks for it (most
    forms never call linked(), and an edit should not pay two queries for nothing)."""

    def __init__(self, record: Record):
        self._record = record
        self._data: dict[str, dict] | None = None

    def _load(self) -> dict[str, dict]:
        if self._data is None:
            self._data = linked_data(self._record)
        return self._data

    def __bool__(self) -> bool:  # truthy without loading (callers write `linked or {}`)
        return True

    def __getitem__(self, key: str) -> dict:
        return self._load()[key]

    def __iter__(self):
        return iter(self._load())

    def __len__(self) -> int:
        return len(self._load())


def linked_data(record: Record) -> dict[str, dict]:
    """link type -> data of the linked record, both directions (for linked() in expressions)."""
    out: dict[str, dict] = {}
    for link in record.links_out.select_related("to_record").filter(to_record__deleted_at__isnull=True):
        out.setdefault(link.link_type, link.to_record.data)
    for link in record.links_in.select_related("from_record").filter(from_record__deleted_at__isnull=True):
        out.setdefault(link.link_type, link.from_record.data)
    return out


def create_record(
    *,
    user,
    record_type: str,
    data: dict,
    status: str | None = None,
    location: str | None = None,
    agency=None,
    owner=None,
    linked_from: tuple[Record, str] | None = None,
    created_at: datetime | None = None,
    short_id: str | None = None,
    lang: str | None = None,
) -> Record:
    """Create a record. `linked_from=(record, link_type)` links the new record to an existing one and
    makes its data available to copy_from and linked() defaults. `short_id` accepts an id minted
    offline (checked for shape and check character). `lang` picks the language of error messages
    (default: the user's)."""
    config = get_active()
    rt = config.record_type(record_type)
    linked = {linked_from[1]: linked_from[0].data} if linked_from else None
    data = attachments.resolve(config, record_type, data, user=user)
    result = _validate(config, record_type, data, user=user, linked=linked, lang=lang)
    if short_id is not None and not shortids.is_valid(short_id):
        raise KingaError(f"'{short_id}' is not a valid short id.", code="invalid_short_id")
    now = timezone.now()
    record = Record(
        record_type=record_type,
        module=rt.get("module", ""),
        data=result.data,
        warnings=_warnings(result),
        status=status or _initial_status(config, record_type),
        location=location or "",
        agency=agency if agency is not None else getattr(user, "agency", None),
        owner=owner if owner is not None else (user if getattr(user, "pk", None) else None),
        config_version=config.version,
        created_by=user if getattr(user, "pk", None) else None,
        updated_by=user if getattr(user, "pk", None) else None,
        created_at=created_at or now,
        updated_at=now,
        search_text=build_search_text(config, record_type, result.data),
    )
    with transaction.atomic():
        if short_id is not None:
            _claim_reserved(user, record_type, shortids.normalize(short_id), now)
        _save_new(record, rt.get("id_prefix") or record_type[:2].upper(), short_id)
        attachments.bind(config, record, user=user, before={})
        if linked_from:
            RecordLink.objects.create(
                from_record=record,
                to_record=linked_from[0],
                link_type=linked_from[1],
                created_by=record.created_by,
            )
        record_event(
            "record.create",
            user=user,
            record=record,
            details={
                "short_id": record.short_id,
                "fields": sorted(result.data),
                "warnings": len(result.warnings),
            },
        )
        events.record_changed(record, "created")
    return record


def _claim_reserved(user, record_type: str, short_id: str, now) -> None:
    """A client-supplied id reserved for somebody else, or for another record type, is refused; a
    reservation of this user's is marked used. Unreserved valid ids (imports from other systems)
    are accepted when free: reservations never hand out an id a record holds."""
    reservation = ShortIdReservation.objects.select_for_update().filter(short_id=short_id).first()
    if reservation is None:
        return
    if reservation.user_id != getattr(user, "pk", None) or reservation.record_type != record_type:
        raise Conflict(f"Short id {short_id} is reserved for another user or record type.")
    if reservation.used_at is not None:
        raise Conflict(f"A record with short id {short_id} already exists.")
    reservation.used_at = now
    reservation.save(update_fields=["used_at"])


def reserve_short_ids(*, user, record_type: str, count: int) -> list[str]:
    """Hand `count` short ids of `record_type` to `user`'s device for records it will create offline.
    Each id is new: not held by a record, not reserved before; two calls never return the same id."""
    config = get_active()
    rt = config.record_type(record_type)
    if not isinstance(count, int) or isinstance(count, bool) or not 1 <= count <= MAX_RESERVATION:
        raise KingaError(f"count must be a whole number from 1 to {MAX_RESERVATION}.", code="invalid_count")
    prefix = rt.get("id_prefix") or record_type[:2].upper()
    now = timezone.now()
    with transaction.atomic():
        for _attempt in range(MINT_ATTEMPTS):
            batch = {shortids.mint(prefix, reserved=True) for _ in range(count)}
            taken = set(Record.objects.filter(short_id__in=batch).values_list("short_id", flat=True))
            taken |= set(
                ShortIdReservation.objects.filter(short_id__in=batch).values_list("short_id", flat=True)
            )
            if len(batch) < count or taken:
                continue  # 1 in 10^8 at a million ids: just draw again
            try:
                with transaction.atomic():  # a concurrent reservation of the same id: draw again
                    ShortIdReservation.objects.bulk_create(
                        [
                            ShortIdReservation(
                                short_id=sid, record_type=record_type, user=user, reserved_at=now
                            )
                            for sid in batch
                        ]  # fmt: skip
                    )
            except IntegrityError:
                continue
            record_event("short_id.reserve", user=user, details={"record_type": record_type, "count": count})
            return sorted(batch)
    raise KingaError("Could not reserve unique short ids; try again.", code="short_id_exhausted")


def _save_new(record: Record, prefix: str, short_id: str | None) -> None:
    for _attempt in range(MINT_ATTEMPTS):
        record.short_id = shortids.normalize(short_id) if short_id else shortids.mint(prefix)
        try:
            with transaction.atomic():  # savepoint: a collision must not poison the outer transaction
                record.save(force_insert=True)
            return
        except IntegrityError:
            if short_id or not Record.objects.filter(short_id=record.short_id).exists():
                if short_id:
                    raise Conflict(f"A record with short id {record.short_id} already exists.") from None
                raise
    raise KingaError("Could not mint a unique short id; try again.", code="short_id_exhausted")


def diff(old: dict, new: dict) -> dict[str, dict]:
    """Field-level changes {key: {"from", "to"}} (subforms compared as whole values)."""
    return {
        key: {"from": old.get(key), "to": new.get(key)}
        for key in sorted(set(old) | set(new))
        if old.get(key) != new.get(key)
    }


def update_record(
    *, user, record: Record, changes: dict, expected_version: int, lang: str | None = None
) -> Record:
    """Merge `changes` (partial data: a key set to null clears it) into the record, re-validate the
    whole record under the active configuration and save. A stale `expected_version` raises Conflict
    with the server's current record in `details`."""
    if not isinstance(changes, dict):
        raise KingaError("Changes must be an object of field keys to values.", code="invalid")
    config = get_active()
    with transaction.atomic():
        current = Record.objects.select_for_update().filter(pk=record.pk, deleted_at__isnull=True).first()
        if current is None:
            raise NotFound("The record does not exist or was deleted.")
        if current.version != expected_version:
            raise Conflict(
                f"The record was changed by someone else (version {current.version}, you sent "
                f"{expected_version}). Reload it and apply your changes again.",
                details=conflict_details(current),
            )
        merged = attachments.resolve(
            config, current.record_type, {**current.data, **changes}, user=user, record=current
        )
        result = _validate(
            config,
            current.record_type,
            merged,
            user=user,
            existing=current,
            linked=LazyLinkedData(current),
            lang=lang,
        )
        before = current.data
        changed = diff(current.data, result.data)
        current.data = result.data
        current.warnings = _warnings(result)
        current.config_version = config.version
        current.version += 1
        current.updated_by = user if getattr(user, "pk", None) else None
        current.updated_at = timezone.now()
        current.search_text = build_search_text(config, current.record_type, result.data)
        current.save()
        attachments.bind(config, current, user=user, before=before)
        record_event(
            "record.update",
            user=user,
            record=current,
            details={"version": current.version, "changes": changed},
        )
        events.record_changed(current, "updated")
    return current


def conflict_details(record: Record) -> dict:
    return {
        "id": str(record.id),
        "short_id": record.short_id,
        "version": record.version,
        "data": record.data,
        "status": record.status,
        "updated_at": record.updated_at.isoformat(),
        "updated_by": getattr(record.updated_by, "username", None),
    }


def delete_record(*, user, record: Record, reason: str = "") -> Record:
    """Soft delete: the record disappears from lists and lookups but stays for audit."""
    with transaction.atomic():
        current = Record.objects.select_for_update().get(pk=record.pk)
        if current.deleted_at is not None:
            raise NotFound("The record does not exist or was deleted.")
        current.deleted_at = timezone.now()
        current.updated_by = user if getattr(user, "pk", None) else None
        current.save(update_fields=["deleted_at", "updated_by"])
        record_event("record.delete", user=user, record=current, reason=reason)
        events.record_changed(current, "deleted")
    return current


def link_records(*, user, from_record: Record, to_record: Record, link_type: str) -> RecordLink:
    """A typed link between two live records; linking twice is refused as a conflict."""
    if from_record.pk == to_record.pk:
        raise KingaError("A record cannot be linked to itself.", code="invalid_link")
    if not link_type or not isinstance(link_type, str) or len(link_type) > 64:
        raise KingaError("Give a link type (up to 64 characters).", code="invalid_link")
    if from_record.deleted_at or to_record.deleted_at:
        raise NotFound("The record does not exist or was deleted.")
    try:
        with transaction.atomic():
            link = RecordLink.objects.create(
                from_record=from_record,
                to_record=to_record,
                link_type=link_type,
                created_by=user if getattr(user, "pk", None) else None,
            )
            record_event(
                "record.link",
                user=user,
                record=from_record,
                details={"to": str(to_record.id), "to_short_id": to_record.short_id, "link_type": link_type},
            )
            events.record_changed(from_record, "linked")
    except IntegrityError:
        raise Conflict("These records are already linked with this link type.") from None
    return link
