"""TOTP two-factor authentication: enrolment with a restricted token, codes, recovery codes."""

from base64 import b32decode

from django_otp.oath import totp

TOKEN = "/api/v1/auth/token/"


def _code(secret: str) -> str:
    return f"{totp(b32decode(secret), step=30, t0=0, digits=6, drift=0):06d}"


def _unthrottle():
    """django-otp slows guessing down (1 s, 2 s, 4 s... after each wrong code); tests do not wait."""
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    for model in (TOTPDevice, StaticDevice):
        model.objects.update(throttling_failure_count=0, throttling_failure_timestamp=None)


def _login(client, **extra):
    return client.post(TOKEN, {"username": "sup", "password": "pw-Secret-123", **extra}, format="json")


def test_enrolment_then_login_with_code_and_recovery_codes(standard, make_user):
    from rest_framework.test import APIClient

    make_user(username="sup", roles=["supervisor"])  # supervisor: require_2fa: true
    client = APIClient()
    r = _login(client)
    assert r.status_code == 403 and r.json()["error"]["code"] == "2fa_enrolment_required"
    enrol = r.json()["error"]["details"]["enrolment_token"]

    # the enrolment token opens the 2FA set-up and nothing else
    other = APIClient()
    other.credentials(HTTP_AUTHORIZATION=f"Enrolment {enrol}")
    assert other.get("/api/v1/records/case/").status_code in (401, 403)
    assert other.get("/api/v1/config/").status_code in (401, 403)
    setup = other.post("/api/v1/auth/2fa/setup/")
    assert setup.status_code == 200, setup.content
    secret, uri = setup.json()["secret"], setup.json()["otpauth_uri"]
    assert uri.startswith("otpauth://totp/") and "sup" in uri
    assert (
        other.post("/api/v1/auth/2fa/confirm/", {"code": "000000"}, format="json").json()["error"]["code"]
        == "otp_invalid"
    )
    _unthrottle()
    confirmed = other.post("/api/v1/auth/2fa/confirm/", {"code": _code(secret)}, format="json")
    assert confirmed.status_code == 200, confirmed.content
    recovery = confirmed.json()["recovery_codes"]
    assert len(recovery) == 10
    assert other.post("/api/v1/auth/2fa/setup/").status_code in (401, 403)  # the enrolment token is spent

    assert _login(client).json()["error"]["code"] == "otp_required"
    assert _login(client).status_code == 401
    assert _login(client, otp="123456").json()["error"]["code"] == "otp_invalid"
    _unthrottle()
    r = _login(client, otp=recovery[0])
    assert r.status_code == 200, r.content
    assert _login(client, otp=recovery[0]).json()["error"]["code"] == "otp_invalid"  # works once
    _unthrottle()
    assert _login(client, otp=recovery[1]).status_code == 200


def test_totp_code_logs_in(standard, make_user):
    from kinga.accounts import two_factor
    from rest_framework.test import APIClient

    user = make_user(username="sup", roles=["supervisor"])
    _device, _uri, secret = two_factor.start_enrolment(user)
    two_factor.confirm_enrolment(user, _code(secret))
    # the confirming code was consumed; the next time step's code is accepted (tolerance 1)
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.filter(user=user).update(last_t=-1)
    r = _login(APIClient(), otp=_code(secret))
    assert r.status_code == 200, r.content


def test_roles_without_2fa_log_in_with_a_password_only(standard, make_user, api_client):
    make_user(username="cw", roles=["caseworker"])
    r = api_client.post(TOKEN, {"username": "cw", "password": "pw-Secret-123"}, format="json")
    assert r.status_code == 200
