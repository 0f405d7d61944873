"""Attachments: POST /api/v1/attachments/ uploads one file for an attachment field; the record then
stores its id in that field and is bound to it on save (kinga.records.attachments.bind). GET
/api/v1/attachments/<id>/ downloads the bytes to users who may see the record and the field.

The rules (size, sniffed content type, file names, who may read) live in kinga.records.attachments;
this module parses the request. The request size is bounded while it streams (KINGA_MAX_ATTACHMENT_
BYTES): a larger upload is refused with 413 without being read into memory or kept on disk.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import FileResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from kinga.audit.chain import record_event
from kinga.configpacks.runtime import get_active
from kinga.core.errors import KingaError, NotFound, PermissionDenied
from kinga.records import access, shortids
from kinga.records import attachments as rules
from kinga.records.models import Attachment

from .base import KingaAPIView
from .record_views import ERROR

# Room for the multipart envelope and the small text parts around the file.
MULTIPART_SLACK = 64 * 1024


class AttachmentUploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="The file (its type is read from its bytes).")
    field_key = serializers.CharField(help_text="Key of an attachment field.")
    record_type = serializers.CharField(
        required=False,
        help_text="Record type of the field; may be left out when only one record type has this field.",
    )
    record = serializers.CharField(
        required=False, help_text="Id or short id of the record being edited (absent for a new record)."
    )


class AttachmentSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    file_name = serializers.CharField()
    content_type = serializers.CharField()
    size = serializers.IntegerField()
    sha256 = serializers.CharField()


class _SizeLimit(FileUploadHandler):
    """First upload handler: stops the upload once a file passes `limit` bytes (the rest of the
    request is drained, not stored)."""

    def __init__(self, request, limit: int):
        super().__init__(request)
        self.limit = limit
        self.exceeded = False

    def receive_data_chunk(self, raw_data, start):
        if start + len(raw_data) > self.limit:
            self.exceeded = True
            raise StopUpload(connection_reset=False)
        return raw_data

    def file_complete(self, file_size):
        return None


def _too_large(limit: int) -> rules.UploadRefused:
    return rules.UploadRefused(
        f"The file is too large: files may be up to {rules.human_size(limit)}.",
        code="file_too_large",
        status=413,
        details={"max_bytes": limit},
    )


class AttachmentUploadView(KingaAPIView):
    parser_classes = [MultiPartParser, FormParser]

    def initial(self, request, *args, **kwargs):
        ceiling = settings.KINGA_MAX_ATTACHMENT_BYTES
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > ceiling + MULTIPART_SLACK:
            raise _too_large(ceiling)
        self.size_limit = _SizeLimit(request._request, ceiling)
        request._request.upload_handlers.insert(0, self.size_limit)
        # Not KingaAPIView.initial: its body cap is for JSON, smaller than an attachment may be.
        APIView.initial(self, request, *args, **kwargs)

    @extend_schema(
        summary="Upload a file for an attachment field",
        description=(
            "multipart/form-data. The content type is sniffed from the bytes (JPEG, PNG, GIF, WebP, PDF, "
            "plain text, DOCX, XLSX, MP3, Ogg, M4A) and must be one the field accepts "
            "(params.content_types, else KINGA_ALLOWED_UPLOAD_TYPES); the size is bounded by the field's "
            "params.max_bytes and KINGA_MAX_ATTACHMENT_BYTES. Put the answer's id in the field and save "
            "the record: the upload is then bound to it. 413: too large; 415: type not accepted."
        ),
        request={"multipart/form-data": AttachmentUploadSerializer},
        responses={201: AttachmentSerializer, 400: ERROR, 403: ERROR, 404: ERROR, 413: ERROR, 415: ERROR},
    )
    def post(self, request):
        upload = request.FILES.get("file")
        if self.size_limit.exceeded:
            raise _too_large(settings.KINGA_MAX_ATTACHMENT_BYTES)
        if upload is None:
            raise KingaError("No file: send it as the multipart part 'file'.", code="no_file")
        field_key = str(request.data.get("field_key") or "").strip()
        if not field_key:
            raise KingaError("Give the attachment field's key (field_key).", code="field_key_required")
        config = get_active()
        record_type = self._record_type(request, config, field_key)
        record = self._record(request, record_type)
        field = self._field(request, config, record_type, field_key, record)
        attachment = rules.store(
            user=request.user, upload=upload, field=field, field_key=field_key, record=record
        )
        return Response({**rules.metadata(attachment), "sha256": attachment.sha256}, status=201)

    def _may_write(self, user, record_type: str) -> bool:
        return access.can(user, "create", record_type) or access.can(user, "edit", record_type)

    def _record_type(self, request, config, field_key: str) -> str:
        record_type = str(request.data.get("record_type") or "").strip()
        if record_type:
            if record_type not in config.record_types():
                raise KingaError(f"Unknown record type '{record_type}'.", code="unknown_record_type")
            if not self._may_write(request.user, record_type):
                raise PermissionDenied(f"You may not create or edit {record_type} records.")
            return record_type
        candidates = [
            rt
            for rt in config.record_types()
            if (f := config.field(rt, field_key)) is not None
            and f.get("type") == "attachment"
            and self._may_write(request.user, rt)
            and access.field_level(request.user, rt, field_key) != "hidden"
        ]
        if len(candidates) == 1:
            return candidates[0]
        if not candidates:
            raise KingaError(
                f"Unknown attachment field '{field_key}' (or you may not edit it).", code="unknown_field"
            )
        raise KingaError(
            f"Several record types have a field '{field_key}': give record_type.", code="record_type_required"
        )

    def _record(self, request, record_type: str):
        ref = str(request.data.get("record") or request.data.get("record_id") or "").strip()
        if not ref:
            return None
        qs = access.records_visible_to(request.user, record_type)
        try:
            record = qs.filter(pk=uuid.UUID(ref)).first()
        except ValueError:
            record = qs.filter(short_id=shortids.normalize(ref)).first()
        if record is None:
            raise NotFound("No such record (it may not exist, be deleted, or be outside your access).")
        if not access.can(request.user, "edit", record_type, record):
            raise PermissionDenied(f"You may not edit this {record_type}.")
        return record

    def _field(self, request, config, record_type: str, field_key: str, record) -> dict:
        field = config.field(record_type, field_key)
        parent = next(
            (f for _fm, _s, f in config.iter_fields(record_type)
             if any(c.get("key") == field_key for c in f.get("fields") or [])),
            None,
        )  # fmt: skip
        keys = [field_key] + ([parent["key"]] if parent else [])
        levels = [access.field_level(request.user, record_type, k, record) for k in keys]
        if field is None or "hidden" in levels:
            raise KingaError(f"Unknown field '{field_key}' in {record_type}.", code="unknown_field")
        if field.get("type") != "attachment":
            raise KingaError(f"'{field_key}' is not an attachment field.", code="not_attachment_field")
        if any(level != "edit" for level in levels):
            raise PermissionDenied(f"You may not change the field '{field_key}'.", code="field_not_editable")
        return field


class AttachmentDownloadView(KingaAPIView):
    def perform_content_negotiation(self, request, force=False):
        # The answer is the file whatever the Accept header says (errors stay JSON).
        return super().perform_content_negotiation(request, force=True)

    @extend_schema(
        summary="Download an attachment",
        description=(
            "The file, as an attachment with its sniffed content type. 404 unless you may see the record "
            "and the field (an upload not yet saved on a record: only its uploader)."
        ),
        parameters=[OpenApiParameter("attachment_id", OpenApiTypes.UUID, OpenApiParameter.PATH)],
        responses={
            (200, "application/octet-stream"): OpenApiResponse(OpenApiTypes.BINARY, description="The file."),
            404: ERROR,
        },
    )
    def get(self, request, attachment_id):
        attachment = Attachment.objects.select_related("record").filter(pk=attachment_id).first()
        if attachment is None or not rules.readable(request.user, attachment):
            raise NotFound("No such attachment (or it is outside your access).")
        try:
            handle = attachment.file.open("rb")
        except (FileNotFoundError, OSError, ValueError):
            raise NotFound("The attachment's file is missing from storage.") from None
        record_event(
            "attachment.download",
            user=request.user,
            record=attachment.record,
            details={
                "attachment": str(attachment.id),
                "field_key": attachment.field_key,
                "sha256": attachment.sha256,
            },
        )
        response = FileResponse(
            handle,
            as_attachment=True,
            filename=attachment.file_name,
            content_type=attachment.content_type,
        )
        response["X-Content-Type-Options"] = "nosniff"
        return response
