"""Deployment hardening: check --deploy is clean, security headers and CSP, CSRF on session writes,
idle session timeout."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "kinga.settings.production",
        "KINGA_SECRET_KEY": secrets.token_urlsafe(60),
        "KINGA_ALLOWED_HOSTS": "example.org",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'deploy.sqlite3'}",
    }
    kinga = Path(sys.executable).parent / "kinga"
    out = subprocess.run(
        [str(kinga), "manage", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True,
    )  # fmt: skip
    assert out.returncode == 0, out.stdout + out.stderr
    assert "no issues" in out.stdout


def test_check_deploy_complains_about_a_weak_key(tmp_path):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "kinga.settings.production", "KINGA_SECRET_KEY": "short",
           "KINGA_ALLOWED_HOSTS": "example.org", "DATABASE_URL": f"sqlite:///{tmp_path / 'd.sqlite3'}"}  # fmt: skip
    kinga = Path(sys.executable).parent / "kinga"
    out = subprocess.run([str(kinga), "manage", "check", "--deploy", "--fail-level", "WARNING"],
                         cwd=ROOT, env=env, capture_output=True, text=True)  # fmt: skip
    assert out.returncode != 0 and "security.W009" in out.stdout + out.stderr


def test_security_headers_on_api_responses(db, client):
    r = client.get("/api/v1/config/")
    assert "default-src 'self'" in r["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in r["Content-Security-Policy"]
    assert r["Referrer-Policy"] == "same-origin"
    assert "camera=()" in r["Permissions-Policy"]
    assert r["X-Content-Type-Options"] == "nosniff"
    assert r["X-Frame-Options"] == "DENY"
    assert r["Cache-Control"] == "no-store"


def test_session_authenticated_writes_need_csrf(standard, make_user):
    from rest_framework.test import APIClient

    user = make_user(username="cw", roles=["caseworker"])
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(user)
    assert client.get("/api/v1/config/").status_code == 200  # reads are fine
    r = client.post("/api/v1/records/case/", {"data": {}}, format="json")
    assert r.status_code == 403 and "CSRF" in r.json()["error"]["message"]


def test_idle_session_timeout():
    from django.conf import settings

    assert settings.SESSION_COOKIE_AGE <= 30 * 60 and settings.SESSION_SAVE_EVERY_REQUEST
