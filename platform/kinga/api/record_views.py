"""The records API: /api/v1/records/<record_type>/[<id or short_id>/[links/]].

Record types are pack data, so the routes are generic and everything type-specific (fields, filters,
validation) comes from the active configuration. Querysets come only from
kinga.records.access.records_visible_to, writes only from kinga.records.actions, and every record
payload leaves through `outward` (kinga.records.access.redact): hidden fields are never sent, in
responses, conflict details or validation messages alike. Reads are audited (record.view,
record.search, record.export).
"""

from __future__ import annotations

import csv
import io
import json
import uuid

from django.db.models import F
from django.http import HttpResponse
from django.utils import translation
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.response import Response

from kinga.audit.chain import record_event
from kinga.configpacks.runtime import get_active
from kinga.core.errors import Conflict, KingaError, NotFound, PermissionDenied, ValidationFailed
from kinga.records import access, actions, queries, shortids
from kinga.records.access import can, records_visible_to
from kinga.records.models import Record

from .base import KingaAPIView, request_language
from .record_filters import RESERVED, apply_filters, apply_ordering, filter_spec
from .record_pagination import RecordPagination
from .record_serializers import (
    LinkCreateSerializer,
    LinkSerializer,
    RecordCreateSerializer,
    RecordPageSerializer,
    RecordPatchSerializer,
    RecordSerializer,
    ShortIdBlockSerializer,
    ShortIdReserveSerializer,
    attach_links,
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
    # Links are loaded by outward() (attach_links), one query per page.
    return qs.select_related("owner", "agency").annotate(config_number=F("config_version__number"))


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

    def respond(self, request, record: Record, status: int = 200) -> Response:
        record = _with_related(Record.objects.filter(pk=record.pk)).get()
        return Response(outward(request.user, [record], self.config, self.lang)[0], status=status)

    def guard_errors(self, request, record_type: str, record: Record | None = None):
        """Validation issues and 409 details pass through the same redaction as payloads."""
        return _GuardErrors(request.user, record_type, record)


class _GuardErrors:
    def __init__(self, user, record_type: str, record):
        self.user, self.record_type, self.record = user, record_type, record

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        if isinstance(exc, ValidationFailed):
            exc.details = access.redact_issues(self.user, self.record_type, exc.details, self.record)
        elif isinstance(exc, Conflict) and isinstance(exc.details, dict) and "data" in exc.details:
            exc.details = {
                **exc.details,
                "data": access.redact(self.user, self.record_type, exc.details["data"], self.record),
            }
        return False


def outward(user, records: list[Record], config, lang: str, only: list[str] | None = None) -> list[dict]:
    """Records as `user` may see them: data redacted, warnings on unseen fields dropped, links only
    to records the user may see (a link to a GBV incident would itself disclose it). `only`: keep
    just these data keys (a list showing a few columns need not carry 300 fields per row)."""
    glass = access.break_glass_ids(user)
    attach_links(records)
    linked = {uuid.UUID(link["record_id"]) for record in records for link in record.link_rows}
    seen = access.visible_ids(user, linked)
    out = []
    for record in records:
        body = record_to_dict(record, config, lang)
        body["data"] = access.redact(user, record.record_type, body["data"], record, glass=glass)
        if only is not None:
            body["data"] = {key: body["data"][key] for key in only if key in body["data"]}
        body["warnings"] = [w for w in body["warnings"] if w.get("field", "").split("[")[0].split(".")[0]
                            in body["data"]]  # fmt: skip
        body["links"] = [link for link in body["links"] if uuid.UUID(link["record_id"]) in seen]
        out.append(body)
    return out


def requested_fields(config, record_type: str, raw: str | None) -> list[str] | None:
    """?fields=a,b: the data keys a list should carry (None: all). Unknown keys are a 400."""
    if raw is None:
        return None
    wanted = [key.strip() for key in raw.split(",") if key.strip()]
    known = config.derived(
        ("top_level_keys", record_type),
        lambda: frozenset(f["key"] for _fm, _s, f in config.iter_fields(record_type)),
    )
    unknown = sorted({key for key in wanted if key not in known})
    if unknown:
        raise KingaError(
            f"Unknown field(s) in fields=: {', '.join(unknown)[:500]}.",
            code="invalid_filter",
            details=[
                {"field": "fields", "code": "unknown_field", "message": f"Unknown field '{k[:100]}'."}
                for k in unknown[:20]
            ],  # fmt: skip
        )
    return list(dict.fromkeys(wanted))


def guard_query(user, record_type: str, params) -> None:
    """Filtering, sorting or free-text searching on a field the user sees masked or not at all would
    reveal its value one question at a time: refuse it."""
    restricted = access.restricted_fields(user, record_type)
    if not restricted:
        return
    names = [p.split("__")[0] for p in params if p not in RESERVED]
    names.append((params.get("ordering") or "").lstrip("-"))
    bad = sorted({n for n in names if n in restricted})
    if params.get("q", "").strip():
        bad.append("q")
    if bad:
        raise KingaError(
            f"You may not filter, sort or search on: {', '.join(bad)}.",
            code="invalid_filter",
            details=[
                {"field": b, "code": "restricted_filter", "message": "Not available to your role."}
                for b in bad
            ],  # fmt: skip
        )


def audit_params(params) -> dict:
    return {key: params.getlist(key) if len(params.getlist(key)) > 1 else params.get(key) for key in params}


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
                "fields",
                str,
                description="Comma-separated field keys: each record's data carries only these "
                "(still only what you may see). Default: all.",
            ),
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
        guard_query(request.user, record_type, request.query_params)
        only = requested_fields(self.config, record_type, request.query_params.get("fields"))
        spec = filter_spec(self.config, record_type)
        qs = records_visible_to(request.user, record_type)
        qs = apply_filters(qs, request.query_params, spec)
        qs = queries.text_search(qs, request.query_params.get("q", ""))
        qs = apply_ordering(qs, request.query_params.get("ordering"), spec)
        page, meta = RecordPagination().paginate(_with_related(qs), request)
        page = list(page)
        record_event(
            "record.search",
            user=request.user,
            details={"record_type": record_type, "params": audit_params(request.query_params),
                     "returned": len(page)},
        )  # fmt: skip
        return RecordPagination.response(meta, outward(request.user, page, self.config, self.lang, only))

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
        data = access.check_changes(request.user, record_type, body.validated_data["data"])
        with translation.override(self.lang), self.guard_errors(request, record_type):
            record = actions.create_record(
                user=request.user,
                record_type=record_type,
                data=data,
                status=body.validated_data.get("status"),
                location=body.validated_data.get("location"),
                short_id=body.validated_data.get("short_id"),
                lang=self.lang,
            )
        return self.respond(request, record, 201)


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
        record_event("record.view", user=request.user, record=record, details={"short_id": record.short_id})
        return Response(outward(request.user, [record], self.config, self.lang)[0])

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
        changes = access.check_changes(request.user, record_type, body.validated_data["data"], record)
        with translation.override(self.lang), self.guard_errors(request, record_type, record):
            record = actions.update_record(
                user=request.user,
                record=record,
                changes=changes,
                expected_version=body.validated_data["version"],
                lang=self.lang,
            )
        return self.respond(request, record)

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


class RecordShortIdsView(RecordTypeMixin, KingaAPIView):
    @extend_schema(
        summary="Reserve short ids for offline work",
        description=(
            "Hands the caller a block of short ids for records they will create offline: send one as "
            "`short_id` when creating the record. Reserved ids are unique and never handed out twice, "
            "so records created on different devices without a connection cannot collide. Needs "
            "permission to create records of the type. Audited."
        ),
        parameters=[RECORD_TYPE],
        request=ShortIdReserveSerializer,
        responses={201: ShortIdBlockSerializer, 400: ERROR, 403: ERROR, 404: ERROR},
    )
    def post(self, request, record_type: str):
        self.setup_request(request, record_type)
        self.require(request, "create", record_type)
        body = ShortIdReserveSerializer(data=self.body_object(request))
        body.is_valid(raise_exception=True)
        ids = actions.reserve_short_ids(
            user=request.user, record_type=record_type, count=body.validated_data["count"]
        )
        return Response({"record_type": record_type, "short_ids": ids}, status=201)


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
        if record.module != target.module:
            # A link across modules (CP case <-> GBV incident) shares each record with the other team.
            override = bool(body.validated_data.get("override"))
            reason = body.validated_data.get("reason", "")
            for shared in (record, target):
                access.enforce_consent(request.user, shared, "link", override=override, reason=reason)
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
        if target is None or not can(request.user, "link", target.record_type, target):
            raise KingaError(
                f"No record '{ref}' to link to (or it is outside your access).", code="unknown_target"
            )
        return target


EXPORT_MAX = 50_000
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value) -> str:
    """One CSV cell; text that a spreadsheet would run as a formula is quoted with '."""
    if value is None:
        return ""
    if isinstance(value, list) and all(not isinstance(v, (dict, list)) for v in value):
        text = ";".join(str(v) for v in value)
    elif isinstance(value, (dict, list)):
        text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    else:
        text = str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


class RecordExportView(RecordTypeMixin, KingaAPIView):
    @extend_schema(
        summary="Export records as CSV",
        description=(
            "The records you may see, with the same filters as the list, and only the fields you may "
            "see (masked ones masked). Records whose consent or sharing wishes forbid export are left "
            "out (counted in the X-Kinga-Excluded header) unless override=true&reason=... by a role "
            "holding override_consent. Audited."
        ),
        parameters=[
            RECORD_TYPE,
            OpenApiParameter("override", bool),
            OpenApiParameter("reason", str),
            OpenApiParameter("<field>", str, description="Filters, as for the list."),
        ],
        responses={(200, "text/csv"): OpenApiTypes.STR, 403: ERROR},
    )
    def get(self, request, record_type: str):
        self.setup_request(request, record_type)
        self.require(request, "export", record_type)
        params = request.query_params.copy()
        override = params.pop("override", ["false"])[-1] == "true"
        reason = params.pop("reason", [""])[-1]
        guard_query(request.user, record_type, params)
        spec = filter_spec(self.config, record_type)
        qs = apply_filters(records_visible_to(request.user, record_type), params, spec)
        qs = queries.text_search(qs, params.get("q", ""))
        records = list(apply_ordering(qs, params.get("ordering"), spec).select_related("owner")[:EXPORT_MAX])
        keys = [f["key"] for _form, _section, f in self.config.iter_fields(record_type)]
        exported, excluded = [], []
        for record in records:
            try:
                access.enforce_consent(request.user, record, "export", override=override, reason=reason)
            except access.ConsentRefused:
                excluded.append(record.short_id)
                continue
            exported.append((record, access.redact(request.user, record_type, record.data, record)))
        shown = [k for k in keys if any(k in data for _r, data in exported)]
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(["short_id", "status", "location", "created_at", *shown])
        for record, data in exported:
            writer.writerow(
                [record.short_id, record.status, record.location, record.created_at.isoformat()]
                + [_cell(data.get(k)) for k in shown]
            )
        record_event(
            "record.export",
            user=request.user,
            reason=reason if override else "",
            details={"record_type": record_type, "params": audit_params(params), "count": len(exported),
                     "excluded_for_consent": excluded, "override": override},
        )  # fmt: skip
        response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{record_type}.csv"'
        response["X-Kinga-Excluded"] = str(len(excluded))
        return response
