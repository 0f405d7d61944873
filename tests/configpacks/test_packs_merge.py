"""Inheritance and the effective-configuration shape."""

from __future__ import annotations

from kinga.configpacks.validate import validate_pack

from .conftest import BASE, OVERLAY

FIELD_KEYS = {
    "key", "type", "label", "hint", "guidance", "required", "relevant", "constraint", "constraint_message",
    "calculation", "default", "choice_filter", "lookup", "options", "params", "locked", "hidden", "read_only",
    "keep_when_irrelevant", "indexed", "copy_from", "origin", "warnings", "fields",
}  # fmt: skip


def _fields(cfg, form_id):
    return {f["key"]: f for s in cfg["forms"][form_id]["sections"] for f in s["fields"]}


def test_effective_configuration_shape():
    cfg = validate_pack(BASE).config
    assert set(cfg) == {
        "packs", "languages", "default_language", "rtl_languages", "modules", "record_types", "forms",
        "fields", "lookups", "locations", "roles", "workflows", "kpis", "duplicate_rules", "archived_fields",
    }  # fmt: skip
    assert cfg["packs"] == [{"id": "tests.base", "version": "1.2.0"}]
    assert cfg["record_types"]["case"]["forms"] == ["registration", "assessment"]
    for form in cfg["forms"].values():
        for section in form["sections"]:
            for f in section["fields"]:
                assert set(f) == FIELD_KEYS
                assert isinstance(f["label"], dict) and isinstance(f["hint"], dict)
    age = _fields(cfg, "registration")["age"]
    assert age["warnings"][0]["expr"]["src"] == "${age} >= 18"
    assert _fields(cfg, "registration")["is_minor"]["calculation"]["ast"]["op"] == "bin"
    assert cfg["fields"]["case"]["member_name"] == {
        "form": "registration",
        "section": "household",
        "parent": "household",
    }
    assert cfg["lookups"]["risk_level"]["options"][0]["label"] == {
        "en": "Low"
    }  # plain strings → {lang: text}
    assert cfg["roles"]["caseworker"]["require_2fa"] is False
    assert cfg["workflows"]["case"]["transitions"][1]["from"] == ["closed"]


def test_overlay_adds_hides_relabels_translates_and_reorders():
    cfg = validate_pack(OVERLAY).config
    assert [p["id"] for p in cfg["packs"]] == ["tests.base", "tests.country"]
    assert cfg["languages"] == ["en", "fr", "ar"] and cfg["rtl_languages"] == ["ar"]
    sections = cfg["forms"]["registration"]["sections"]
    assert [s["id"] for s in sections] == ["identity", "xc_displacement", "household"]
    identity = [f["key"] for f in sections[0]["fields"]]
    assert identity[:3] == ["name_first", "xc_refugee_id", "name_last"] and "nickname" not in identity
    fields = _fields(cfg, "registration")
    assert fields["name_last"]["hidden"] is True
    assert fields["sex"]["label"] == {"en": "Sex", "fr": "Sexe de l'enfant", "ar": "الجنس"}
    assert fields["xc_refugee_id"]["origin"] == "tests.country" and fields["sex"]["origin"] == "tests.base"
    assert cfg["lookups"]["sex"]["options"][0]["label"]["ar"] == "أنثى"
    assert cfg["lookups"]["risk_level"]["options"][-1]["code"] == "xc_extreme"
    deadline = cfg["workflows"]["case"]["deadlines"][0]
    assert (deadline["within_hours"], deadline["within_days"]) == (None, 2)
    assert [i["code"] for i in cfg["locations"]["items"]][-1] == "XC03"
    assert "xc_volunteer" in cfg["roles"]


def test_base_is_found_with_explicit_base_dir(tmp_path, pack_copy):
    overlay = pack_copy(OVERLAY)  # its siblings in tmp_path do not hold the base
    assert [p.rule for p in validate_pack(overlay.path).problems] == ["base_not_found"]
    assert validate_pack(overlay.path, base=BASE).ok


def test_highest_matching_base_version_wins(tmp_path, pack_copy):
    old = pack_copy(BASE, "base_old")
    old.set_version("1.1.0")
    newer = pack_copy(BASE, "base_new")
    newer.set_version("1.9.0")
    too_new = pack_copy(BASE, "base_two")
    too_new.set_version("2.0.0")
    overlay = pack_copy(OVERLAY)
    report = validate_pack(overlay.path)
    assert report.ok and report.packs[0]["version"] == "1.9.0"


def test_three_level_chain(pack_copy):
    pack_copy(BASE)
    pack_copy(OVERLAY)
    district = pack_copy(OVERLAY, "district")
    district.save(
        "pack.yaml",
        {
            "id": "tests.district",
            "name": "District",
            "version": "0.1.0",
            "extends": "tests.country ~1.0",
            "namespace": "xd",
        },
    )
    for name in (
        "forms/registration.yaml",
        "lookups/person.yaml",
        "locations/locations.csv",
        "roles.yaml",
        "workflows.yaml",
    ):
        (district.path / name).unlink()
    district.save(
        "forms/registration.yaml",
        {
            "id": "registration",
            "sections": [{"id": "identity", "fields": [{"key": "xc_refugee_id", "label": {"fr": "Réf."}}]}],
        },
    )
    report = validate_pack(district.path)
    assert report.ok, [str(p) for p in report.problems]
    assert [p["id"] for p in report.packs] == ["tests.base", "tests.country", "tests.district"]
    refugee = _fields(report.config, "registration")["xc_refugee_id"]
    assert refugee["label"] == {"en": "Refugee ID", "fr": "Réf."}


def test_locked_rules_name_pack_file_field_and_rule(pack_copy):
    pack_copy(BASE)
    overlay = pack_copy(OVERLAY)
    overlay.save(
        "forms/registration.yaml",
        {"id": "registration", "sections": [{"id": "identity", "fields": [
            {"key": "sex", "required": False, "lookup": "risk_level"},
            {"key": "name_first", "remove": True},
        ]}]},
    )  # fmt: skip
    problems = validate_pack(overlay.path).problems
    assert {(p.pack, p.file, p.rule) for p in problems} == {
        ("tests.country", "forms/registration.yaml", "locked_changed"),
        ("tests.country", "forms/registration.yaml", "locked_removed"),
    }
    text = "\n".join(p.message for p in problems)
    assert "Field 'sex' is locked in tests.base and cannot have its required changed" in text
    assert "Field 'sex' is locked in tests.base and cannot have its lookup changed" in text
    assert "Field 'name_first' is locked in tests.base and cannot be removed" in text
