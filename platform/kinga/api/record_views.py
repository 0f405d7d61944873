"""The records API: /api/v1/records/<record_type>/[<id or short_id>/[links/]].

Record types are pack data, so the routes are generic and everything type-specific (fields, filters,
validation) comes from the active configuration. Querysets come only from
kinga.records.access.records_visible_to and writes only from kinga.records.actions.
"""

from __future__ import annotations

import uuid

from django.db.models import F, Prefetch
from django.utils import translation
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.response import Response

from kinga.configpacks.runtime import get_active
from kinga.core.errors import KingaError, NotFound, PermissionDenied
from kinga.records import actions, queries, shortids
from kinga.records.access import can, records_visible_to
from kinga.records.models import Record, RecordLink

from .base import KingaAPIView, request_language
from .record_filters import apply_filters, apply_ordering, filter_spec
from .record_pagination import RecordPagination
from .record_serializers import (
    LinkCreateSerializer,
    LinkSerializer,
    RecordCreateSerializer,
    RecordPageSerializer,
    RecordPatchSerializer,
    RecordSerializer,
    record_to_dict,
)

RECORD_TYPE = OpenApiParameter(
    "record_type",
    str,
    OpenApiParameter.PATH,
    description="A record type id from the configuration (e.g. case).",
)
RECORD_ID = OpenApiParameter("record_id", str, OpenApiParameter.PATH, description="Record UUID or short id.")
LANG = OpenApiParameter("lang", str, description="Language of messages (default: the user's).")
ERROR = OpenApiResponse(OpenApiTypes.OBJECT, description='{"error": {"code", "message", "details"}}')


def _with_related(qs):
    # Only the version number: joining the whole ConfigVersion would parse the (large) configuration
    # JSON once per row, which dominated list time before.
    return (
        qs.select_related("owner", "agency")
        .annotate(config_number=F("config_version__number"))
        .prefetch_related(
            Prefetch("links_out", queryset=RecordLink.objects.select_related("to_record")),
            Prefetch("links_in", queryset=RecordLink.objects.select_related("from_record")),
        )
    )


class RecordTypeMixin:
    def setup_request(self, request, record_type: str):
        self.config = get_active()
        if record_type not in self.config.record_types():
            raise NotFound(f"Unknown record type '{record_type}'.")
        self.lang = request_language(request, self.config)

    def require(self, request, action: str, record_type: str, record=None) -> None:
        if not can(request.user, action, record_type, record):
            raise PermissionDenied(f"You may not {action} this {record_type}.")

    def get_record(self, request, record_type: str, record_id: str) -> Record:
        qs = records_visible_to(request.user, record_type)
        try:
            lookup = {"pk": uuid.UUID(record_id)}
        except ValueError:
            lookup = {"short_id": shortids.normalize(record_id)}
        record = _with_related(qs).filter(**lookup).first()
        if record is None:
            raise NotFound("No such record (it may not exist, be deleted, or be outside your access).")
        return record

    def respond(self, record: Record, status: int = 200) -> Response:
        record = _with_related(Record.objects.filter(pk=record.pk)).get()
        return Response(record_to_dict(record, self.config, self.lang), status=status)


class RecordListView(RecordTypeMixin, KingaAPIView):
    @extend_schema(
        summary="List records",
        parameters=[
            RECORD_TYPE,
            LANG,
            OpenApiParameter("q", str, description="Free text."),
            OpenApiParameter(
                "ordering",
                str,
                description="created_at, updated_at, short_id, status or an indexed field; prefix - to reverse.",
            ),
            OpenApiParameter("page", int),
            OpenApiParameter("page_size", int),
            OpenApiParameter(
                "<field>",
                str,
                description=(
                    "Filter on any configured field: ?sex=f, ?age__gte=5 (__gt/__gte/__lt/__lte on numbers "
                    "and dates), ?concerns=neglect (multi-select contains), ?name__isnull=true; and on "
                    "status, location (includes sub-locations), owner, agency, created_at__gte..."
                ),
            ),
        ],
        responses={200: RecordPageSerializer, 400: ERROR, 404: ERROR},
    )
    def get(self, request, record_type: str):
        self.setup_request(request, record_type)
        self.require(request, "view", record_type)
        spec = filter_spec(self.config, record_type)
        qs = records_visible_to(request.user, record_type)
        qs = apply_filters(qs, request.query_params, spec)
        qs = queries.text_search(qs, request.query_params.get("q", ""))
        qs = apply_ordering(qs, request.query_params.get("ordering"), spec)
        page, meta = RecordPagination().paginate(_with_related(qs), request)
        return RecordPagination.response(meta, [record_to_dict(r, self.config, self.lang) for r in page])

    @extend_schema(
        summary="Create a record",
        parameters=[RECORD_TYPE, LANG],
        request=RecordCreateSerializer,
        responses={201: RecordSerializer, 400: ERROR, 404: ERROR},
    )
    def post(self, request, record_type: str):
        self.setup_request(request, record_type)
        self.require(request, "create", record_type)
        body = RecordCreateSerializer(data=self.body_object(request))
        body.is_valid(raise_exception=True)
        with translation.override(self.lang):
            record = actions.create_record(
                user=request.user,
                record_type=record_type,
                data=body.validated_data["data"],
                status=body.validated_data.get("status"),
                location=body.validated_data.get("location"),
                short_id=body.validated_data.get("short_id"),
                lang=self.lang,
            )
        return self.respond(record, 201)


class RecordDetailView(RecordTypeMixin, KingaAPIView):
    @extend_schema(
        summary="Get a record",
        parameters=[RECORD_TYPE, RECORD_ID, LANG],
        responses={200: RecordSerializer, 404: ERROR},
    )
    def get(self, request, record_type: str, record_id: str):
        self.setup_request(request, record_type)
        record = self.get_record(request, record_type, record_id)
        self.require(request, "view", record_type, record)
        return Response(record_to_dict(record, self.config, self.lang))

    @extend_schema(
        summary="Change a record",
        description="Send the version you edited; 409 with the server's record when someone saved first.",
        parameters=[RECORD_TYPE, RECORD_ID, LANG],
        request=RecordPatchSerializer,
        responses={200: RecordSerializer, 400: ERROR, 404: ERROR, 409: ERROR},
    )
    def patch(self, request, record_type: str, record_id: str):
        self.setup_request(request, record_type)
        record = self.get_record(request, record_type, record_id)
        self.require(request, "edit", record_type, record)
        body = RecordPatchSerializer(data=self.body_object(request))
        body.is_valid(raise_exception=True)
        with translation.override(self.lang):
            record = actions.update_record(
                user=request.user,
                record=record,
                changes=body.validated_data["data"],
                expected_version=body.validated_data["version"],
                lang=self.lang,
            )
        return self.respond(record)

    @extend_schema(
        summary="Delete a record (soft delete)",
        parameters=[RECORD_TYPE, RECORD_ID, OpenApiParameter("reason", str)],
        request=None,
        responses={204: None, 404: ERROR},
    )
    def delete(self, request, record_type: str, record_id: str):
        self.setup_request(request, record_type)
        record = self.get_record(request, record_type, record_id)
        self.require(request, "delete", record_type, record)
        actions.delete_record(
            user=request.user, record=record, reason=request.query_params.get("reason", "")[:500]
        )
        return Response(status=204)


class RecordLinksView(RecordTypeMixin, KingaAPIView):
    @extend_schema(
        summary="Link this record to another",
        parameters=[RECORD_TYPE, RECORD_ID],
        request=LinkCreateSerializer,
        responses={201: LinkSerializer, 400: ERROR, 404: ERROR, 409: ERROR},
    )
    def post(self, request, record_type: str, record_id: str):
        self.setup_request(request, record_type)
        record = self.get_record(request, record_type, record_id)
        self.require(request, "link", record_type, record)
        body = LinkCreateSerializer(data=self.body_object(request))
        body.is_valid(raise_exception=True)
        target = self._target(request, body.validated_data["to"])
        link = actions.link_records(
            user=request.user,
            from_record=record,
            to_record=target,
            link_type=body.validated_data["link_type"],
        )
        return Response(
            {
                "id": link.id,
                "link_type": link.link_type,
                "direction": "out",
                "record_id": str(target.id),
                "short_id": target.short_id,
                "record_type": target.record_type,
            },
            status=201,
        )

    def _target(self, request, ref: str) -> Record:
        qs = records_visible_to(request.user)
        try:
            target = qs.filter(pk=uuid.UUID(ref)).first()
        except ValueError:
            target = qs.filter(short_id=shortids.normalize(ref)).first()
        if target is None:
            raise KingaError(
                f"No record '{ref}' to link to (or it is outside your access).", code="unknown_target"
            )
        return target
