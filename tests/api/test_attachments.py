"""Attachments: POST /api/v1/attachments/ (checks, sniffing, storage, audit), binding uploads to records on
save, and GET /api/v1/attachments/<id>/ (only with the record and the field visible, else 404)."""

from __future__ import annotations

import hashlib
import io
import os
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from kinga.audit.models import AuditEvent
from kinga.configpacks.runtime import install
from kinga.core.errors import KingaError
from kinga.records.attachments import safe_file_name, sniff
from kinga.records.models import Attachment

from tests.records.factories import build_config, field

URL = "/api/v1/attachments/"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x01" * 40
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x02" * 40
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 40
HTML = b"<html><body><script>alert(document.cookie)</script></body></html>"


def _docx(main: str = "word/document.xml") -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr(main, "<x/>")
    return buf.getvalue()


ROLES = {
    "caseworker": {"id": "caseworker", "scope": "agency", "permissions": {"case": ["view", "create", "edit"]}},
    "hider": {"id": "hider", "scope": "agency", "permissions": {"case": ["view", "edit"]},
              "fields": {"photo": "hidden"}},
    "masker": {"id": "masker", "scope": "agency", "permissions": {"case": ["view", "edit"]},
               "fields": {"photo": "masked"}},
    "reader": {"id": "reader", "scope": "agency", "permissions": {"case": ["view"]}},
}  # fmt: skip


@pytest.fixture
def world(db, settings, tmp_path, make_user, api_client):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    config = build_config(
        {
            "case": [
                field("name", "text"),
                field("photo", "attachment", params={"content_types": ["image/*"], "max_bytes": 1000}),
                field("doc", "attachment"),
                field("report", "attachment", params={"content_types": ["text/plain", "application/*"]}),
                field("rows", "subform", fields=[field("scan", "attachment")]),
            ]
        }
    )
    config["roles"] = ROLES
    install(config, note="test")
    users = {
        "owner": make_user(username="owner", roles=("caseworker",), agency="agency-a"),
        "peer": make_user(username="peer", roles=("caseworker",), agency="agency-a"),
        "outsider": make_user(username="outsider", roles=("caseworker",), agency="agency-b"),
        "hider": make_user(username="hider", roles=("hider",), agency="agency-a"),
        "masker": make_user(username="masker", roles=("masker",), agency="agency-a"),
        "reader": make_user(username="reader", roles=("reader",), agency="agency-a"),
    }

    def client(name):
        from rest_framework.test import APIClient

        c = APIClient()
        c.force_authenticate(users[name])
        return c

    return users, client


def upload(client, content=PNG, name="photo.png", field_key="photo", content_type="image/png", **extra):
    body = {"field_key": field_key, **extra}
    if content is not None:
        body["file"] = SimpleUploadedFile(name, content, content_type=content_type)
    return client.post(URL, body, format="multipart")


def error(r) -> str:
    return r.json()["error"]["code"]


# -- upload -------------------------------------------------------------------------------------------


def test_upload_sniffs_hashes_stores_and_audits(world, settings, tmp_path):
    users, client = world
    r = upload(client("owner"), name="../../etc/pa<ss>\x07wd.png", content_type="application/octet-stream",
               record_type="case")  # fmt: skip
    assert r.status_code == 201, r.json()
    body = r.json()
    assert set(body) == {"id", "file_name", "content_type", "size", "sha256"}
    assert body["content_type"] == "image/png"  # from the bytes, not the header
    assert body["size"] == len(PNG) and body["sha256"] == hashlib.sha256(PNG).hexdigest()
    assert body["file_name"] == "pa_ss_wd.png"
    att = Attachment.objects.get(pk=body["id"])
    assert att.record_id is None and att.field_key == "photo" and att.uploaded_by == users["owner"]
    assert att.file.path.startswith(str(tmp_path / "media" / "attachments"))
    assert "pa_ss" not in att.file.name  # stored under a name Kinga chose
    with att.file.open("rb") as fh:
        assert fh.read() == PNG
    event = AuditEvent.objects.filter(action="attachment.upload").get()
    assert event.details["attachment"] == body["id"] and event.details["sha256"] == body["sha256"]


def test_record_type_may_be_left_out_when_the_field_is_unambiguous(world):
    _users, client = world
    r = upload(client("owner"))  # what the caseworker app sends: file + field_key
    assert r.status_code == 201, r.json()


def test_no_file(world):
    _users, client = world
    r = upload(client("owner"), content=None, record_type="case")
    assert r.status_code == 400 and error(r) == "no_file"


def test_missing_field_key(world):
    _users, client = world
    r = upload(client("owner"), field_key="", record_type="case")
    assert r.status_code == 400 and error(r) == "field_key_required"


def test_too_large_for_the_field(world):
    _users, client = world
    r = upload(client("owner"), content=PNG + b"\x00" * 2000, record_type="case")
    assert r.status_code == 413 and error(r) == "file_too_large"
    assert "1000 bytes" in r.json()["error"]["message"]
    assert not Attachment.objects.exists()


def test_too_large_for_the_server_is_stopped_while_streaming(world, settings):
    _users, client = world
    settings.KINGA_MAX_ATTACHMENT_BYTES = 500
    r = upload(
        client("owner"), content=PDF + b"\x00" * 2000, name="a.pdf", field_key="doc", record_type="case"
    )
    assert r.status_code == 413 and error(r) == "file_too_large"
    assert "500 bytes" in r.json()["error"]["message"]


def test_too_large_by_content_length_is_refused_before_parsing(world, settings):
    _users, client = world
    settings.KINGA_MAX_ATTACHMENT_BYTES = 100
    r = upload(client("owner"), content=PDF + b"\x00" * 70_000, name="a.pdf", field_key="doc")
    assert r.status_code == 413 and error(r) == "file_too_large"


def test_field_max_bytes_never_exceeds_the_server_limit(world, settings):
    _users, client = world
    settings.KINGA_MAX_ATTACHMENT_BYTES = 100
    r = upload(client("owner"), content=PNG + b"\x00" * 200)  # the field says 1000
    assert r.status_code == 413


def test_wrong_type_names_the_accepted_types(world):
    _users, client = world
    r = upload(client("owner"), content=PDF, name="scan.pdf", content_type="application/pdf")
    assert r.status_code == 415 and error(r) == "unsupported_file_type"
    assert "image/*" in r.json()["error"]["message"]


def test_settings_list_applies_without_field_content_types(world):
    _users, client = world
    assert upload(client("owner"), content=PDF, name="a.pdf", field_key="doc").status_code == 201
    r = upload(client("owner"), content=b"just text\n", name="a.txt", field_key="doc")
    assert r.status_code == 415 and "application/pdf" in r.json()["error"]["message"]


@pytest.mark.parametrize(
    "content",
    [EXE, HTML, b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>"],
    ids=["exe", "html", "svg"],
)
def test_disguised_file_is_refused(world, content):
    _users, client = world
    r = upload(client("owner"), content=content, name="cute.png", content_type="image/png")
    assert r.status_code == 415, r.json()
    assert not Attachment.objects.exists()


def test_html_is_not_plain_text(world):
    _users, client = world
    r = upload(client("owner"), content=HTML, name="notes.txt", content_type="text/plain", field_key="report")
    assert r.status_code == 415
    r = upload(client("owner"), content="Notes: ça va\n".encode(), name="notes.txt", field_key="report")
    assert r.status_code == 201 and r.json()["content_type"] == "text/plain"


def test_office_files_are_recognised_by_their_parts(world):
    _users, client = world
    r = upload(client("owner"), content=_docx(), name="a.docx", field_key="report")
    assert r.status_code == 201
    assert r.json()["content_type"].endswith("wordprocessingml.document")
    r = upload(client("owner"), content=_docx("xl/workbook.xml"), name="a.xlsx", field_key="report")
    assert r.json()["content_type"].endswith("spreadsheetml.sheet")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("payload.exe", "MZ")
    r = upload(client("owner"), content=buf.getvalue(), name="a.docx", field_key="report")
    assert r.status_code == 415  # a plain zip is not a document


def test_unknown_field_and_not_an_attachment_field(world):
    _users, client = world
    r = upload(client("owner"), field_key="nope", record_type="case")
    assert r.status_code == 400 and error(r) == "unknown_field"
    r = upload(client("owner"), field_key="nope")
    assert r.status_code == 400 and error(r) == "unknown_field"
    r = upload(client("owner"), field_key="name", record_type="case")
    assert r.status_code == 400 and error(r) == "not_attachment_field"
    r = upload(client("owner"), record_type="planet")
    assert r.status_code == 400 and error(r) == "unknown_record_type"


def test_permissions(world):
    _users, client = world
    r = upload(client("reader"), record_type="case")  # view only: neither create nor edit
    assert r.status_code == 403
    r = upload(client("hider"), record_type="case")  # a field hidden from the role does not exist
    assert r.status_code == 400 and error(r) == "unknown_field"
    r = upload(client("masker"), record_type="case")
    assert r.status_code == 403 and error(r) == "field_not_editable"
    r = client("owner").post(URL, {"field_key": "photo"}, format="json")
    assert r.status_code == 415  # not multipart
    from rest_framework.test import APIClient

    assert APIClient().post(URL, {"field_key": "photo"}, format="multipart").status_code in (401, 403)


def test_upload_for_an_existing_record_needs_edit_on_it(world):
    users, client = world
    case = client("owner").post("/api/v1/records/case/", {"data": {"name": "A"}}, format="json").json()
    assert upload(client("owner"), record=case["short_id"], record_type="case").status_code == 201
    r = upload(client("outsider"), record=case["id"], record_type="case")
    assert r.status_code == 404


# -- binding on save ----------------------------------------------------------------------------------


def _create(client, data):
    return client.post("/api/v1/records/case/", {"data": data}, format="json")


def test_bound_on_create_with_the_stored_metadata(world):
    _users, client = world
    att = upload(client("owner")).json()
    # The client's claims about the file are replaced by what the server found.
    r = _create(
        client("owner"), {"name": "A", "photo": {"id": att["id"], "content_type": "image/gif", "size": 1}}
    )
    assert r.status_code == 201, r.json()
    assert r.json()["data"]["photo"] == {k: att[k] for k in ("id", "file_name", "content_type", "size")}
    stored = Attachment.objects.get(pk=att["id"])
    assert str(stored.record_id) == r.json()["id"] and stored.field_key == "photo"


def test_bound_on_update_and_inside_subforms(world):
    _users, client = world
    case = _create(client("owner"), {"name": "A"}).json()
    photo = upload(client("owner"), record=case["id"]).json()
    scan = upload(client("owner"), content=PDF, name="s.pdf", field_key="scan").json()
    r = client("owner").patch(
        f"/api/v1/records/case/{case['id']}/",
        {"version": case["version"], "data": {"photo": photo["id"], "rows": [{"scan": {"id": scan["id"]}}]}},
        format="json",
    )
    assert r.status_code == 200, r.json()
    assert r.json()["data"]["rows"][0]["scan"]["content_type"] == "application/pdf"
    assert {str(a.record_id) for a in Attachment.objects.all()} == {case["id"]}
    assert Attachment.objects.get(pk=scan["id"]).field_key == "scan"
    # saving again with the same values is fine
    again = client("owner").patch(f"/api/v1/records/case/{case['id']}/",
                                  {"version": r.json()["version"], "data": {"name": "B"}}, format="json")  # fmt: skip
    assert again.status_code == 200, again.json()


def test_another_users_upload_is_refused(world):
    _users, client = world
    att = upload(client("peer")).json()
    r = _create(client("owner"), {"name": "A", "photo": att["id"]})
    assert r.status_code == 400
    assert [d["code"] for d in r.json()["error"]["details"]] == ["attachment_not_available"]
    assert Attachment.objects.get(pk=att["id"]).record_id is None


def test_an_upload_bound_to_another_record_is_refused(world):
    _users, client = world
    att = upload(client("owner")).json()
    assert _create(client("owner"), {"name": "A", "photo": att["id"]}).status_code == 201
    r = _create(client("owner"), {"name": "B", "photo": att["id"]})
    assert r.status_code == 400 and r.json()["error"]["details"][0]["code"] == "attachment_not_available"


def test_an_upload_for_another_field_or_unknown_id_is_refused(world):
    _users, client = world
    att = upload(client("owner"), content=PDF, name="a.pdf", field_key="doc").json()
    r = _create(client("owner"), {"name": "A", "rows": [{"scan": att["id"]}]})
    assert r.status_code == 400 and r.json()["error"]["details"][0]["field"] == "rows[0].scan"
    r = _create(client("owner"), {"name": "A", "doc": "7d9f1c0e-6a0b-4f57-9a59-2a1f3f1d2b11"})
    assert r.status_code == 400 and r.json()["error"]["details"][0]["code"] == "attachment_not_available"


# -- download -----------------------------------------------------------------------------------------


@pytest.fixture
def saved(world):
    users, client = world
    att = upload(client("owner"), name="child photo.png").json()
    case = _create(client("owner"), {"name": "A", "photo": att["id"]}).json()
    return att, case


def test_download_for_the_owner(world, saved):
    _users, client = world
    att, case = saved
    r = client("owner").get(f"{URL}{att['id']}/")
    assert r.status_code == 200
    assert b"".join(r.streaming_content) == PNG
    assert r["Content-Type"] == "image/png"
    assert (
        r["Content-Disposition"].startswith("attachment;") and "child photo.png" in r["Content-Disposition"]
    )
    assert r["X-Content-Type-Options"] == "nosniff"
    event = AuditEvent.objects.filter(action="attachment.download").get()
    assert str(event.record_id) == case["id"] and event.details["attachment"] == att["id"]
    # whatever the client asks for, it gets the file
    assert (
        client("owner").get(f"{URL}{att['id']}/", HTTP_ACCEPT="application/octet-stream").status_code == 200
    )


@pytest.mark.parametrize("who", ["outsider", "hider", "masker"])
def test_download_denied_is_a_404(world, saved, who):
    _users, client = world
    att, _case = saved
    r = client(who).get(f"{URL}{att['id']}/")
    assert r.status_code == 404 and error(r) == "not_found"
    assert not AuditEvent.objects.filter(action="attachment.download").exists()


def test_download_by_a_role_seeing_the_field(world, saved):
    _users, client = world
    att, _case = saved
    assert client("reader").get(f"{URL}{att['id']}/").status_code == 200
    assert client("peer").get(f"{URL}{att['id']}/").status_code == 200


def test_unbound_upload_only_to_its_uploader(world):
    _users, client = world
    att = upload(client("owner")).json()
    assert client("owner").get(f"{URL}{att['id']}/").status_code == 200
    assert client("peer").get(f"{URL}{att['id']}/").status_code == 404
    assert client("owner").get(f"{URL}7d9f1c0e-6a0b-4f57-9a59-2a1f3f1d2b11/").status_code == 404


def test_deleted_record_hides_its_attachments(world, saved):
    _users, client = world
    att, case = saved
    from kinga.records.actions import delete_record
    from kinga.records.models import Record

    delete_record(user=_users["owner"], record=Record.objects.get(pk=case["id"]))
    assert client("owner").get(f"{URL}{att['id']}/").status_code == 404


# -- units --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "content, expected",
    [
        (PNG, "image/png"),
        (JPEG, "image/jpeg"),
        (b"GIF89a" + b"\x00" * 10, "image/gif"),
        (b"RIFF\x00\x00\x00\x00WEBPVP8 ", "image/webp"),
        (PDF, "application/pdf"),
        (b"plain words\n", "text/plain"),
        (b"ID3\x03\x00" + b"\x00" * 10, "audio/mpeg"),
        (b"OggS" + b"\x00" * 10, "audio/ogg"),
        (EXE, None),
        (HTML, None),
        (b"", None),
        (b"\x00\x01\x02binary", None),
    ],
)
def test_sniff(content, expected):
    assert sniff(io.BytesIO(content)) == expected


def test_safe_file_name():
    assert safe_file_name("C:\\Users\\x\\report.pdf") == "report.pdf"
    assert safe_file_name("..") == "file"
    assert safe_file_name('a"b;c.png') == "a_b_c.png"
    assert safe_file_name("\u202egnp.exe") == "gnp.exe"  # no bidi override
    long = safe_file_name("x" * 400 + ".pdf")
    assert len(long) == 255 and long.endswith(".pdf")


# -- housekeeping ---------------------------------------------------------------------------------------


def test_purge_unbound_deletes_only_old_abandoned_uploads(world, django_capture_on_commit_callbacks):
    from datetime import timedelta

    from django.core.management import call_command
    from django.utils import timezone
    from kinga.records.attachments import purge_unbound

    users, client = world
    old_id = upload(client("owner")).json()["id"]
    fresh_id = upload(client("owner")).json()["id"]
    kept_id = upload(client("owner")).json()["id"]
    r = client("owner").post(
        "/api/v1/records/case/", {"data": {"name": "A", "photo": kept_id}}, format="json"
    )
    assert r.status_code == 201, r.json()
    two_days_ago = timezone.now() - timedelta(hours=49)
    Attachment.objects.filter(pk__in=[old_id, kept_id]).update(uploaded_at=two_days_ago)
    old_path = Attachment.objects.get(pk=old_id).file.path
    assert purge_unbound(dry_run=True) == {"count": 1, "bytes": len(PNG), "dry_run": True}
    assert Attachment.objects.filter(pk=old_id).exists()
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("attachments", "purge-unbound", stdout=out)
    assert "Deleted 1 unbound upload(s)" in out.getvalue()
    assert not Attachment.objects.filter(pk=old_id).exists()
    assert not os.path.exists(old_path)
    assert Attachment.objects.filter(pk=fresh_id).exists()  # still inside the grace period
    assert Attachment.objects.get(pk=kept_id).record_id is not None  # bound: never purged
    assert AuditEvent.objects.filter(action="attachment.purge", details__count=1).exists()
    with pytest.raises(KingaError):
        purge_unbound(older_than_hours=0)
