"""Attachments: files uploaded on their own (POST /api/v1/attachments/) and then referenced by id from an
attachment field of a record. This module holds the rules; the API layer only parses the request.

    sniff(fileobj)                     the content type from the file's bytes (magic numbers), never
                                       from the client's header or the file name
    safe_file_name(name)               a file name fit to show and to send back in a header
    limit_for(field) / allowed_types   what a field accepts (its params, bounded by settings)
    store(...)                         check, hash and save an upload (audited 'attachment.upload')
    resolve(...) / bind(...)           used by records.actions: a record's attachment values take
                                       their metadata from the stored row, and unbound uploads are
                                       bound to the record on save
    readable(user, attachment)         may this user download it (record and field visible)
"""

from __future__ import annotations

import fnmatch
import hashlib
import os
import re
import unicodedata
import uuid
import zipfile
from typing import Any

from django.conf import settings
from django.core.files.base import File
from django.db import transaction

from kinga.audit.chain import record_event
from kinga.core.errors import FieldIssue, KingaError, ValidationFailed

from .models import Attachment, Record

SNIFF_BYTES = 8192
# Content types Kinga can recognise from the bytes. Anything else is refused as unsupported.
EXTENSIONS = {
    "image/jpeg": ".jpg",
    "image/png": ".png",
    "image/gif": ".gif",
    "image/webp": ".webp",
    "application/pdf": ".pdf",
    "text/plain": ".txt",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ".xlsx",
    "audio/mpeg": ".mp3",
    "audio/ogg": ".ogg",
    "audio/mp4": ".m4a",
}
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MARKUP = re.compile(
    rb"^\s*(<!doctype|<html|<head|<body|<script|<svg|<\?xml|<iframe|<!--|<[a-z]+[\s>/])", re.I
)
M4A_BRANDS = {b"M4A ", b"M4B ", b"M4P "}


class UploadRefused(KingaError):
    """A 4xx about the upload itself (413 too large, 415 wrong type, 400 otherwise)."""

    def __init__(self, message: str, *, code: str | None = None, details: Any = None, status: int = 400):
        super().__init__(message, code=code, details=details)
        self.status = status


def sniff(fileobj) -> str | None:
    """The content type the bytes say, or None when they are not a kind Kinga recognises.
    HTML, SVG, XML and other markup are never "plain text" (a browser might run them)."""
    fileobj.seek(0)
    head = fileobj.read(SNIFF_BYTES)
    fileobj.seek(0)
    if not head:
        return None
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "image/gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head[:4] == b"PK\x03\x04":
        return _sniff_office(fileobj)
    if head.startswith(b"OggS"):
        return "audio/ogg"
    if head.startswith(b"ID3") or (
        len(head) > 1 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0 and head[1] & 0x06
    ):
        return "audio/mpeg"
    if head[4:8] == b"ftyp" and head[8:12] in M4A_BRANDS:
        return "audio/mp4"
    return _sniff_text(head)


def _sniff_office(fileobj) -> str | None:
    """A DOCX or XLSX: a zip holding [Content_Types].xml and the part its format names. Only the
    directory is read (nothing is extracted)."""
    try:
        with zipfile.ZipFile(fileobj) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return None
    finally:
        fileobj.seek(0)
    if "[Content_Types].xml" not in names:
        return None
    if "word/document.xml" in names:
        return DOCX
    if "xl/workbook.xml" in names:
        return XLSX
    return None


def _sniff_text(head: bytes) -> str | None:
    if b"\x00" in head:
        return None
    if head.startswith(b"\xef\xbb\xbf"):
        head = head[3:]
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 4:  # not just a character cut at the end of the sample
            return None
        text = head[: exc.start].decode("utf-8")
    if any(ord(c) < 32 and c not in "\t\n\r\f" for c in text):
        return None
    if MARKUP.match(head) or re.search(rb"<(script|html|svg|iframe)[\s>]", head, re.I):
        return None
    return "text/plain"


def safe_file_name(name: Any) -> str:
    """The last path part, normalised, without control or shell/markup characters, at most 255
    characters (the extension kept)."""
    name = str(name or "")
    name = re.split(r"[\\/]", name)[-1]
    name = unicodedata.normalize("NFKC", name)
    name = "".join(c for c in name if unicodedata.category(c)[0] != "C")
    name = re.sub(r"[^\w .()+,-]", "_", name)
    name = re.sub(r"\s+", " ", name).strip(" .")
    if not name:
        name = "file"
    if len(name) > 255:
        stem, ext = os.path.splitext(name)
        ext = ext[:16]
        name = stem[: 255 - len(ext)] + ext
    return name


def human_size(n: int) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n} {unit}" if unit == "bytes" else f"{n:.1f} {unit}".replace(".0 ", " ")
        n /= 1024
    return str(n)


def limit_for(field: dict) -> int:
    """A field's size limit: its params.max_bytes, never above KINGA_MAX_ATTACHMENT_BYTES."""
    ceiling = settings.KINGA_MAX_ATTACHMENT_BYTES
    own = (field.get("params") or {}).get("max_bytes")
    return min(own, ceiling) if isinstance(own, int) and own > 0 else ceiling


def allowed_types(field: dict) -> list[str]:
    """Patterns a field accepts: its params.content_types, else KINGA_ALLOWED_UPLOAD_TYPES."""
    own = (field.get("params") or {}).get("content_types")
    return list(own) if own else list(settings.KINGA_ALLOWED_UPLOAD_TYPES)


def type_allowed(content_type: str, field: dict) -> bool:
    return any(fnmatch.fnmatch(content_type, pattern) for pattern in allowed_types(field))


def store(*, user, upload, field: dict, field_key: str, record: Record | None = None) -> Attachment:
    """Check an uploaded file against its field (size, sniffed type), hash it and save it through the
    default storage under a name of Kinga's choosing. 413/415 as UploadRefused."""
    limit = limit_for(field)
    if upload.size > limit:
        raise UploadRefused(
            f"The file is too large: {human_size(upload.size)}; this field accepts files up to "
            f"{human_size(limit)}.",
            code="file_too_large",
            status=413,
            details={"max_bytes": limit, "size": upload.size},
        )
    if upload.size == 0:
        raise UploadRefused("The file is empty.", code="empty_file")
    content_type = sniff(upload)
    if content_type is None or not type_allowed(content_type, field):
        allowed = ", ".join(allowed_types(field))
        found = f" (it is {content_type})" if content_type else ""
        raise UploadRefused(
            f"This kind of file is not accepted here{found}. Accepted: {allowed}.",
            code="unsupported_file_type",
            status=415,
            details={"allowed": allowed_types(field), "detected": content_type},
        )
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    attachment = Attachment(
        record=None,
        field_key=field_key,
        file_name=safe_file_name(getattr(upload, "name", "")),
        content_type=content_type,
        size=upload.size,
        sha256=digest.hexdigest(),
        uploaded_by=user if getattr(user, "pk", None) else None,
    )
    with transaction.atomic():
        attachment.file.save(f"{attachment.id}{EXTENSIONS.get(content_type, '')}", File(upload), save=False)
        try:
            attachment.save(force_insert=True)
            record_event(
                "attachment.upload",
                user=user,
                record=record,
                details={
                    "attachment": str(attachment.id),
                    "field_key": field_key,
                    "content_type": content_type,
                    "size": attachment.size,
                    "sha256": attachment.sha256,
                },
            )
        except Exception:
            attachment.file.delete(save=False)
            raise
    return attachment


def metadata(attachment: Attachment) -> dict:
    """What an attachment field stores (and the upload answers, with sha256)."""
    return {
        "id": str(attachment.id),
        "file_name": attachment.file_name,
        "content_type": attachment.content_type,
        "size": attachment.size,
    }


# -- binding to records (records.actions) -------------------------------------------------------------


def _attachment_fields(config, record_type: str) -> list:
    """(field, parent subform field or None) for every attachment field of the record type."""

    def build() -> list:
        out = []
        for _form, _section, f in config.iter_fields(record_type):
            if f.get("type") == "attachment":
                out.append((f, None))
            for child in f.get("fields") or []:
                if child.get("type") == "attachment":
                    out.append((child, f))
        return out

    derived = getattr(config, "derived", None)
    return derived(("attachment_fields", record_type), build) if derived else build()


def _raw_id(value: Any) -> str | None:
    if isinstance(value, dict):
        value = value.get("id")
    if not isinstance(value, str):
        return None
    try:
        return str(uuid.UUID(value))
    except ValueError:
        return None  # the field type's clean() reports it


def _slots(config, record_type: str, data: dict):
    """(path, key, container, index-or-key) for every attachment value in `data`."""
    if not isinstance(data, dict):
        return
    for f, parent in _attachment_fields(config, record_type):
        if parent is None:
            if data.get(f["key"]) not in (None, "", {}):
                yield f["key"], f["key"], data, f["key"]
            continue
        rows = data.get(parent["key"])
        if not isinstance(rows, list):
            continue
        for i, row in enumerate(rows):
            if isinstance(row, dict) and row.get(f["key"]) not in (None, "", {}):
                yield f"{parent['key']}[{i}].{f['key']}", f["key"], row, f["key"]


def _ids_in(config, record_type: str, data: dict) -> set[str]:
    return {i for _p, _k, box, slot in _slots(config, record_type, data) if (i := _raw_id(box[slot]))}


def resolve(config, record_type: str, data: dict, *, user, record: Record | None = None) -> dict:
    """A copy of `data` whose new attachment values carry the stored metadata (file name, sniffed
    content type, size: never the client's), so the field type validates the real file. Refuses
    (400, per field) an id that does not exist, was uploaded by another user, was uploaded for
    another field, or is bound to another record. Values already on `record` pass unchanged."""
    if not isinstance(data, dict):
        return data
    data = {k: ([dict(r) if isinstance(r, dict) else r for r in v] if isinstance(v, list) else v)
            for k, v in data.items()}  # fmt: skip
    existing = _ids_in(config, record_type, record.data or {}) if record is not None else set()
    slots = [(p, k, box, s, _raw_id(box[s])) for p, k, box, s in _slots(config, record_type, data)]
    wanted = {i for *_x, i in slots if i and i not in existing}
    found = {str(a.pk): a for a in Attachment.objects.filter(pk__in=wanted)} if wanted else {}
    issues = []
    for path, key, box, slot, att_id in slots:
        if att_id is None or att_id in existing:
            continue
        attachment = found.get(att_id)
        problem = _problem(attachment, key, user, record)
        if problem:
            issues.append(FieldIssue(path, "attachment_not_available", problem))
            continue
        box[slot] = metadata(attachment)
    if issues:
        raise ValidationFailed(issues)
    return data


def _problem(attachment: Attachment | None, key: str, user, record: Record | None) -> str | None:
    missing = "No such uploaded file (upload it again)."
    if attachment is None:
        return missing
    if attachment.record_id is not None:
        if record is None or attachment.record_id != record.pk:
            return "This file belongs to another record."
    elif getattr(user, "pk", None) is not None and attachment.uploaded_by_id != user.pk:
        return missing  # somebody else's upload: do not confirm it exists
    if attachment.field_key and attachment.field_key != key:
        return "This file was uploaded for another field."
    return None


def bind(config, record: Record, *, user, before: dict | None = None) -> None:
    """Bind the uploads the record's data newly references (not in `before`, its data before the
    save) to it, inside the save transaction. One bound meanwhile by a concurrent save, or any that
    resolve() did not accept, makes the save fail."""
    keys = {}
    for _p, key, box, slot in _slots(config, record.record_type, record.data or {}):
        if (i := _raw_id(box[slot])) is not None:
            keys[i] = key
    new = set(keys) - _ids_in(config, record.record_type, before or {})
    if not new:
        return
    for att_id in sorted(new):
        mine = Attachment.objects.filter(pk=att_id, field_key__in=("", keys[att_id]))
        if getattr(user, "pk", None) is not None:
            mine = mine.filter(uploaded_by_id=user.pk)
        mine.filter(record__isnull=True).update(record=record, field_key=keys[att_id])
    bound = Attachment.objects.filter(pk__in=new, record=record).count()
    if bound != len(new):
        raise KingaError(
            "An attached file is no longer available (another save took it); upload it again.",
            code="attachment_conflict",
        )


# -- housekeeping -------------------------------------------------------------------------------------

UNBOUND_GRACE_HOURS = 48  # an upload not saved on a record within this time is abandoned


def purge_unbound(*, older_than_hours: float = UNBOUND_GRACE_HOURS, dry_run: bool = False) -> dict:
    """Delete uploads that never made it onto a record (the form was abandoned, the save refused)
    and are older than `older_than_hours`: their bytes and their rows. Bound attachments are never
    touched; a record's attachments go with the record. Audited as one event."""
    from datetime import timedelta

    from django.utils import timezone

    if older_than_hours < 1:
        raise KingaError("older_than_hours must be at least 1 (uploads in progress are unbound).")
    cutoff = timezone.now() - timedelta(hours=older_than_hours)
    stale = list(
        Attachment.objects.filter(record__isnull=True, uploaded_at__lt=cutoff).order_by("uploaded_at")
    )
    freed = sum(a.size for a in stale)
    if dry_run or not stale:
        return {"count": len(stale), "bytes": freed, "dry_run": dry_run}
    names = [a.file.name for a in stale if a.file]
    with transaction.atomic():
        Attachment.objects.filter(pk__in=[a.pk for a in stale], record__isnull=True).delete()
        record_event(
            "attachment.purge",
            details={"count": len(stale), "bytes": freed, "older_than_hours": older_than_hours},
        )

        def delete_files() -> None:  # only once the rows are gone for good
            from django.core.files.storage import default_storage

            for name in names:
                try:
                    default_storage.delete(name)
                except OSError:
                    pass  # already gone; the row is what mattered

        transaction.on_commit(delete_files)
    return {"count": len(stale), "bytes": freed, "dry_run": False}


# -- reading ------------------------------------------------------------------------------------------


def readable(user, attachment: Attachment) -> bool:
    """Unbound: only its uploader. Bound: the user may view the record, and sees the field (and its
    subform, for a field inside one) neither hidden nor masked."""
    from kinga.configpacks.runtime import NoActiveConfig, get_active

    from . import access

    if not getattr(user, "is_authenticated", False):
        return False
    if attachment.record_id is None:
        return attachment.uploaded_by_id is not None and attachment.uploaded_by_id == user.pk
    record = access.records_visible_to(user).filter(pk=attachment.record_id).first()
    if record is None or not access.can(user, "view", record.record_type, record):
        return False
    keys = [attachment.field_key]
    try:
        config = get_active()
        for f, parent in _attachment_fields(config, record.record_type):
            if f["key"] == attachment.field_key and parent is not None:
                keys.append(parent["key"])
    except NoActiveConfig:
        pass
    return all(
        access.field_level(user, record.record_type, key, record) not in ("hidden", "masked") for key in keys
    )
