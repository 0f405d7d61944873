"""Duplicate-detection endpoints under /api/v1/duplicates/. Thin: parse, call duplicates/actions,
answer. Records are looked up through records_visible_to, so an invisible record is a 404."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from kinga.api.base import KingaAPIView
from kinga.configpacks.runtime import get_active
from kinga.core.errors import NotFound
from kinga.records.access import records_visible_to
from kinga.records.models import Record
from rest_framework import serializers
from rest_framework.response import Response

from . import actions, duplicates
from .models import MergeRecord


def _visible(user, record_id) -> Record:
    record = records_visible_to(user).filter(pk=record_id).select_related("agency").first()
    if record is None:
        raise NotFound("The record does not exist or was deleted.")
    return record


class CheckSerializer(serializers.Serializer):
    record_type = serializers.CharField(max_length=64)
    data = serializers.DictField()
    record_id = serializers.UUIDField(required=False, help_text="The record being edited, if it exists")
    limit = serializers.IntegerField(required=False, min_value=1, max_value=100, default=20)


class DecisionSerializer(serializers.Serializer):
    record_a = serializers.UUIDField()
    record_b = serializers.UUIDField()
    decision = serializers.ChoiceField(choices=["not_duplicate", "same_person"])
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class MergeSerializer(serializers.Serializer):
    target = serializers.UUIDField()
    source = serializers.UUIDField()
    choices = serializers.DictField(
        child=serializers.ChoiceField(choices=["source", "target"]), required=False
    )


class UndoMergeSerializer(serializers.Serializer):
    merge_id = serializers.IntegerField()


class AccessRequestSerializer(serializers.Serializer):
    access_ref = serializers.CharField(max_length=500)
    reason = serializers.CharField(max_length=2000)


def _valid(serializer_class, request) -> dict:
    s = serializer_class(data=request.data)
    s.is_valid(raise_exception=True)
    return s.validated_data


class CheckView(KingaAPIView):
    @extend_schema(
        request=CheckSerializer, responses={200: dict}, summary="Likely duplicates of a record's data"
    )
    def post(self, request):
        body = _valid(CheckSerializer, request)
        get_active().record_type(body["record_type"])  # unknown type → a clear 400
        record = _visible(request.user, body["record_id"]) if body.get("record_id") else None
        candidates = duplicates.check(
            body["record_type"], body["data"], request.user, record=record, limit=body["limit"]
        )
        return Response({"candidates": candidates})


class DecisionView(KingaAPIView):
    @extend_schema(request=DecisionSerializer, responses={201: dict}, summary="Record a duplicate decision")
    def post(self, request):
        body = _valid(DecisionSerializer, request)
        a, b = _visible(request.user, body["record_a"]), _visible(request.user, body["record_b"])
        action = actions.link_same_person if body["decision"] == "same_person" else actions.mark_not_duplicate
        decision = action(user=request.user, record_a=a, record_b=b, note=body["note"])
        return Response(
            {
                "id": decision.pk,
                "decision": decision.decision,
                "record_a": str(decision.record_a_id),
                "record_b": str(decision.record_b_id),
                "person_id": str(Record.objects.get(pk=decision.record_a_id).person_id),
            },
            status=201,
        )


def _merge_body(merge: MergeRecord) -> dict:
    return {
        "merge_id": merge.pk,
        "target": str(merge.target_id),
        "source": str(merge.source_id),
        "choices": merge.choices,
        "undone": merge.undone_at is not None,
    }


class MergeView(KingaAPIView):
    @extend_schema(request=MergeSerializer, responses={201: dict}, summary="Merge two records (reversible)")
    def post(self, request):
        body = _valid(MergeSerializer, request)
        target, source = _visible(request.user, body["target"]), _visible(request.user, body["source"])
        merge = actions.merge_records(
            user=request.user, target=target, source=source, choices=body.get("choices")
        )
        return Response(_merge_body(merge), status=201)


class UndoMergeView(KingaAPIView):
    @extend_schema(request=UndoMergeSerializer, responses={200: dict}, summary="Undo a merge")
    def post(self, request):
        body = _valid(UndoMergeSerializer, request)
        merge = MergeRecord.objects.filter(pk=body["merge_id"]).first()
        if merge is None or not records_visible_to(request.user).filter(pk=merge.target_id).exists():
            raise NotFound("No such merge.")
        return Response(_merge_body(actions.undo_merge(user=request.user, merge=merge)))


class AccessRequestView(KingaAPIView):
    @extend_schema(
        request=AccessRequestSerializer, responses={201: dict}, summary="Ask for access to a restricted match"
    )
    def post(self, request):
        body = _valid(AccessRequestSerializer, request)
        record_id = duplicates.read_access_ref(body["access_ref"])
        record = Record.objects.filter(pk=record_id, deleted_at__isnull=True).select_related("agency").first()
        if record is None:
            raise NotFound("The record does not exist or was deleted.")
        return Response(
            actions.request_access(user=request.user, record=record, reason=body["reason"]), status=201
        )
