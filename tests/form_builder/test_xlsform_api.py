"""XLSForm import into a draft and export through the API."""

from __future__ import annotations

import io

import pytest

from tests.xlsforms import forms

pytestmark = pytest.mark.django_db


def _upload(data: bytes, name: str = "form.xlsx") -> io.BytesIO:
    f = io.BytesIO(data)
    f.name = name
    return f


def test_import_into_draft_validates_and_exports(as_user, admin, draft):
    from kinga_builder import drafts
    from kinga_builder.xlsform import pyxform_check

    client = as_user(admin)
    url = f"/api/v1/builder/drafts/{draft.pk}/xlsform/"
    r = client.post(url, {"file": _upload(forms.translations()), "record_type": "case"}, format="multipart")
    assert r.status_code == 200, r.json()
    body = r.json()
    assert body["form"] == "kv_translations" and body["revision"] == 1
    assert body["import"]["form"]["sections"][0]["fields"][0]["key"] == "kv_first_name"
    draft.refresh_from_db()
    check = drafts.check_draft(draft)
    assert check["ok"], check["problems"][:3]
    again = client.post(url, {"file": _upload(forms.translations())}, format="multipart")
    assert again.status_code == 409
    replaced = client.post(
        url, {"file": _upload(forms.translations()), "replace": "true"}, format="multipart"
    )
    assert replaced.status_code == 200, replaced.json()
    export = client.get(f"/api/v1/builder/drafts/{draft.pk}/forms/kv_translations/xlsform/")
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxmlformats")
    pyxform_check(export.content)


def test_hostile_upload_is_a_400(as_user, admin, draft):
    url = f"/api/v1/builder/drafts/{draft.pk}/xlsform/"
    r = as_user(admin).post(url, {"file": _upload(b"\x00" * 64)}, format="multipart")
    assert r.status_code == 400 and r.json()["error"]["code"] == "xlsform_invalid"
    r = as_user(admin).post(
        url, {"file": _upload(forms.cascading()), "record_type": "nope"}, format="multipart"
    )
    assert r.status_code == 400
    assert as_user(admin).post(url, {}, format="multipart").status_code == 400


def test_export_active_form(as_user, admin, caseworker):
    r = as_user(admin).get("/api/v1/builder/forms/cp_registration/xlsform/")
    assert r.status_code == 200 and r.content[:2] == b"PK"
    assert as_user(admin).get("/api/v1/builder/forms/nope/xlsform/").status_code == 404
    assert as_user(caseworker).get("/api/v1/builder/forms/cp_registration/xlsform/").status_code == 403
