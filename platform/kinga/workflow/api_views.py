"""HTTP views for deadlines and status transitions. Thin: the logic is in deadlines/statuses/actions."""

from __future__ import annotations

import uuid

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from kinga.api.base import KingaAPIView, request_language
from kinga.configpacks.runtime import get_active
from kinga.core.errors import KingaError, NotFound

from .actions import transition as apply_transition
from .deadlines import STATES, deadline_report, deadlines_for, overdue_for, record_deadlines
from .statuses import allowed_transitions, status_label
from .visibility import visible_records

MAX_ITEMS = 5000


def _get_record(user, record_type: str, record_id: str):
    """A record the user may see, by id or short id (404 otherwise: never reveal that it exists)."""
    active = get_active()
    active.record_type(record_type)  # unknown record type -> 400 with a clear message
    qs = visible_records(user, record_type)
    try:
        record = qs.filter(pk=uuid.UUID(record_id)).first()
    except ValueError:
        record = qs.filter(short_id=record_id).first()
    if record is None:
        raise NotFound("No such record, or you may not see it.")
    return active, record


def _record_workflow(active, record, user, lang: str) -> dict:
    labels = {d["id"]: d.get("label") for d in deadlines_for(record.record_type, active)}
    return {
        "id": str(record.id),
        "short_id": record.short_id,
        "status": record.status,
        "status_label": active.text(status_label(record.record_type, record.status, active), lang),
        "version": record.version,
        "transitions": [
            {
                "id": t["id"],
                "label": active.text(t.get("label") or t["id"], lang),
                "to": t["to"],
                "requires_approval": bool(t.get("requires_approval")),
            }
            for t in allowed_transitions(record, user, active)
        ],
        "deadlines": [
            {**s.as_dict(), "label": active.text(labels.get(s.deadline), lang)}
            for s in record_deadlines(record, config=active)
        ],
    }


class DeadlineReportView(KingaAPIView):
    """GET ?record_type=case[&state=overdue][&deadline=id][&limit=500]: counts and items per deadline,
    over the records the user may see."""

    @extend_schema(
        summary="Deadline report",
        parameters=[
            OpenApiParameter("record_type", str, required=True),
            OpenApiParameter("state", str),
            OpenApiParameter("deadline", str),
            OpenApiParameter("limit", int),
        ],
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request):
        active = get_active()
        record_type = request.query_params.get("record_type", "")
        active.record_type(record_type)
        state = request.query_params.get("state") or None
        if state and state not in STATES:
            raise KingaError(
                f"Unknown state '{state}'; use one of: {', '.join(STATES)}.", code="invalid_state"
            )
        try:
            limit = min(int(request.query_params.get("limit", 500)), MAX_ITEMS)
        except ValueError:
            raise KingaError("limit must be a number.", code="invalid_limit")
        report = deadline_report(
            record_type,
            visible_records(request.user, record_type),
            deadline=request.query_params.get("deadline") or None,
            states=[state] if state else None,
            config=active,
            limit=max(limit, 0),
        )
        for d in report["deadlines"]:
            d["label"] = active.text(d["label"], request_language(request, active))
        report["config_version"] = active.number
        return Response(report)


class MyOverdueView(KingaAPIView):
    """GET: overdue deadlines on the open records the user owns ("my work")."""

    @extend_schema(summary="My overdue deadlines", parameters=[], responses={200: OpenApiTypes.OBJECT})
    def get(self, request):
        active = get_active()
        items = overdue_for(request.user, config=active)
        for item in items:
            item["label"] = active.text(item["label"], request_language(request, active))
        return Response({"count": len(items), "items": items, "config_version": active.number})


class RecordWorkflowView(KingaAPIView):
    """GET: the record's status, the transitions the user may apply now, and its deadline states."""

    @extend_schema(
        summary="Record workflow state",
        parameters=[
            OpenApiParameter("record_type", str, OpenApiParameter.PATH),
            OpenApiParameter("record_id", str, OpenApiParameter.PATH),
        ],
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request, record_type: str, record_id: str):
        active, record = _get_record(request.user, record_type, record_id)
        return Response(_record_workflow(active, record, request.user, request_language(request, active)))


class TransitionInputSerializer(serializers.Serializer):
    transition = serializers.CharField(max_length=64)
    reason = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class TransitionView(KingaAPIView):
    """POST {transition, reason}: apply a workflow transition; answers the record's new workflow state."""

    serializer_class = TransitionInputSerializer

    def post(self, request, record_type: str, record_id: str):
        body = TransitionInputSerializer(data=self.body_object(request))
        body.is_valid(raise_exception=True)
        active, record = _get_record(request.user, record_type, record_id)
        record = apply_transition(
            user=request.user,
            record=record,
            transition_id=body.validated_data["transition"],
            reason=body.validated_data["reason"],
        )
        return Response(_record_workflow(active, record, request.user, request_language(request, active)))
