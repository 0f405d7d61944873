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
