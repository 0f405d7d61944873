"""Two-factor authentication with django-otp: one TOTP device (authenticator app) per user, plus a
set of single-use recovery codes (a StaticDevice) shown once at enrolment.

    start_enrolment(user)        -> (device, otpauth URI, base32 secret); replaces an unconfirmed one
    confirm_enrolment(user, code)-> recovery codes (plain, shown once)
    verify(user, code)           -> "totp" | "recovery" | None   (a recovery code works once)
"""

from __future__ import annotations

from base64 import b32encode

from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from kinga.audit.chain import record_event
from kinga.core.errors import KingaError

RECOVERY_CODES = 10
DEVICE_NAME = "authenticator"
RECOVERY_NAME = "recovery"


def has_device(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def start_enrolment(user) -> tuple[TOTPDevice, str, str]:
    if has_device(user):
        raise KingaError(
            "Two-factor authentication is already set up; ask an administrator to reset it.",
            code="2fa_already_enrolled",
        )
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    secret = b32encode(device.bin_key).decode()
    return device, device.config_url, secret


def confirm_enrolment(user, code: str) -> list[str]:
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        raise KingaError("Start the set-up first (POST /api/v1/auth/2fa/setup/).", code="2fa_not_started")
    if not device.verify_token(str(code or "").strip()):
        raise KingaError(
            "The code is not valid; check the time on your phone and try again.", code="otp_invalid"
        )
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = new_recovery_codes(user)
        record_event("auth.2fa_enrolled", user=user)
    return codes


def new_recovery_codes(user) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    static = StaticDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=static, token=c) for c in codes])
    return codes


def verify(user, code: str) -> str | None:
    code = str(code or "").strip().replace(" ", "")
    if not code:
        return None
    for device in TOTPDevice.objects.filter(user=user, confirmed=True):
        if code.isdigit() and device.verify_token(code):
            return "totp"
    for device in StaticDevice.objects.filter(user=user, confirmed=True):
        if device.verify_token(code.lower()):
            record_event("auth.recovery_code_used", user=user)
            return "recovery"
    return None


def reset(user, *, by) -> None:
    """Remove the user's devices (lost phone): they enrol again at their next login."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
        record_event("auth.2fa_reset", user=by, details={"for": user.username})
