"""Keys for integrations and 2FA enrolment. Keys are 256-bit random; only their SHA-256 is stored
(a fast hash is right for random keys: there is nothing to brute-force as with passwords)."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from kinga.audit.chain import record_event
from kinga.core.errors import KingaError

from .models import EnrolmentToken, IntegrationToken, User

INTEGRATION_PREFIX = "kgi_"


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def create_integration_token(
    *, user: User, name: str, scopes: list[str], expires_in_days: int, created_by=None
) -> tuple[IntegrationToken, str]:
    """A new token and its key (the key is returned once and never stored)."""
    max_days = settings.KINGA_INTEGRATION_TOKEN_MAX_DAYS
    if not 1 <= int(expires_in_days) <= max_days:
        raise KingaError(f"expires_in_days must be between 1 and {max_days}.", code="invalid_expiry")
    bad = [s for s in scopes if not isinstance(s, str) or s.count(":") != 1]
    if not scopes or bad:
        raise KingaError(
            'Give scopes as "<record type>:<action>" (or "<record type>:*"), e.g. "notification:create".',
            code="invalid_scopes",
        )
    key = INTEGRATION_PREFIX + secrets.token_urlsafe(32)
    token = IntegrationToken.objects.create(
        name=name,
        user=user,
        scopes=sorted(set(scopes)),
        prefix=key[:12],
        key_hash=hash_key(key),
        created_by=created_by,
        expires_at=timezone.now() + timedelta(days=int(expires_in_days)),
    )
    record_event(
        "integration_token.create",
        user=created_by,
        details={"token": token.pk, "name": name, "for": user.username, "scopes": token.scopes,
                 "expires_at": token.expires_at.isoformat()},
    )  # fmt: skip
    return token, key


def revoke_integration_token(*, token: IntegrationToken, by) -> None:
    IntegrationToken.objects.filter(pk=token.pk).update(revoked_at=timezone.now())
    record_event("integration_token.revoke", user=by, details={"token": token.pk, "name": token.name})


def issue_enrolment_token(user: User) -> str:
    EnrolmentToken.objects.filter(user=user).delete()
    key = secrets.token_urlsafe(32)
    EnrolmentToken.objects.create(
        user=user,
        key_hash=hash_key(key),
        expires_at=timezone.now() + timedelta(minutes=settings.KINGA_ENROLMENT_TOKEN_MINUTES),
    )
    return key


def enrolment_user(key: str) -> User | None:
    row = (
        EnrolmentToken.objects.select_related("user")
        .filter(key_hash=hash_key(key), expires_at__gt=timezone.now())
        .first()
    )
    if row is None or not row.user.is_active:
        return None
    return row.user


def drop_enrolment_tokens(user: User) -> None:
    EnrolmentToken.objects.filter(user=user).delete()
