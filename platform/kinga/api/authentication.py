"""DRF authentication classes.

Authorization: Token <key>        login token from POST /auth/token/; expires KINGA_TOKEN_TTL_HOURS
                                  after it was issued (a new login after that issues a new one)
Authorization: Bearer kgi_...     integration token: limited to its scopes and expiry
Authorization: Enrolment <key>    short-lived; accepted ONLY by the 2FA set-up endpoints
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, TokenAuthentication, get_authorization_header

from kinga.accounts import tokens
from kinga.accounts.models import IntegrationToken


def token_expired(token) -> bool:
    return token.created < timezone.now() - timedelta(hours=settings.KINGA_TOKEN_TTL_HOURS)


class ExpiringTokenAuthentication(TokenAuthentication):
    def authenticate_credentials(self, key):
        user, token = super().authenticate_credentials(key)
        if token_expired(token):
            token.delete()
            raise exceptions.AuthenticationFailed(
                "The token has expired; log in again.", code="token_expired"
            )
        return user, token


class _KeywordAuthentication(BaseAuthentication):
    keyword = ""

    def _key(self, request) -> str | None:
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword.lower().encode():
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed("Invalid authorization header.")
        try:
            return parts[1].decode()
        except UnicodeError:
            raise exceptions.AuthenticationFailed("Invalid authorization header.") from None

    def authenticate_header(self, request):
        return self.keyword


class IntegrationTokenAuthentication(_KeywordAuthentication):
    """The token acts as its user, narrowed to its scopes (user.integration_scopes is read by
    kinga.accounts.policy)."""

    keyword = "Bearer"

    def authenticate(self, request):
        key = self._key(request)
        if key is None:
            return None
        token = (
            IntegrationToken.objects.select_related("user")
            .filter(key_hash=tokens.hash_key(key), revoked_at__isnull=True)
            .first()
        )
        if token is None or not token.user.is_active:
            raise exceptions.AuthenticationFailed("Unknown or revoked integration token.")
        now = timezone.now()
        if token.expires_at <= now:
            raise exceptions.AuthenticationFailed("The integration token has expired.", code="token_expired")
        if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=5):
            IntegrationToken.objects.filter(pk=token.pk).update(last_used_at=now)
        user = token.user
        user.integration_scopes = frozenset(token.scopes or [])
        return user, token


class EnrolmentTokenAuthentication(_KeywordAuthentication):
    keyword = "Enrolment"

    def authenticate(self, request):
        key = self._key(request)
        if key is None:
            return None
        user = tokens.enrolment_user(key)
        if user is None:
            raise exceptions.AuthenticationFailed("The enrolment token is unknown or expired; log in again.")
        user.enrolment_only = True
        return user, key


class IntegrationTokenScheme(OpenApiAuthenticationExtension):
    target_class = IntegrationTokenAuthentication
    name = "integrationToken"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer", "description": "Integration token (kgi_...), scoped."}


class EnrolmentTokenScheme(OpenApiAuthenticationExtension):
    target_class = EnrolmentTokenAuthentication
    name = "enrolmentToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "`Enrolment <key>` from a 2fa_enrolment_required login answer; 2FA set-up only.",
        }
