"""Login, logout and two-factor enrolment.

POST /api/v1/auth/token/ {username, password, otp?}
    wrong password                        400 invalid_credentials (counts towards lockout)
    5 failures in 15 min (username + IP)  429 locked_out
    role requires 2FA, no device yet      403 2fa_enrolment_required, details.enrolment_token: a
                                          15-minute key accepted only by /auth/2fa/setup/ and /confirm/
    device, no otp                        401 otp_required
    device, wrong otp                     401 otp_invalid (counts towards lockout)
    otp: a TOTP code or a recovery code (each recovery code works once)
    success                               {token, expires_at}; the token expires after 12 h
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth import logout as session_logout
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.authentication import SessionAuthentication
from rest_framework.authtoken.models import Token
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from kinga.accounts import lockout, policy, tokens, two_factor
from kinga.audit.chain import record_event
from kinga.audit.context import client_ip
from kinga.configpacks.runtime import NoActiveConfig, get_active
from kinga.core.errors import KingaError

from .authentication import EnrolmentTokenAuthentication, ExpiringTokenAuthentication, token_expired
from .base import KingaAPIView
from .throttles import LoginRateThrottle


class AuthFailed(KingaError):
    status = 401


class EnrolmentRequired(KingaError):
    code = "2fa_enrolment_required"
    status = 403


class LockedOut(KingaError):
    code = "locked_out"
    status = 429


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=256, style={"input_type": "password"})
    otp = serializers.CharField(
        max_length=32, required=False, allow_blank=True, help_text="Authenticator or recovery code."
    )


def _config_data() -> dict:
    try:
        return get_active().data
    except NoActiveConfig:
        return {}


class TokenView(KingaAPIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = [LoginRateThrottle]

    @extend_schema(
        request=TokenRequestSerializer,
        responses={
            200: inline_serializer(
                "TokenResponse", {"token": serializers.CharField(), "expires_at": serializers.DateTimeField()}
            ),
            400: OpenApiTypes.OBJECT,
            401: OpenApiTypes.OBJECT,
            403: OpenApiTypes.OBJECT,
            429: OpenApiTypes.OBJECT,
        },
        summary="Get an API token",
        description="Send it afterwards as `Authorization: Token <token>`. " + (__doc__ or ""),
    )
    def post(self, request):
        body = TokenRequestSerializer(data=self.body_object(request))
        body.is_valid(raise_exception=True)
        username = body.validated_data["username"]
        ip = client_ip(request, settings.KINGA_TRUSTED_PROXIES)
        if lockout.is_locked(username, ip):
            record_event("auth.locked_out", username=username, details={"username": username})
            raise LockedOut(
                f"Too many failed logins. Try again in {settings.KINGA_LOCKOUT_WINDOW_MINUTES} minutes."
            )
        user = authenticate(request, username=username, password=body.validated_data["password"])
        if user is None or not user.is_active:
            lockout.record_failure(username, ip)
            record_event(
                "auth.login_failed", username=username, details={"username": username, "why": "password"}
            )
            raise KingaError("Unknown username or wrong password.", code="invalid_credentials")
        if policy.requires_2fa(user, _config_data()) or two_factor.has_device(user):
            self._second_factor(user, body.validated_data.get("otp") or "", ip)
        lockout.clear(username, ip)
        token = Token.objects.filter(user=user).first()
        if token is not None and token_expired(token):
            token.delete()
            token = None
        if token is None:
            token = Token.objects.create(user=user)
        record_event("auth.login", user=user)
        expires = token.created + timedelta(hours=settings.KINGA_TOKEN_TTL_HOURS)
        return Response({"token": token.key, "expires_at": expires.isoformat()})

    def _second_factor(self, user, otp: str, ip) -> None:
        if not two_factor.has_device(user):
            key = tokens.issue_enrolment_token(user)
            record_event("auth.2fa_enrolment_required", user=user)
            raise EnrolmentRequired(
                "Your role requires two-factor authentication. Set it up with the enrolment token "
                "(Authorization: Enrolment <token>) at /api/v1/auth/2fa/setup/, then log in again.",
                code="2fa_enrolment_required",
                details={
                    "enrolment_token": key,
                    "expires_in_seconds": settings.KINGA_ENROLMENT_TOKEN_MINUTES * 60,
                    "setup": "/api/v1/auth/2fa/setup/",
                    "confirm": "/api/v1/auth/2fa/confirm/",
                },
            )
        if not otp.strip():
            raise AuthFailed("Enter the code from your authenticator app.", code="otp_required")
        if two_factor.verify(user, otp) is None:
            lockout.record_failure(user.username, ip)
            record_event("auth.login_failed", user=user, details={"why": "otp"})
            raise AuthFailed("The code is not valid.", code="otp_invalid")


class LogoutView(KingaAPIView):
    @extend_schema(
        summary="Log out: the token (or session) stops working", request=None, responses={204: None}
    )
    def post(self, request):
        if isinstance(request.auth, Token):
            request.auth.delete()
        if request.session is not None and request.session.session_key:
            session_logout(request._request)
        record_event("auth.logout", user=request.user)
        return Response(status=204)


class _TwoFactorView(KingaAPIView):
    # The enrolment token is accepted here and nowhere else.
    authentication_classes = [
        EnrolmentTokenAuthentication,
        ExpiringTokenAuthentication,
        SessionAuthentication,
    ]
    throttle_classes = [LoginRateThrottle]


class TwoFactorSetupView(_TwoFactorView):
    @extend_schema(
        summary="Start two-factor set-up",
        description="Returns an otpauth:// URI (show it as a QR code) and the secret for manual entry.",
        request=None,
        responses={
            200: inline_serializer(
                "TwoFactorSetup", {"otpauth_uri": serializers.CharField(), "secret": serializers.CharField()}
            )
        },
    )
    def post(self, request):
        _device, uri, secret = two_factor.start_enrolment(request.user)
        return Response({"otpauth_uri": uri, "secret": secret})


class ConfirmSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=16)


class TwoFactorConfirmView(_TwoFactorView):
    @extend_schema(
        summary="Confirm two-factor set-up with a code",
        description="Returns the recovery codes: shown this once; each works once instead of a code.",
        request=ConfirmSerializer,
        responses={
            200: inline_serializer(
                "TwoFactorConfirmed", {"recovery_codes": serializers.ListField(child=serializers.CharField())}
            )
        },
    )
    def post(self, request):
        body = ConfirmSerializer(data=self.body_object(request))
        body.is_valid(raise_exception=True)
        codes = two_factor.confirm_enrolment(request.user, body.validated_data["code"])
        tokens.drop_enrolment_tokens(request.user)
        return Response({"recovery_codes": codes})
