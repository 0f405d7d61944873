"""Login: lockout, token expiry, logout, integration tokens, password policy, rate limit."""

from datetime import timedelta

from auth_fixtures import CASE
from django.utils import timezone

TOKEN = "/api/v1/auth/token/"


def _login(client, username, password="pw-Secret-123", **extra):
    return client.post(TOKEN, {"username": username, "password": password, **extra}, format="json")


def test_lockout_after_five_failures_per_username_and_ip(standard, make_user):
    from rest_framework.test import APIClient

    make_user(username="cw", roles=["caseworker"])
    here, elsewhere = APIClient(REMOTE_ADDR="10.0.0.1"), APIClient(REMOTE_ADDR="10.0.0.2")
    for _ in range(5):
        assert _login(here, "cw", "wrong").json()["error"]["code"] == "invalid_credentials"
    r = _login(here, "cw")  # even the right password
    assert r.status_code == 429 and r.json()["error"]["code"] == "locked_out"
    assert _login(elsewhere, "cw").status_code == 200  # the lock is per username + IP
    from kinga.accounts.models import LoginFailure

    LoginFailure.objects.update(at=timezone.now() - timedelta(minutes=16))  # the window passes
    assert _login(here, "cw").status_code == 200
    assert not LoginFailure.objects.filter(username="cw", ip="10.0.0.1").exists()  # success clears


def test_tokens_expire(standard, make_user, api_client):
    from rest_framework.authtoken.models import Token

    make_user(username="cw", roles=["caseworker"])
    r = _login(api_client, "cw")
    assert r.status_code == 200 and r.json()["expires_at"]
    key = r.json()["token"]
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api_client.get("/api/v1/config/").status_code == 200
    Token.objects.filter(key=key).update(created=timezone.now() - timedelta(hours=13))
    r = api_client.get("/api/v1/config/")
    assert r.status_code in (401, 403) and "expired" in r.json()["error"]["message"]
    api_client.credentials()
    fresh = _login(api_client, "cw").json()["token"]
    assert fresh != key


def test_integration_token_is_limited_to_its_scopes_and_expiry(standard, make_user):
    from kinga.accounts.models import IntegrationToken
    from kinga.records.actions import create_record
    from rest_framework.test import APIClient

    admin = make_user(username="boss", roles=["im_admin"])
    service = make_user(username="svc", roles=["supervisor"])
    create_record(user=service, record_type="case", data=CASE)
    client = APIClient()
    client.force_authenticate(admin)
    r = client.post("/api/v1/auth/integration-tokens/",
                    {"name": "helpline", "username": "svc", "scopes": ["case:create", "notification:view"],
                     "expires_in_days": 30},
                    format="json")  # fmt: skip
    assert r.status_code == 201, r.content
    key = r.json()["key"]
    assert not IntegrationToken.objects.filter(key_hash__contains=key[4:20]).exists()  # only a hash is kept
    integ = APIClient()
    integ.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    assert integ.get("/api/v1/records/case/").status_code == 403  # the user may; the token may not
    assert integ.get("/api/v1/audit/").status_code == 403
    assert integ.get("/api/v1/users/").status_code == 403
    assert integ.get("/api/v1/records/notification/").status_code == 200
    r = integ.post("/api/v1/records/case/", {"data": CASE}, format="json")
    assert r.status_code == 201, r.content
    assert r.json()["data"] == {}  # created, but the token may not read cases back
    assert integ.get("/api/v1/config/").json()["access"] == {"case": ["create"], "notification": ["view"]}
    IntegrationToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert integ.get("/api/v1/config/").status_code == 401
    IntegrationToken.objects.update(expires_at=timezone.now() + timedelta(days=1))
    token_id = IntegrationToken.objects.get().pk
    assert client.delete(f"/api/v1/auth/integration-tokens/{token_id}/").status_code == 204
    assert integ.get("/api/v1/config/").status_code == 401


def test_user_creation_applies_the_password_policy(standard, make_user):
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(make_user(username="boss", roles=["im_admin"]))
    weak = client.post(
        "/api/v1/users/", {"username": "new1", "password": "12345678", "roles": ["caseworker"]}, format="json"
    )
    assert weak.status_code == 400
    assert {d["field"] for d in weak.json()["error"]["details"]} == {"password"}
    unknown = client.post("/api/v1/users/", {"username": "new1", "password": "Long-enough-pw-91", "roles": ["wizard"]},
                          format="json")  # fmt: skip
    assert unknown.json()["error"]["code"] == "unknown_role"
    ok = client.post("/api/v1/users/", {"username": "new1", "password": "Long-enough-pw-91", "roles": ["caseworker"],
                                        "agency": "agency-a"}, format="json")  # fmt: skip
    assert ok.status_code == 201, ok.content
    from kinga.accounts.models import User

    assert User.objects.get(username="new1").password.startswith(("argon2", "md5"))  # test settings hash fast


def test_login_is_rate_limited(standard, make_user, settings):
    from django.core.cache import cache
    from rest_framework.test import APIClient

    settings.KINGA_LOGIN_RATE = "3/min"
    cache.clear()
    client = APIClient(REMOTE_ADDR="10.9.9.9")
    codes = [_login(client, f"nobody{i}", "x").status_code for i in range(4)]
    assert codes == [400, 400, 400, 429]
    cache.clear()


def test_argon2_is_the_production_hasher():
    from kinga.settings import base

    assert base.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
