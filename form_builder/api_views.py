"""HTTP adapters of the builder (/api/v1/builder/...). Views only parse requests and shape responses;
everything else is in drafts.py, ops/, logic.py, catalogue.py, translations.py and imports.py."""

from __future__ import annotations

import copy

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from kinga.api.base import KingaAPIView
from kinga.api.parsers import KingaJSONParser
from kinga.configpacks.runtime import get_active
from kinga.core.errors import KingaError, NotFound
from kinga.records.access import visible_config
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from . import catalogue, drafts, logic, permissions, translations
from . import serializers as S
from .imports import export_from_draft, import_into_draft
from .models import Draft
from .ops import apply_ops
from .xlsform import export_xlsform

ERROR = OpenApiResponse(OpenApiTypes.OBJECT, description='{"error": {"code", "message", "details"}}')
ERRORS = {400: ERROR, 403: ERROR, 404: ERROR, 409: ERROR}
DRAFT_ID = OpenApiParameter("draft_id", int, OpenApiParameter.PATH, description="Draft id.")
TAG = ["builder"]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _valid(serializer_class, data) -> dict:
    s = serializer_class(data=data)
    s.is_valid(raise_exception=True)
    return s.validated_data


def summary(d: Draft) -> dict:
    return {
        "id": d.pk,
        "name": d.name,
        "status": d.status,
        "revision": d.revision,
        "namespace": d.namespace,
        "base_version": d.base_version.number if d.base_version_id else None,
        "published_version": d.published_version.number if d.published_version_id else None,
        "created_by": d.created_by.get_username() if d.created_by_id else None,
        "created_at": d.created_at,
        "updated_at": d.updated_at,
    }


class AdminView(KingaAPIView):
    """Builder views: only configuration administrators (permissions.py)."""

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        permissions.require_admin(request.user)

    def draft(self, draft_id) -> Draft:
        d = (
            Draft.objects.select_related("base_version", "published_version", "created_by")
            .filter(pk=draft_id)
            .first()
        )
        if d is None:
            raise NotFound(f"There is no draft {draft_id}.")
        return d


# -- drafts ---------------------------------------------------------------------------------------
class DraftListView(AdminView):
    parser_classes = [KingaJSONParser, MultiPartParser, FormParser]

    @extend_schema(
        tags=TAG, summary="List drafts", responses={200: S.DraftSummarySerializer(many=True), **ERRORS}
    )
    def get(self, request):
        qs = Draft.objects.select_related("base_version", "published_version", "created_by")
        status = request.query_params.get("status")
        if status:
            qs = qs.filter(status=status)
        return Response([summary(d) for d in qs[:200]])

    @extend_schema(
        tags=TAG,
        summary="Start a draft",
        description="JSON: from the active configuration (exported as a flat pack). Multipart with `file`: "
        "from an uploaded pack (.zip).",
        request={"application/json": S.DraftCreateSerializer, "multipart/form-data": S.DraftCreateSerializer},
        responses={201: S.DraftSummarySerializer, **ERRORS},
    )
    def post(self, request):
        data = _valid(S.DraftCreateSerializer, request.data)
        kwargs = {"user": request.user, "name": data.get("name", ""), "namespace": data.get("namespace")}
        if data.get("file") is not None:
            d = drafts.create_from_upload(upload=data["file"], **kwargs)
        else:
            d = drafts.create_from_active(**kwargs)
        return Response(summary(d), status=201)


def _annotate(fields: list, locks, rt: str | None) -> list:
    out = []
    for f in fields:
        if not isinstance(f, dict):
            continue
        f = dict(f)
        f["locked_by"] = locks.field_origin(rt, f.get("key", ""), f)
        if isinstance(f.get("fields"), list):
            f["fields"] = _annotate(f["fields"], locks, rt)
        out.append(f)
    return out


def structure(d: Draft) -> dict:
    """The draft's forms, lookups and roles as parsed data, each field marked with `locked_by`."""
    ws = drafts.workspace(d)
    locks = drafts.locks_for(d, ws)
    forms = []
    for path, form in ws.forms():
        rt = ws.form_record_type(form)
        item = {k: copy.deepcopy(v) for k, v in form.items() if k != "sections"}
        item.update(file=path, record_type=rt, sections=[])
        for s in form.get("sections") or []:
            if isinstance(s, dict):
                item["sections"].append({**s, "fields": _annotate(s.get("fields") or [], locks, rt)})
        forms.append(item)
    lookups = [
        {**item, "file": path, "locked_by": locks.lookup_origin(item.get("id", ""), item)}
        for path, item in ws.lookups()
    ]
    meta = ws.meta
    return {
        "pack": {k: meta.get(k) for k in ("id", "name", "version", "extends", "namespace")},
        "languages": ws.languages,
        "default_language": ws.default_language,
        "record_types": ws.record_types(),
        "forms": forms,
        "lookups": lookups,
        "roles": ws.roles(),
    }


class DraftDetailView(AdminView):
    @extend_schema(
        tags=TAG,
        summary="A draft: files and parsed structure",
        parameters=[
            DRAFT_ID,
            OpenApiParameter("files", bool, description="Include the raw files (default true)."),
        ],
        responses={200: OpenApiTypes.OBJECT, **ERRORS},
    )
    def get(self, request, draft_id: int):
        d = self.draft(draft_id)
        body = summary(d)
        try:
            body.update(structure(d))
        except KingaError as exc:  # a YAML error in a file: the raw files are still shown to fix it
            body["structure_error"] = exc.message
        if request.query_params.get("files", "true").lower() not in ("0", "false", "no"):
            body["files"] = d.files
        return Response(body)

    @extend_schema(
        tags=TAG,
        summary="Rename a draft",
        request=S.DraftPatchSerializer,
        parameters=[DRAFT_ID],
        responses={200: S.DraftSummarySerializer, **ERRORS},
    )
    def patch(self, request, draft_id: int):
        d = self.draft(draft_id)
        d.name = _valid(S.DraftPatchSerializer, request.data)["name"]
        d.save(update_fields=["name", "updated_at"])
        return Response(summary(d))

    @extend_schema(
        tags=TAG, summary="Discard a draft", parameters=[DRAFT_ID], responses={204: None, **ERRORS}
    )
    def delete(self, request, draft_id: int):
        d = self.draft(draft_id)
        if d.status == Draft.OPEN:
            d.status = Draft.DISCARDED
            d.save(update_fields=["status", "updated_at"])
        return Response(status=204)


class DraftOpsView(AdminView):
    @extend_schema(
        tags=TAG,
        summary="Apply edit operations",
        description="One operation object ({op: add_field, form, section, field, after?}) or {ops: [...]} "
        "(all or none). Operations and their payloads: docs/form_builder.md.",
        parameters=[DRAFT_ID],
        request=S.OperationSerializer,
        responses={200: S.OperationResultSerializer, **ERRORS},
    )
    def post(self, request, draft_id: int):
        body = self.body_object(request)
        ops = body["ops"] if "ops" in body else [{k: v for k, v in body.items() if k != "revision"}]
        revision = body.get("revision")
        if revision is not None and (not isinstance(revision, int) or isinstance(revision, bool)):
            raise KingaError("'revision' must be a whole number.", code="invalid")
        return Response(apply_ops(self.draft(draft_id), user=request.user, ops=ops, revision=revision))


class DraftValidateView(AdminView):
    @extend_schema(
        tags=TAG,
        summary="Validate a draft",
        parameters=[DRAFT_ID],
        request=None,
        responses={200: S.ValidationSerializer, **ERRORS},
    )
    def post(self, request, draft_id: int):
        return Response(drafts.check_draft(self.draft(draft_id)))

    get = post


class DraftDiffView(AdminView):
    @extend_schema(
        tags=TAG,
        summary="What publishing would change",
        parameters=[DRAFT_ID],
        responses={200: OpenApiTypes.OBJECT, **ERRORS},
    )
    def get(self, request, draft_id: int):
        from kinga.configpacks.diff import format_diff

        result = drafts.diff_draft(self.draft(draft_id))
        return Response({**result, "text": format_diff(result)})


class DraftPublishView(AdminView):
    @extend_schema(
        tags=TAG,
        summary="Publish a draft (validate → diff → apply)",
        description="Runs the same apply as `kinga pack apply`, atomically, with the declared migrations.",
        parameters=[DRAFT_ID],
        request=S.PublishSerializer,
        responses={200: S.PublishResultSerializer, **ERRORS},
    )
    def post(self, request, draft_id: int):
        data = _valid(S.PublishSerializer, self.body_object(request))
        result = drafts.publish_draft(
            self.draft(draft_id),
            user=request.user,
            migrations=data.get("migrations"),
            note=data.get("note", ""),
            force=data.get("force", False),
        )
        return Response(result)


class DraftKeysView(AdminView):
    @extend_schema(
        tags=TAG,
        summary="Field keys of a record type (autocomplete)",
        parameters=[DRAFT_ID, OpenApiParameter("record_type", str, required=True)],
        responses={200: OpenApiTypes.OBJECT, **ERRORS},
    )
    def get(self, request, draft_id: int):
        ws = drafts.workspace(self.draft(draft_id))
        rt = request.query_params.get("record_type") or ""
        if rt not in ws.record_types():
            raise NotFound(f"The draft has no record type '{rt}'.")
        return Response({"record_type": rt, "fields": list(catalogue.keys_from_draft(ws, rt).values())})


class DraftTranslationsView(AdminView):
    @extend_schema(
        tags=TAG,
        summary="Every translatable text with its translation (or missing)",
        parameters=[DRAFT_ID, OpenApiParameter("lang", str, required=True)],
        responses={200: OpenApiTypes.OBJECT, **ERRORS},
    )
    def get(self, request, draft_id: int):
        ws = drafts.workspace(self.draft(draft_id))
        lang = request.query_params.get("lang") or ws.default_language
        if lang not in ws.languages:
            raise NotFound(f"'{lang}' is not one of the draft's languages ({', '.join(ws.languages)}).")
        return Response(translations.translations_view(ws, lang))


class DraftPreviewConfigView(AdminView):
    @extend_schema(
        tags=TAG,
        summary="The effective configuration the draft would produce",
        description="Same shape as GET /api/v1/config/ (version is null), for the caseworker renderer.",
        parameters=[
            DRAFT_ID,
            OpenApiParameter("lang", str),
            OpenApiParameter(
                "role",
                str,
                description="Filter as a user holding this role of the draft would see it (hidden forms "
                "and fields dropped, read/masked fields read-only). Default: every form and field, "
                "editable, as designed.",
            ),
        ],
        responses={200: OpenApiTypes.OBJECT, **ERRORS},
    )
    def get(self, request, draft_id: int):
        from kinga.configpacks.runtime import content_hash

        config = drafts.compile_draft(self.draft(draft_id))
        wanted = request.query_params.get("lang")
        lang = wanted if wanted in config["languages"] else config["default_language"]
        role = request.query_params.get("role")
        # Not the administrator's own access: im_admin may only view records, so every field would be
        # read-only and forms of record types it cannot see would be missing from the preview.
        if role:
            if role not in config.get("roles", {}):
                raise NotFound(f"The draft has no role '{role}'.")
            body = dict(visible_config(config, _RoleViewer(role)))
        else:
            body = dict(config, access={})  # no per-record-type limits: the form as designed
        body.update(version=None, content_hash=content_hash(config), language=lang, preview=True)
        return Response(body)


class _RoleViewer:
    """A stand-in user holding one role, for previewing a draft as that role sees it."""

    is_authenticated = True
    is_active = True
    is_superuser = False
    integration_scopes = None
    pk = None

    def __init__(self, role: str):
        self.roles = [role]
        self.username = f"preview:{role}"


class DraftXLSFormImportView(AdminView):
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        tags=TAG,
        summary="Import an XLSForm (.xlsx) as a form of the draft",
        parameters=[DRAFT_ID],
        request={"multipart/form-data": S.XLSFormImportSerializer},
        responses={200: OpenApiTypes.OBJECT, **ERRORS},
    )
    def post(self, request, draft_id: int):
        data = _valid(S.XLSFormImportSerializer, request.data)
        upload = data["file"]
        from .xlsform.reader import MAX_FILE_BYTES

        if upload.size > MAX_FILE_BYTES:
            raise KingaError(f"An XLSForm may be at most {MAX_FILE_BYTES} bytes.", code="xlsform_invalid")
        result = import_into_draft(
            self.draft(draft_id),
            user=request.user,
            data=upload.read(),
            record_type=data.get("record_type"),
            form_id=data.get("form_id"),
            prefix=data.get("prefix"),
            replace=data.get("replace", False),
            revision=data.get("revision"),
        )
        return Response(result)


def _xlsx(data: bytes, form_id: str, issues) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{form_id}.xlsx"'
    response["X-Kinga-Export-Issues"] = str(len(issues))
    return response


XLSX_RESPONSE = {(200, XLSX): OpenApiTypes.BINARY, **ERRORS}


class DraftXLSFormExportView(AdminView):
    @extend_schema(
        tags=TAG,
        summary="Export a form of the draft as XLSForm",
        parameters=[DRAFT_ID, OpenApiParameter("form_id", str, OpenApiParameter.PATH)],
        responses=XLSX_RESPONSE,
    )
    def get(self, request, draft_id: int, form_id: str):
        data, issues = export_from_draft(self.draft(draft_id), form_id, user=request.user)
        return _xlsx(data, form_id, issues)


class ActiveXLSFormExportView(AdminView):
    @extend_schema(
        tags=TAG,
        summary="Export a form of the active configuration as XLSForm",
        parameters=[OpenApiParameter("form_id", str, OpenApiParameter.PATH)],
        responses=XLSX_RESPONSE,
    )
    def get(self, request, form_id: str):
        data, issues = export_xlsform(get_active().data, form_id)
        return _xlsx(data, form_id, issues)


# -- history ----------------------------------------------------------------------------------------
class HistoryView(AdminView):
    @extend_schema(tags=TAG, summary="Configuration versions", responses={200: OpenApiTypes.OBJECT, **ERRORS})
    def get(self, request):
        return Response(drafts.history(user=request.user))


class RollbackView(AdminView):
    @extend_schema(
        tags=TAG,
        summary="Re-install an earlier version as a new one",
        request=S.RollbackSerializer,
        responses={200: OpenApiTypes.OBJECT, **ERRORS},
    )
    def post(self, request):
        data = _valid(S.RollbackSerializer, self.body_object(request))
        return Response(
            drafts.rollback(user=request.user, number=data.get("version"), note=data.get("note", ""))
        )


# -- helpers that need no draft (any signed-in user) ---------------------------------------------------
def _keys(request, record_type: str | None, draft_id: int | None) -> dict | None:
    """Field catalogue to check references against: the draft's (admins only) or the active one."""
    if not record_type:
        return None
    if draft_id is not None:
        permissions.require_admin(request.user)
        d = Draft.objects.select_related("base_version").filter(pk=draft_id).first()
        if d is None:
            raise NotFound(f"There is no draft {draft_id}.")
        ws = drafts.workspace(d)
        if record_type not in ws.record_types():
            raise NotFound(f"The draft has no record type '{record_type}'.")
        return catalogue.keys_from_draft(ws, record_type)
    config = get_active().data
    if record_type not in config["record_types"]:
        raise NotFound(f"There is no record type '{record_type}'.")
    return catalogue.keys_from_config(config, record_type)


class ExpressionCheckView(KingaAPIView):
    @extend_schema(
        tags=TAG,
        summary="Parse an expression on the server",
        description="Syntax errors come with the 1-based column and what was expected; with record_type, "
        "references are checked against the draft's (or the active) fields.",
        request=S.ExpressionCheckSerializer,
        responses={200: S.ExpressionResultSerializer, **ERRORS},
    )
    def post(self, request):
        data = _valid(S.ExpressionCheckSerializer, self.body_object(request))
        keys = _keys(request, data.get("record_type"), data.get("draft"))
        extra: set[str] = set()
        if keys is not None and data.get("field") in keys:
            options = keys[data["field"]].get("options") or []
            extra = {a for o in options for a in (o.get("attrs") or {})} | {"code"}
        return Response(logic.check_expression(data["expr"], keys, data.get("record_type"), extra))


class FunctionsView(KingaAPIView):
    @extend_schema(
        tags=TAG,
        summary="Expression functions (name, arity, description)",
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request):
        return Response(catalogue.functions())


class FieldTypesView(KingaAPIView):
    @extend_schema(
        tags=TAG, summary="Field types and their builder specs", responses={200: OpenApiTypes.OBJECT}
    )
    def get(self, request):
        return Response(catalogue.field_types())


class ConditionBuildView(KingaAPIView):
    @extend_schema(
        tags=TAG,
        summary="Clauses → expression text",
        request=S.ConditionBuildSerializer,
        responses={200: OpenApiTypes.OBJECT, **ERRORS},
    )
    def post(self, request):
        body = self.body_object(request)
        data = _valid(S.ConditionBuildSerializer, body)
        keys = _keys(request, data.get("record_type"), data.get("draft"))
        expr = logic.build_condition(body.get("clauses"), data["join"], keys)
        return Response({"expr": expr, "check": logic.check_expression(expr, keys, data.get("record_type"))})


class ConditionParseView(KingaAPIView):
    @extend_schema(
        tags=TAG,
        summary="Expression → clauses, when it is in the simple shape",
        request=S.ConditionParseSerializer,
        responses={200: OpenApiTypes.OBJECT, **ERRORS},
    )
    def post(self, request):
        data = _valid(S.ConditionParseSerializer, self.body_object(request))
        return Response(logic.parse_condition(data["expr"]))
