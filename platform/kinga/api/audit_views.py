"""The audit trail for auditors (roles granting `view_audit`) and superusers: read-only. There is no
endpoint that changes or deletes an event, and the database refuses it too (audit migration 0002).

Field values inside events (details.changes) are shown only where the viewer may see that field of
that record type; otherwise the change is listed with its values replaced by "[redacted]". Looking
at the audit trail is itself audited (audit.search, audit.export)."""

from __future__ import annotations

import csv
import io
import json

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response

from kinga.accounts.models import BreakGlassGrant
from kinga.audit.chain import record_event, verify
from kinga.audit.search import CSV_COLUMNS, FILTERS, break_glass_report, event_dict, filter_events
from kinga.core.errors import PermissionDenied
from kinga.records import access

from .base import KingaAPIView
from .pagination import KingaPagination

REDACTED = "[redacted]"
AUDIT_FILTERS = [
    OpenApiParameter("user", str, description="Username."),
    OpenApiParameter("action", str, description="An action (record.view) or a prefix ending in '.' (auth.)."),
    OpenApiParameter("record", str, description="Record id (UUID)."),
    OpenApiParameter("record_type", str),
    OpenApiParameter("ip", str),
    OpenApiParameter("from", str, description="YYYY-MM-DD (inclusive)."),
    OpenApiParameter("to", str, description="YYYY-MM-DD (inclusive)."),
]


def require_auditor(request) -> None:
    if not (access.can_anywhere(request.user, "view_audit") or request.user.is_superuser):
        raise PermissionDenied("Only auditors may read the audit trail (view_audit).")


def _redact_changes(user, event: dict) -> dict:
    changes = (event.get("details") or {}).get("changes")
    if not isinstance(changes, dict) or not event.get("record_type"):
        return event
    rt = event["record_type"]
    before = access.redact(user, rt, {k: (v or {}).get("from") for k, v in changes.items()})
    after = access.redact(user, rt, {k: (v or {}).get("to") for k, v in changes.items()})
    shown = {
        key: {"from": before.get(key, REDACTED), "to": after.get(key, REDACTED)} if key in before or key in after
        else {"from": REDACTED, "to": REDACTED}
        for key in changes
    }  # fmt: skip
    return {**event, "details": {**event["details"], "changes": shown}}


def _params(request) -> dict:
    return {k: request.query_params.get(k) for k in FILTERS if request.query_params.get(k)}


class AuditListView(KingaAPIView):
    @extend_schema(summary="Search the audit trail", parameters=AUDIT_FILTERS, responses=OpenApiTypes.OBJECT)
    def get(self, request):
        require_auditor(request)
        qs = filter_events(request.query_params)
        paginator = KingaPagination()
        page = paginator.paginate_queryset(qs, request, view=self)
        record_event("audit.search", user=request.user, details={"params": _params(request)})
        return paginator.get_paginated_response([_redact_changes(request.user, event_dict(e)) for e in page])


class AuditExportView(KingaAPIView):
    @extend_schema(
        summary="Export the audit trail as CSV",
        parameters=AUDIT_FILTERS,
        responses={(200, "text/csv"): OpenApiTypes.STR},
    )
    def get(self, request):
        require_auditor(request)
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(CSV_COLUMNS)
        count = 0
        for event in filter_events(request.query_params).iterator(chunk_size=2000):
            row = _redact_changes(request.user, event_dict(event))
            row["details"] = json.dumps(row["details"], ensure_ascii=False, sort_keys=True)
            cells = ["" if row[c] is None else str(row[c]) for c in CSV_COLUMNS]
            writer.writerow(["'" + c if c.startswith(("=", "+", "-", "@")) else c for c in cells])
            count += 1
        record_event("audit.export", user=request.user, details={"params": _params(request), "count": count})
        response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="audit.csv"'
        return response


class BreakGlassReportView(KingaAPIView):
    @extend_schema(
        summary="Break-glass report: who opened emergency access to which record, why, when, and what they did",
        parameters=[OpenApiParameter("user", str)],
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request):
        require_auditor(request)
        grants = BreakGlassGrant.objects.select_related("user")
        if request.query_params.get("user"):
            grants = grants.filter(user__username=request.query_params["user"])
        paginator = KingaPagination()
        page = paginator.paginate_queryset(grants, request, view=self)
        return paginator.get_paginated_response(break_glass_report(page))


class AuditVerifyView(KingaAPIView):
    @extend_schema(summary="Check the audit hash chain", responses=OpenApiTypes.OBJECT)
    def get(self, request):
        require_auditor(request)
        problems = verify()
        return Response({"intact": not problems, "problems": problems[:100]})
