"""Every registered field type through the API: one valid and one invalid value each (a meta-check
fails when a new type is missing here)."""

from __future__ import annotations

import pytest
from kinga.formengine.fieldtypes import registry

from tests.records.factories import CASE_LOCATIONS, field, install_config

ATTACHMENT = {
    "id": "7d9f1c0e-6a0b-4f57-9a59-2a1f3f1d2b11",
    "file_name": "a.pdf",
    "content_type": "application/pdf",
    "size": 3,
}
INVALID_ATTACHMENT_ID = "0b5c2f55-8a3e-4a51-9f0e-3c1d2e4f5a6b"

# type -> (field definition, valid value, stored value, invalid value, error code)
EXAMPLES = {
    "text": (field("t_text", "text"), "Amina", "Amina", {"a": 1}, "invalid_text"),
    "textarea": (field("t_textarea", "textarea"), "line\nline", "line\nline", ["x"], "invalid_text"),
    "integer": (field("t_integer", "integer", params={"max": 10}), "7", 7, 11, "max_value"),
    "decimal": (field("t_decimal", "decimal"), 2.5, 2.5, "x", "invalid_number"),
    "date": (field("t_date", "date"), "2024-01-31", "2024-01-31", "2024-02-30", "invalid_date"),
    "datetime": (
        field("t_datetime", "datetime"),
        "2024-01-31T10:00:00+01:00",
        "2024-01-31T09:00:00Z",
        "noon",
        "invalid_datetime",
    ),
    "yes_no": (field("t_yes_no", "yes_no"), True, "yes", "maybe", "invalid_choice"),
    "tick_box": (field("t_tick_box", "tick_box"), "true", True, "x", "invalid_boolean"),
    "select_one": (field("t_select_one", "select_one", options=["a", "b"]), "a", "a", "c", "invalid_choice"),
    "select_multiple": (
        field("t_select_multiple", "select_multiple", options=["a", "b"]),
        ["b", "a"],
        ["b", "a"],
        ["a", "z"],
        "invalid_choice",
    ),
    "location": (field("t_location", "location"), "KE-NBO", "KE-NBO", "MARS", "invalid_location"),
    "attachment": (
        field("t_attachment", "attachment", params={"content_types": ["application/pdf"]}),
        ATTACHMENT,
        ATTACHMENT,
        {**ATTACHMENT, "id": INVALID_ATTACHMENT_ID},  # stored as text/html
        "content_type",
    ),
    "calculated": (
        field("t_calculated", "calculated", params={"result": "integer"}, calculation="1 + 1"),
        99,
        2,
        None,
        None,
    ),
    "subform": (
        field("t_subform", "subform", fields=[field("t_row", "integer")]),
        [{"t_row": "3"}],
        [{"t_row": 3}],
        [{"t_row": "x"}],
        "invalid_integer",
    ),
    "note": (field("t_note", "note"), "ignored", None, None, None),
    "section": (field("t_section", "section"), "ignored", None, None, None),
}


def test_every_field_type_has_an_api_example():
    assert sorted(EXAMPLES) == registry.names()


@pytest.fixture
def client(api_client, worker, db):
    install_config({"thing": [e[0] for e in EXAMPLES.values()]}, locations=CASE_LOCATIONS)
    api_client.force_authenticate(worker)
    return api_client


def _uploads(worker) -> None:
    """Attachment values name uploads (kinga.records.attachments): the valid example a PDF, the
    invalid one an upload whose stored type the field does not accept."""
    from kinga.records.models import Attachment

    for att_id, content_type in ((ATTACHMENT["id"], "application/pdf"), (INVALID_ATTACHMENT_ID, "text/html")):
        Attachment.objects.create(id=att_id, field_key="t_attachment", file="attachments/x", file_name="a.pdf",
                                  content_type=content_type, size=3, sha256="0" * 64, uploaded_by=worker)  # fmt: skip


@pytest.mark.parametrize("type_name", sorted(EXAMPLES))
def test_field_type_round_trip(client, worker, type_name):
    f, valid, stored, invalid, code = EXAMPLES[type_name]
    if type_name == "attachment":
        _uploads(worker)
    r = client.post("/api/v1/records/thing/", {"data": {f["key"]: valid}}, format="json")
    assert r.status_code == 201, r.json()
    assert r.json()["data"].get(f["key"]) == stored
    got = client.get(f"/api/v1/records/thing/{r.json()['id']}/").json()
    assert got["data"].get(f["key"]) == stored
    if code is None:
        return
    r = client.post("/api/v1/records/thing/", {"data": {f["key"]: invalid}}, format="json")
    assert r.status_code == 400
    details = r.json()["error"]["details"]
    assert code in [d["code"] for d in details], details
    assert all(d["field"].startswith(f["key"]) for d in details)
