"""Fixtures for the form builder: the example configuration (standard + Kivania overlay) applied,
an administrator (im_admin), a caseworker, and a draft started from the active configuration."""

from __future__ import annotations

from pathlib import Path

import pytest

EXAMPLE = Path(__file__).resolve().parents[2] / "config_packs" / "example"


@pytest.fixture
def active(db):
    from kinga.configpacks.apply import apply_pack

    return apply_pack(EXAMPLE, note="example").version


@pytest.fixture
def admin(make_user, active):
    return make_user(username="imo", roles=["im_admin"])


@pytest.fixture
def caseworker(make_user, active):
    return make_user(username="cw", roles=["caseworker"])


@pytest.fixture
def as_user(api_client):
    def _as(user):
        api_client.force_authenticate(user)
        return api_client

    return _as


@pytest.fixture
def draft(admin):
    from kinga_builder import drafts

    return drafts.create_from_active(user=admin, name="test draft")


@pytest.fixture
def op(as_user, admin, draft):
    """POST one operation to the draft as the administrator; returns the response."""

    def _op(**payload):
        return as_user(admin).post(f"/api/v1/builder/drafts/{draft.pk}/ops/", payload, format="json")

    return _op
