"""A new standard version (1.1.0) is picked up under an unchanged country overlay."""

import pytest
from packs_helpers import EXAMPLE, STANDARD, read_yaml, validate, write_yaml

NEW_FIELD = {
    "key": "languages_spoken",
    "type": "text",
    "label": {"en": "Languages spoken", "fr": "Langues parlées", "ar": "اللغات التي يتحدثها"},
}


@pytest.fixture
def upgraded(pack_copy):
    standard = pack_copy(STANDARD, "standard")
    meta = read_yaml(standard / "pack.yaml")
    meta["version"] = "1.1.0"
    write_yaml(standard / "pack.yaml", meta)
    form = read_yaml(standard / "forms" / "cp_registration.yaml")
    next(s for s in form["sections"] if s["id"] == "identity")["fields"].append(NEW_FIELD)
    write_yaml(standard / "forms" / "cp_registration.yaml", form)
    example = pack_copy(EXAMPLE, "example")
    return standard, example


def _case_keys(cfg):
    return set(cfg["fields"]["case"])


def test_overlay_validates_on_the_new_standard(upgraded):
    standard, example = upgraded
    report = validate(example, base=standard.parent)
    assert report.ok, [str(p) for p in report.errors]
    assert {"id": "kinga.standard", "version": "1.1.0"} in report.config["packs"]
    keys = _case_keys(report.config)
    assert {"languages_spoken", "kv_birth_certificate_number", "kv_school_name"} <= keys


@pytest.mark.django_db
def test_overlay_applies_on_top_of_the_upgrade(upgraded):
    from kinga.configpacks.apply import apply_pack
    from kinga.configpacks.runtime import get_active

    standard, example = upgraded
    apply_pack(EXAMPLE)
    apply_pack(example, base=standard.parent)
    cfg = get_active().data
    assert [p["version"] for p in cfg["packs"] if p["id"] == "kinga.standard"] == ["1.1.0"]
    assert {"languages_spoken", "kv_birth_certificate_number"} <= _case_keys(cfg)
