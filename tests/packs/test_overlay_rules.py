"""An overlay may hide and relabel locked standard fields, never change or remove them."""

import pytest
from packs_helpers import EXAMPLE, read_yaml, validate, write_yaml


def _patch_registration(pack, field_patch):
    path = pack / "forms" / "cp_registration.yaml"
    form = read_yaml(path)
    identity = next(s for s in form["sections"] if s["id"] == "identity")
    identity["fields"].append(field_patch)
    write_yaml(path, form)


@pytest.mark.parametrize(
    "field_patch, rule, attr",
    [
        ({"key": "sex", "type": "text"}, "locked_changed", "type"),
        ({"key": "name_first", "required": False}, "locked_changed", "required"),
        ({"key": "date_of_birth", "remove": True}, "locked_removed", None),
        ({"key": "risk_level", "lookup": "nationality"}, "locked_changed", "lookup"),
    ],
    ids=["change-type", "make-optional", "remove-field", "swap-lookup"],
)
def test_overlay_cannot_alter_a_locked_field(pack_copy, field_patch, rule, attr):
    pack = pack_copy(EXAMPLE)
    _patch_registration(pack, field_patch)
    report = validate(pack)
    assert not report.ok
    hits = [p for p in report.errors if p.rule == rule]
    assert hits, [str(p) for p in report.errors]
    text = str(hits[0])
    assert field_patch["key"] in text and "kinga.standard" in text
    if attr:
        assert attr in text


def test_overlay_cannot_remove_or_add_options_of_a_locked_lookup(pack_copy):
    pack = pack_copy(EXAMPLE)
    path = pack / "lookups" / "country.yaml"
    lookups = read_yaml(path)
    lookups.append({"id": "protection_concern", "options": [{"code": "neglect", "remove": True}]})
    lookups.append(
        {
            "id": "gbv_incident_type",
            "options": [{"code": "kv_cyber_harassment", "label": {"en": "x", "fr": "x", "ar": "x"}}],
        }
    )
    write_yaml(path, lookups)
    rules = {p.rule: str(p) for p in validate(pack).errors}
    assert "locked_removed" in rules and "neglect" in rules["locked_removed"]
    assert "locked_lookup_extended" in rules and "kv_cyber_harassment" in rules["locked_lookup_extended"]


def test_overlay_may_hide_and_relabel_locked_fields(pack_copy):
    pack = pack_copy(EXAMPLE)
    _patch_registration(
        pack, {"key": "sex", "hidden": True, "label": {"en": "Gender", "fr": "Genre", "ar": "النوع"}}
    )
    report = validate(pack)
    assert report.ok, [str(p) for p in report.errors]


def test_new_keys_must_be_namespaced(pack_copy):
    pack = pack_copy(EXAMPLE)
    _patch_registration(pack, {"key": "school_name", "type": "text", "label": {"en": "School"}})
    report = validate(pack)
    assert "not_in_namespace" in {p.rule for p in report.errors}
