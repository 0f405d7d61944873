"""Drafts: created from the active configuration, edited by operations, validated, diffed, published
through kinga.configpacks, rolled back; locks and permissions enforced."""

from __future__ import annotations

import pytest

from .conftest import EXAMPLE as EXAMPLE_DIR

pytestmark = pytest.mark.django_db

# A valid case under the example configuration (its required fields).
CHILD = {
    "name_first": "Amina",
    "sex": "female",
    "location": "KV01010101",
    "protection_concerns": ["physical_violence"],
    "risk_level": "high",
    "consent_given": "yes",
    "consent_by": "child",
    "data_sharing_wishes": ["share_with_service_providers"],
    "kv_chief_name": "Chief Mbeki",
}
NEW_FIELD = {
    "key": "kv_shoe_size",
    "type": "integer",
    "label": {"en": "Shoe size", "fr": "Pointure"},
    "constraint": ". > 10 and . < 50",
}


def test_draft_from_active_is_a_flat_pack_that_validates(draft):
    from kinga_builder import drafts

    assert "pack.yaml" in draft.files and "forms/cp_registration.yaml" in draft.files
    assert "extends" not in draft.files["pack.yaml"]
    assert draft.namespace == "kv"  # inferred from the overlay's keys
    result = drafts.check_draft(draft)
    assert result["ok"], result["problems"][:3]


def test_get_draft_gives_files_and_structure_with_locks(as_user, admin, draft):
    r = as_user(admin).get(f"/api/v1/builder/drafts/{draft.pk}/")
    assert r.status_code == 200
    body = r.json()
    reg = next(f for f in body["forms"] if f["id"] == "cp_registration")
    fields = {f["key"]: f for s in reg["sections"] for f in s["fields"]}
    assert fields["sex"]["locked_by"] == "kinga.standard"
    assert fields["kv_birth_certificate_number"]["locked_by"] is None
    assert body["pack"]["id"] == "kivania.country" and "fr" in body["languages"]
    assert "files" in body and body["revision"] == 0


def test_add_update_move_remove_field(op, draft):
    r = op(op="add_field", form="cp_registration", section="identity", field=NEW_FIELD, after="sex")
    assert r.status_code == 200, r.json()
    assert r.json()["revision"] == 1
    from kinga_builder import drafts

    draft.refresh_from_db()
    ws = drafts.workspace(draft)
    ref = ws.find_field("kv_shoe_size")
    keys = [f["key"] for f in ref.container]
    assert keys[keys.index("sex") + 1] == "kv_shoe_size"
    assert op(op="update_field", key="kv_shoe_size", changes={"hint": {"en": "EU size"}}).status_code == 200
    assert op(op="move_field", key="kv_shoe_size", to_section="identity", after="@start").status_code == 200
    draft.refresh_from_db()
    ref = drafts.workspace(draft).find_field("kv_shoe_size")
    assert ref.container[0]["key"] == "kv_shoe_size" and ref.field["hint"] == {"en": "EU size"}
    assert drafts.check_draft(draft)["ok"]
    assert op(op="remove_field", key="kv_shoe_size").status_code == 200
    draft.refresh_from_db()
    assert "kv_shoe_size" not in str(draft.files["forms/cp_registration.yaml"])


def test_sections_subform_children_and_lookups(op, draft):
    from kinga_builder import drafts

    assert (
        op(
            op="add_section",
            form="cp_registration",
            section={"id": "kv_extra", "label": "Extra"},
            after="identity",
        ).status_code
        == 200
    )
    sub = {
        "key": "kv_visits",
        "type": "subform",
        "label": "Visits",
        "fields": [{"key": "kv_visit_date", "type": "date", "label": "Date"}],
    }
    assert op(op="add_field", form="cp_registration", section="kv_extra", field=sub).status_code == 200
    child = {"key": "kv_visit_note", "type": "text", "label": "Note"}
    r = op(op="add_field", form="cp_registration", section="kv_extra", parent="kv_visits", field=child)
    assert r.status_code == 200, r.json()
    assert (
        op(
            op="add_lookup",
            lookup={"id": "kv_colour", "label": "Colour", "options": [{"code": "red", "label": "Red"}]},
        ).status_code
        == 200
    )
    assert (
        op(op="add_option", lookup="kv_colour", option={"code": "blue", "label": {"en": "Blue"}}).status_code
        == 200
    )
    assert op(op="retire_option", lookup="kv_colour", code="red").status_code == 200
    pick = {"key": "kv_fav", "type": "select_one", "lookup": "kv_colour", "label": "Favourite"}
    assert op(op="add_field", form="cp_registration", section="kv_extra", field=pick).status_code == 200
    draft.refresh_from_db()
    check = drafts.check_draft(draft)
    assert check["ok"], check["problems"][:3]
    config = drafts.compile_draft(draft)
    assert [o["retired"] for o in config["lookups"]["kv_colour"]["options"]] == [True, False]
    section = next(s for s in config["forms"]["cp_registration"]["sections"] if s["id"] == "kv_extra")
    assert [c["key"] for c in section["fields"][0]["fields"]] == ["kv_visit_date", "kv_visit_note"]


@pytest.mark.parametrize(
    ("payload", "rule", "words"),
    [
        (
            {"op": "update_field", "key": "sex", "changes": {"type": "text"}},
            "locked_changed",
            "Field 'sex' is locked in kinga.standard and cannot have its type changed",
        ),
        (
            {"op": "update_field", "key": "name_first", "changes": {"required": False}},
            "locked_changed",
            "cannot have its required changed",
        ),
        (
            {"op": "update_field", "key": "sex", "changes": {"lookup": "kv_other"}},
            "locked_changed",
            "its lookup",
        ),
        (
            {"op": "update_field", "key": "sex", "changes": {"key": "gender"}},
            "key_immutable",
            "never renamed",
        ),
        ({"op": "remove_field", "key": "sex"}, "locked_removed", "hide it instead"),
        (
            {"op": "add_option", "lookup": "sex", "option": {"code": "kv_x", "label": "X"}},
            "locked_lookup_extended",
            "Lookup 'sex' is locked in kinga.standard",
        ),
        ({"op": "remove_option", "lookup": "sex", "code": "female"}, "locked_removed", "cannot be removed"),
        ({"op": "retire_option", "lookup": "sex", "code": "female"}, "locked_changed", "its retired"),
        (
            {"op": "remove_section", "form": "cp_registration", "section": "identity"},
            "locked_removed",
            "Section 'identity' (locked field",
        ),
    ],
)
def test_locked_standard_fields_are_refused_with_the_rule_sentence(op, payload, rule, words):
    r = op(**payload)
    assert r.status_code in (400, 409), r.json()
    error = r.json()["error"]
    assert error["code"] == rule and words in error["message"], error


def test_locked_field_may_be_hidden_relabelled_translated(op, draft):
    from kinga_builder import drafts

    r = op(
        op="update_field",
        key="sex",
        changes={"hidden": True, "label": {"en": "Sex of the child", "fr": "Sexe"}},
    )
    assert r.status_code == 200, r.json()
    assert (
        op(op="update_option", lookup="sex", code="female", changes={"label": {"en": "Girl"}}).status_code
        == 200
    )
    draft.refresh_from_db()
    assert drafts.check_draft(draft)["ok"]


def test_raw_file_edit_of_a_locked_field_is_caught_by_the_guard(op, draft):
    from kinga_builder import drafts

    text = draft.files["forms/cp_registration.yaml"].replace("lookup: sex", "lookup: risk_level", 1)
    assert op(op="put_file", path="forms/cp_registration.yaml", text=text).status_code == 200
    draft.refresh_from_db()
    result = drafts.check_draft(draft)
    assert not result["ok"]
    assert any(p["rule"] == "locked_changed" and p["field"] == "sex" for p in result["problems"])


def test_bad_operations_are_4xx_never_500(op, as_user, admin, draft):
    cases = [
        {"op": "nope"},
        {"op": "add_field", "form": "cp_registration", "section": "identity", "field": {"key": "Bad Key"}},
        {
            "op": "add_field",
            "form": "cp_registration",
            "section": "identity",
            "field": {"key": "kv_a", "type": "no_such_type"},
        },
        {
            "op": "add_field",
            "form": "cp_registration",
            "section": "identity",
            "field": {"key": "shoe", "type": "text"},
        },
        {
            "op": "add_field",
            "form": "cp_registration",
            "section": "identity",
            "field": {"key": "sex", "type": "text"},
        },
        {"op": "add_field", "form": "nope", "section": "identity", "field": NEW_FIELD},
        {
            "op": "add_field",
            "form": "cp_registration",
            "section": "identity",
            "field": NEW_FIELD,
            "after": "zzz",
        },
        {"op": "update_field", "key": "zzz", "changes": {}},
        {"op": "put_file", "path": "../etc/passwd", "text": "x"},
        {
            "op": "set_translation",
            "file": "forms/cp_registration.yaml",
            "path": "id",
            "lang": "fr",
            "text": "x",
        },
        {"op": "add_field"},
    ]
    for payload in cases:
        r = op(**payload)
        assert 400 <= r.status_code < 500, (payload, r.status_code)
        assert r.json()["error"]["message"], payload
    url = f"/api/v1/builder/drafts/{draft.pk}/ops/"
    assert as_user(admin).post(url, [1, 2], format="json").status_code == 400
    assert as_user(admin).post(url, {"ops": [], "revision": 0}, format="json").status_code == 400
    stale = as_user(admin).post(url, {"op": "add_language", "lang": "sw", "revision": 99}, format="json")
    assert stale.status_code == 409 and stale.json()["error"]["code"] == "stale_draft"
    assert as_user(admin).get("/api/v1/builder/drafts/99999/").status_code == 404


def test_not_in_namespace_reuses_the_rule_sentence(op):
    r = op(op="add_field", form="cp_registration", section="identity", field={"key": "shoe", "type": "text"})
    assert r.json()["error"]["code"] == "not_in_namespace"
    assert "must start with 'kv_'" in r.json()["error"]["message"]


def test_validate_reports_problems_with_file_line_and_field(op, as_user, admin, draft):
    bad = {**NEW_FIELD, "constraint": ". > ${no_such_field}"}
    assert op(op="add_field", form="cp_registration", section="identity", field=bad).status_code == 200
    r = as_user(admin).post(f"/api/v1/builder/drafts/{draft.pk}/validate/")
    body = r.json()
    assert r.status_code == 200 and body["ok"] is False
    problem = body["problems"][0]
    assert problem["rule"] == "unknown_reference" and problem["field"] == "kv_shoe_size"
    assert problem["file"] == "forms/cp_registration.yaml" and problem["line"] > 0
    assert "no_such_field" in problem["message"]
    r = as_user(admin).post(f"/api/v1/builder/drafts/{draft.pk}/publish/", {}, format="json")
    assert r.status_code == 400 and r.json()["error"]["code"] == "draft_invalid"


def test_publish_makes_the_new_field_visible_to_caseworkers(op, as_user, admin, caseworker, draft, active):
    from kinga.audit.models import AuditEvent

    assert op(op="add_field", form="cp_registration", section="identity", field=NEW_FIELD).status_code == 200
    diff = as_user(admin).get(f"/api/v1/builder/drafts/{draft.pk}/diff/").json()
    assert "+ field case.kv_shoe_size" in diff["text"]
    r = as_user(admin).post(
        f"/api/v1/builder/drafts/{draft.pk}/publish/", {"note": "shoe size"}, format="json"
    )
    assert r.status_code == 200, r.json()
    body = r.json()
    assert body["changed"] and body["version"] == active.number + 1
    assert AuditEvent.objects.filter(action="config.publish", details__draft=draft.pk).exists()
    assert AuditEvent.objects.filter(
        action="builder.edit", details__draft=draft.pk, details__op="add_field"
    ).exists()
    assert AuditEvent.objects.filter(action="config.apply", details__version=body["version"]).exists()
    config = as_user(caseworker).get("/api/v1/config/").json()
    assert config["version"] == body["version"]
    keys = [f["key"] for s in config["forms"]["cp_registration"]["sections"] for f in s["fields"]]
    assert "kv_shoe_size" in keys
    again = as_user(admin).post(f"/api/v1/builder/drafts/{draft.pk}/publish/", {}, format="json")
    assert again.status_code == 409  # a published draft is closed


def test_non_admin_cannot_publish_or_edit(as_user, caseworker, draft):
    client = as_user(caseworker)
    r = client.post(f"/api/v1/builder/drafts/{draft.pk}/publish/", {}, format="json")
    assert r.status_code == 403 and r.json()["error"]["code"] == "permission_denied"
    assert (
        client.post(
            f"/api/v1/builder/drafts/{draft.pk}/ops/", {"op": "add_language", "lang": "sw"}, format="json"
        ).status_code
        == 403
    )
    assert client.post("/api/v1/builder/drafts/", {}, format="json").status_code == 403
    assert client.post("/api/v1/builder/rollback/", {}, format="json").status_code == 403
    from kinga.core.errors import PermissionDenied
    from kinga_builder import drafts

    with pytest.raises(PermissionDenied):
        drafts.publish_draft(draft, user=caseworker)


def test_stale_draft_refused_unless_forced(as_user, admin, op, draft):
    from kinga_builder import drafts

    other = drafts.create_from_active(user=admin)
    from kinga_builder.ops import apply_ops

    apply_ops(other, user=admin, ops=[{"op": "add_language", "lang": "sw"}])
    other.refresh_from_db()
    drafts.publish_draft(other, user=admin)
    assert op(op="add_field", form="cp_registration", section="identity", field=NEW_FIELD).status_code == 200
    r = as_user(admin).post(f"/api/v1/builder/drafts/{draft.pk}/publish/", {}, format="json")
    assert r.status_code == 409 and r.json()["error"]["code"] == "stale_draft"
    r = as_user(admin).post(f"/api/v1/builder/drafts/{draft.pk}/publish/", {"force": True}, format="json")
    assert r.status_code == 200, r.json()


def test_remove_field_with_data_needs_archive_migration(op, as_user, admin, draft):
    from kinga.records.actions import create_record

    create_record(user=admin, record_type="case", data=CHILD)
    assert op(op="remove_field", key="kv_chief_name").status_code == 200
    url = f"/api/v1/builder/drafts/{draft.pk}/publish/"
    refused = as_user(admin).post(url, {}, format="json")
    assert refused.status_code == 400 and refused.json()["error"]["code"] == "unsafe_change"
    assert "kv_chief_name" in refused.json()["error"]["message"]
    r = as_user(admin).post(url, {"migrations": [{"archive_field": "kv_chief_name"}]}, format="json")
    assert r.status_code == 200, r.json()
    assert r.json()["migrations"][0]["action"] == "archive_field"


def test_bad_migrations_are_refused(as_user, admin, draft):
    url = f"/api/v1/builder/drafts/{draft.pk}/publish/"
    r = as_user(admin).post(url, {"migrations": [{"archive_field": "sex", "map_options": {}}]}, format="json")
    assert r.status_code == 400


def test_history_and_rollback_restore_the_previous_form(op, as_user, admin, caseworker, draft, active):
    assert op(op="add_field", form="cp_registration", section="identity", field=NEW_FIELD).status_code == 200
    published = as_user(admin).post(f"/api/v1/builder/drafts/{draft.pk}/publish/", {}, format="json").json()
    history = as_user(admin).get("/api/v1/builder/history/").json()
    assert history[0]["number"] == published["version"] and history[0]["active"]
    r = as_user(admin).post("/api/v1/builder/rollback/", {"version": active.number}, format="json")
    assert r.status_code == 200, r.json()
    assert r.json()["restored"] == active.number
    config = as_user(caseworker).get("/api/v1/config/").json()
    keys = [f["key"] for s in config["forms"]["cp_registration"]["sections"] for f in s["fields"]]
    assert "kv_shoe_size" not in keys
    bad = as_user(admin).post("/api/v1/builder/rollback/", {"version": 999}, format="json")
    assert bad.status_code == 400


def test_preview_config_has_the_config_shape(op, as_user, admin, draft):
    assert op(op="add_field", form="cp_registration", section="identity", field=NEW_FIELD).status_code == 200
    r = as_user(admin).get(f"/api/v1/builder/drafts/{draft.pk}/preview-config/?lang=fr")
    assert r.status_code == 200
    body = r.json()
    live = as_user(admin).get("/api/v1/config/").json()
    assert set(live) - {"version"} <= set(body)
    assert body["version"] is None and body["language"] == "fr" and body["preview"] is True
    field = next(
        f
        for s in body["forms"]["cp_registration"]["sections"]
        for f in s["fields"]
        if f["key"] == "kv_shoe_size"
    )
    assert field["constraint"]["ast"]["op"] == "and"


def test_translations_view_counts_missing(op, as_user, admin, draft):
    url = f"/api/v1/builder/drafts/{draft.pk}/translations/?lang=fr"
    before = as_user(admin).get(url).json()
    assert before["language"] == "fr" and set(before["missing"]) >= {"en", "fr", "ar"}
    one = {"key": "kv_only_english", "type": "text", "label": "Only English"}
    assert op(op="add_field", form="cp_registration", section="identity", field=one).status_code == 200
    after = as_user(admin).get(url).json()
    assert after["missing"]["fr"] == before["missing"]["fr"] + 1
    item = next(i for i in after["items"] if i["owner"].endswith("kv_only_english") and i["attr"] == "label")
    assert item["missing"] and item["default"] == "Only English" and item["text"] is None
    r = op(op="set_translation", file=item["file"], path=item["path"], lang="fr", text="Anglais seulement")
    assert r.status_code == 200, r.json()
    final = as_user(admin).get(url).json()
    assert final["missing"]["fr"] == before["missing"]["fr"]
    assert as_user(admin).get(f"/api/v1/builder/drafts/{draft.pk}/translations/?lang=xx").status_code == 404


def test_role_permissions_ops(op, draft):
    from kinga_builder import drafts

    assert (
        op(op="set_form_permission", role="caseworker", form="cp_closure", access="read").status_code == 200
    )
    assert (
        op(op="set_field_permission", role="caseworker", field="kv_chief_name", access="masked").status_code
        == 200
    )
    assert (
        op(op="set_field_permission", role="caseworker", field="kv_chief_name", access="nope").status_code
        == 400
    )
    draft.refresh_from_db()
    config = drafts.compile_draft(draft)
    assert config["roles"]["caseworker"]["forms"]["cp_closure"] == "read"
    assert config["roles"]["caseworker"]["fields"]["kv_chief_name"] == "masked"


def test_draft_from_uploaded_zip(as_user, admin, tmp_path):
    import io
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for p in (EXAMPLE_DIR).rglob("*"):
            if p.is_file():
                zf.write(p, p.relative_to(EXAMPLE_DIR).as_posix())
    buf.seek(0)
    buf.name = "kivania.zip"
    r = as_user(admin).post("/api/v1/builder/drafts/", {"file": buf, "name": "upload"}, format="multipart")
    assert r.status_code == 201, r.json()
    check = as_user(admin).post(f"/api/v1/builder/drafts/{r.json()['id']}/validate/").json()
    assert check["ok"], check["problems"][:3]
    junk = io.BytesIO(b"not a zip at all")
    junk.name = "x.zip"
    r = as_user(admin).post("/api/v1/builder/drafts/", {"file": junk}, format="multipart")
    assert r.status_code == 400 and r.json()["error"]["code"] == "draft_invalid"


def test_form_section_and_option_housekeeping(op, draft):
    from kinga_builder import drafts

    form = {"id": "kv_school_visit", "record_type": "case", "label": {"en": "School visit"}, "order": 90}
    assert op(op="add_form", form=form).status_code == 200
    assert op(op="add_form", form=form).status_code == 400  # twice
    assert op(op="add_form", form={**form, "id": "kv_x", "record_type": "nope"}).status_code == 400
    assert (
        op(op="update_form", form="kv_school_visit", changes={"label": "Visit", "order": 95}).status_code
        == 200
    )
    assert (
        op(op="update_form", form="kv_school_visit", changes={"record_type": "incident"}).status_code == 400
    )
    for sid in ("kv_a", "kv_b"):
        assert (
            op(op="add_section", form="kv_school_visit", section={"id": sid, "label": sid}).status_code == 200
        )
    assert op(op="move_section", form="kv_school_visit", section="kv_b", after="@start").status_code == 200
    assert (
        op(
            op="update_section",
            form="kv_school_visit",
            section="kv_a",
            changes={"relevant": "${age} > 5", "hidden": True},
        ).status_code
        == 200
    )
    field = {
        "key": "kv_visit_ok",
        "type": "select_one",
        "label": "OK?",
        "options": [{"code": "yes", "label": "Yes"}, {"code": "no", "label": "No"}],
    }
    assert op(op="add_field", form="kv_school_visit", section="kv_a", field=field).status_code == 200
    assert op(op="move_option", field="kv_visit_ok", code="no", after="@start").status_code == 200
    assert op(op="update_option", field="kv_visit_ok", code="no", changes={"code": "nope"}).status_code == 400
    draft.refresh_from_db()
    config = drafts.compile_draft(draft)
    visit = config["forms"]["kv_school_visit"]
    assert [s["id"] for s in visit["sections"]] == ["kv_b", "kv_a"] and visit["order"] == 95
    assert visit["sections"][1]["hidden"] and visit["sections"][1]["relevant"]["src"] == "${age} > 5"
    assert [o["code"] for o in visit["sections"][1]["fields"][0]["options"]] == ["no", "yes"]
    assert op(op="remove_section", form="kv_school_visit", section="kv_b").status_code == 200
    assert op(op="remove_form", form="kv_school_visit").status_code == 200
    assert op(op="remove_form", form="cp_registration").status_code == 409  # holds locked fields
    assert op(op="remove_lookup", lookup="sex").status_code == 409
    assert op(op="delete_file", path="pack.yaml").status_code == 400
    draft.refresh_from_db()
    assert "forms/kv_school_visit.yaml" not in draft.files and drafts.check_draft(draft)["ok"]


def test_discard_and_rename(as_user, admin, draft):
    client = as_user(admin)
    url = f"/api/v1/builder/drafts/{draft.pk}/"
    assert client.patch(url, {"name": "renamed"}, format="json").json()["name"] == "renamed"
    assert client.get("/api/v1/builder/drafts/").json()[0]["id"] == draft.pk
    assert client.delete(url).status_code == 204
    r = client.post(f"{url}ops/", {"op": "add_language", "lang": "sw"}, format="json")
    assert r.status_code == 409 and r.json()["error"]["code"] == "draft_closed"


def test_form_and_its_first_section_in_one_batch(as_user, admin, draft):
    ops = [
        {"op": "add_form", "form": {"id": "kv_school", "record_type": "case", "label": "School"}},
        {"op": "add_section", "form": "kv_school", "section": {"id": "main", "label": "School"}},
        {
            "op": "add_field",
            "form": "kv_school",
            "section": "main",
            "field": {"key": "kv_grade", "type": "integer"},
        },
    ]
    r = as_user(admin).post(f"/api/v1/builder/drafts/{draft.pk}/ops/", {"ops": ops}, format="json")
    assert r.status_code == 200, r.json()
    draft.refresh_from_db()
    assert "kv_grade" in draft.files["forms/kv_school.yaml"]


def test_preview_is_not_filtered_by_the_administrators_own_access(as_user, admin, draft):
    # im_admin may only view cases (every field would be read-only) and has no view on incidents.
    body = as_user(admin).get(f"/api/v1/builder/drafts/{draft.pk}/preview-config/").json()
    assert "incident" in body["record_types"] and "gbv_survivor" in body["forms"]
    fields = [f for s in body["forms"]["cp_registration"]["sections"] for f in s["fields"]]
    assert not any(f.get("read_only") for f in fields if f["key"] in ("name_first", "sex"))
    assert any(f["key"] == "caregiver_phone" for f in fields)  # hidden from im_admin itself


def test_preview_as_a_role(as_user, admin, draft):
    url = f"/api/v1/builder/drafts/{draft.pk}/preview-config/"
    worker = as_user(admin).get(url + "?role=caseworker").json()
    assert "incident" not in worker["record_types"]
    fields = {f["key"]: f for s in worker["forms"]["cp_registration"]["sections"] for f in s["fields"]}
    assert fields["sex"]["access"] == "edit" and not fields["sex"]["read_only"]
    assert worker["access"]["case"]
    manager = as_user(admin).get(url + "?role=cm_manager").json()
    assert "cp_comprehensive_assessment" not in manager["forms"]
    fields = {f["key"]: f for s in manager["forms"]["cp_registration"]["sections"] for f in s["fields"]}
    assert fields["name_first"]["access"] == "masked" and fields["name_first"]["read_only"]
    assert "child_phone" not in fields
    assert as_user(admin).get(url + "?role=nobody").status_code == 404
