"""Break-glass, alerts, integration tokens and user administration endpoints."""

from __future__ import annotations

import uuid

from django.db.models import Q
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from kinga.accounts import actions as account_actions
from kinga.accounts import break_glass, tokens, two_factor
from kinga.accounts.models import Alert, IntegrationToken, User
from kinga.configpacks.runtime import get_active
from kinga.core.errors import KingaError, NotFound, PermissionDenied
from kinga.records import shortids
from kinga.records.access import can_anywhere
from kinga.records.models import Record

from .base import KingaAPIView
from .pagination import KingaPagination


class BreakGlassSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class BreakGlassView(KingaAPIView):
    @extend_schema(
        summary="Open emergency (break-glass) access to a record",
        description=(
            "For a role with break_glass: true. Grants full access to this one record for "
            "KINGA_BREAK_GLASS_HOURS (3 h); supervisors and auditors are alerted; everything done "
            "under it is audited with a break_glass flag. Never allowed on GBV records."
        ),
        request=BreakGlassSerializer,
        responses={201: OpenApiTypes.OBJECT, 403: OpenApiTypes.OBJECT, 404: OpenApiTypes.OBJECT},
    )
    def post(self, request, record_type: str, record_id: str):
        config = get_active()
        config.record_type(record_type)
        body = BreakGlassSerializer(data=self.body_object(request))
        body.is_valid(raise_exception=True)
        from kinga.accounts.policy import may_break_glass

        # Refuse before the lookup: someone without the right learns nothing about what exists.
        if not may_break_glass(request.user, config.data):
            raise PermissionDenied(
                "Your roles do not allow emergency (break-glass) access.", code="break_glass_denied"
            )
        qs = Record.objects.filter(record_type=record_type, deleted_at__isnull=True)
        try:
            record = qs.filter(pk=uuid.UUID(record_id)).first()
        except ValueError:
            record = qs.filter(short_id=shortids.normalize(record_id)).first()
        if record is None:
            raise NotFound("No such record.")
        grant = break_glass.open_break_glass(
            user=request.user, record=record, reason=body.validated_data["reason"], config=config.data
        )
        return Response(
            {"grant": grant.pk, "record_id": str(record.pk), "short_id": record.short_id,
             "expires_at": grant.expires_at.isoformat()},
            status=201,
        )  # fmt: skip


class AlertListView(KingaAPIView):
    @extend_schema(
        summary="My alerts (break-glass openings, consent overrides)", responses=OpenApiTypes.OBJECT
    )
    def get(self, request):
        alerts = Alert.objects.filter(recipient=request.user)[:200]
        return Response(
            {
                "results": [
                    {
                        "id": a.pk,
                        "kind": a.kind,
                        "message": a.message,
                        "record_id": str(a.record_id) if a.record_id else None,
                        "created_at": a.created_at.isoformat(),
                        "read": a.read_at is not None,
                    }
                    for a in alerts
                ]
            }  # fmt: skip
        )


def _require_manage_users(request) -> None:
    if getattr(request.user, "integration_scopes", None) is not None:
        raise PermissionDenied("Integration tokens cannot manage users or tokens.")
    if not (request.user.is_superuser or can_anywhere(request.user, "manage_users")):
        raise PermissionDenied("Only a user administrator (manage_users) may do this.")


class IntegrationTokenCreateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    username = serializers.CharField(max_length=150, help_text="The account the integration acts as.")
    scopes = serializers.ListField(child=serializers.CharField(max_length=100), min_length=1)
    expires_in_days = serializers.IntegerField(min_value=1)


def _token_dict(token: IntegrationToken) -> dict:
    return {
        "id": token.pk,
        "name": token.name,
        "username": token.user.username,
        "scopes": token.scopes,
        "prefix": token.prefix,
        "created_at": token.created_at.isoformat(),
        "expires_at": token.expires_at.isoformat(),
        "last_used_at": token.last_used_at.isoformat() if token.last_used_at else None,
        "revoked": token.revoked_at is not None,
    }


class IntegrationTokenListView(KingaAPIView):
    @extend_schema(summary="Integration tokens (never their keys)", responses=OpenApiTypes.OBJECT)
    def get(self, request):
        _require_manage_users(request)
        qs = IntegrationToken.objects.select_related("user").order_by("-created_at")
        return Response({"results": [_token_dict(t) for t in qs[:500]]})

    @extend_schema(
        summary="Create an integration token",
        description='Scopes are "<record type>:<action>" or "<record type>:*". The key is shown once.',
        request=IntegrationTokenCreateSerializer,
        responses={201: OpenApiTypes.OBJECT},
    )
    def post(self, request):
        _require_manage_users(request)
        body = IntegrationTokenCreateSerializer(data=self.body_object(request))
        body.is_valid(raise_exception=True)
        user = User.objects.filter(username=body.validated_data["username"], is_active=True).first()
        if user is None:
            raise KingaError("Unknown or inactive user.", code="unknown_user")
        if user.is_superuser:
            raise KingaError("An integration cannot act as a superuser.", code="invalid_user")
        token, key = tokens.create_integration_token(
            user=user,
            name=body.validated_data["name"],
            scopes=body.validated_data["scopes"],
            expires_in_days=body.validated_data["expires_in_days"],
            created_by=request.user,
        )
        return Response({**_token_dict(token), "key": key}, status=201)


class IntegrationTokenDetailView(KingaAPIView):
    @extend_schema(summary="Revoke an integration token", request=None, responses={204: None})
    def delete(self, request, token_id: int):
        _require_manage_users(request)
        token = IntegrationToken.objects.filter(pk=token_id).first()
        if token is None:
            raise NotFound("No such token.")
        tokens.revoke_integration_token(token=token, by=request.user)
        return Response(status=204)


class UserCreateSerializer(serializers.Serializer):
    username = serializers.RegexField(r"^[\w.@+-]{2,150}$")
    password = serializers.CharField(max_length=256, style={"input_type": "password"})
    roles = serializers.ListField(child=serializers.CharField(max_length=64), default=list)
    agency = serializers.CharField(max_length=64, required=False, allow_blank=True)
    location = serializers.CharField(max_length=64, required=False, allow_blank=True, default="")
    groups = serializers.ListField(child=serializers.CharField(max_length=64), required=False)
    email = serializers.EmailField(required=False, allow_blank=True, default="")
    language = serializers.CharField(max_length=16, required=False, default="en")


class UserPatchSerializer(serializers.Serializer):
    roles = serializers.ListField(child=serializers.CharField(max_length=64), required=False)
    agency = serializers.CharField(max_length=64, required=False, allow_blank=True)
    location = serializers.CharField(max_length=64, required=False, allow_blank=True)
    groups = serializers.ListField(child=serializers.CharField(max_length=64), required=False)
    is_active = serializers.BooleanField(required=False)


def _user_dict(user: User) -> dict:
    return {
        "id": user.pk,
        "username": user.username,
        "roles": list(user.roles or []),
        "agency": user.agency.code if user.agency_id else None,
        "location": user.location,
        "groups": sorted(user.groups_kinga.values_list("code", flat=True)),
        "is_active": user.is_active,
        "two_factor": two_factor.has_device(user),
    }


def _known_roles() -> set[str]:
    return set((get_active().data.get("roles") or {}).keys())


class UserListView(KingaAPIView):
    @extend_schema(summary="Users", responses=OpenApiTypes.OBJECT)
    def get(self, request):
        _require_manage_users(request)
        qs = User.objects.select_related("agency").order_by("username")
        q = request.query_params.get("q", "").strip()
        if q:
            qs = qs.filter(Q(username__icontains=q))
        paginator = KingaPagination()
        page = paginator.paginate_queryset(qs, request, view=self)
        return paginator.get_paginated_response([_user_dict(u) for u in page])

    @extend_schema(
        summary="Create a user",
        description="The password must pass the password policy (length 10+, not common, not numeric).",
        request=UserCreateSerializer,
        responses={201: OpenApiTypes.OBJECT},
    )
    def post(self, request):
        _require_manage_users(request)
        body = UserCreateSerializer(data=self.body_object(request))
        body.is_valid(raise_exception=True)
        user = account_actions.create_user(by=request.user, known_roles=_known_roles(), **body.validated_data)
        return Response(_user_dict(user), status=201)


class UserDetailView(KingaAPIView):
    @extend_schema(
        summary="Change a user's roles, groups, agency, location or active state (audited)",
        request=UserPatchSerializer,
        responses={200: OpenApiTypes.OBJECT},
    )
    def patch(self, request, user_id: int):
        _require_manage_users(request)
        user = User.objects.filter(pk=user_id).first()
        if user is None:
            raise NotFound("No such user.")
        if user.is_superuser and not request.user.is_superuser:
            raise PermissionDenied("Only a superuser may change a superuser.")
        body = UserPatchSerializer(data=self.body_object(request))
        body.is_valid(raise_exception=True)
        user = account_actions.change_user(by=request.user, user=user, known_roles=_known_roles(),
                                           **body.validated_data)  # fmt: skip
        return Response(_user_dict(user))


class UserTwoFactorResetView(KingaAPIView):
    @extend_schema(
        summary="Reset a user's two-factor devices (lost phone); they enrol again at next login",
        request=None,
        responses={204: None},
    )
    def post(self, request, user_id: int):
        _require_manage_users(request)
        user = User.objects.filter(pk=user_id).first()
        if user is None:
            raise NotFound("No such user.")
        two_factor.reset(user, by=request.user)
        return Response(status=204)


__all__ = [
    "AlertListView",
    "BreakGlassView",
    "IntegrationTokenDetailView",
    "IntegrationTokenListView",
    "UserDetailView",
    "UserListView",
    "UserTwoFactorResetView",
]
