"""Shared fixtures. Tests build data through actions (never raw model writes) and run on the real
database chosen by DATABASE_URL (SQLite or PostgreSQL)."""

import pytest


@pytest.fixture
def make_user(db):
    from kinga.accounts.models import Agency, User

    def _make(
        username="worker",
        roles=("caseworker",),
        agency="agency-a",
        location="",
        password="pw-Secret-123",
        **extra,
    ):
        agency_obj, _ = (
            Agency.objects.get_or_create(code=agency, defaults={"name": agency.title()})
            if agency
            else (None, None)
        )
        user = User.objects.create_user(
            username=username,
            password=password,
            agency=agency_obj,
            location=location,
            roles=list(roles),
            **extra,
        )
        return user

    return _make


@pytest.fixture
def api_client():
    from rest_framework.test import APIClient

    return APIClient()


@pytest.fixture(autouse=True)
def _fresh_config_cache():
    # The per-process configuration cache must not carry one test's configuration into the next
    # (each test's transaction rolls back).
    from kinga.configpacks import runtime

    runtime._cache.clear()
    runtime.reset_active_memo()
    yield
    runtime._cache.clear()
    runtime.reset_active_memo()


@pytest.fixture
def case_config(db):
    """A compact `case` configuration built in Python (tests/records/factories.py)."""
    from tests.records.factories import install_case_config

    return install_case_config()


@pytest.fixture
def worker(make_user):
    return make_user(username="worker", agency="agency-a")


@pytest.fixture
def standard(db):
    """The standard pack applied; returns the active configuration."""
    from pathlib import Path

    from kinga.configpacks import runtime
    from kinga.configpacks.apply import apply_pack

    apply_pack(Path(__file__).resolve().parents[1] / "config_packs" / "standard")
    runtime._cache.clear()
    runtime.reset_active_memo()
    return runtime.get_active()


@pytest.fixture
def system(make_user):
    """A superuser acting as the system (sees every record)."""
    return make_user(username="system", roles=(), agency="agency-a", is_superuser=True)
