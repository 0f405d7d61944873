"""The standard pack and the example overlay: valid, fully translated, KPIs on locked fields only."""

import csv

import pytest
import yaml
from packs_helpers import EXAMPLE, LANGUAGES, STANDARD, validate

TEXT_KEYS = {"label", "hint", "guidance", "constraint_message", "message", "description"}


@pytest.fixture(scope="module")
def standard_config():
    report = validate(STANDARD)
    assert report.ok, "\n".join(str(p) for p in report.errors)
    return report.config


@pytest.mark.parametrize("pack", [STANDARD, EXAMPLE], ids=["standard", "example"])
def test_cli_validate_exits_0(pack, capsys):
    from kinga.cli import main

    assert main(["pack", "validate", str(pack)]) == 0, capsys.readouterr()


@pytest.mark.parametrize("pack", [STANDARD, EXAMPLE], ids=["standard", "example"])
def test_pack_validates_without_warnings(pack):
    report = validate(pack)
    assert report.ok, "\n".join(str(p) for p in report.errors)
    assert not report.problems, "\n".join(str(p) for p in report.problems)


def _walk_text(node, path, missing):
    if isinstance(node, dict):
        for key, value in node.items():
            if key in TEXT_KEYS and value is not None:
                if (
                    not isinstance(value, dict)
                    or {k for k, v in value.items() if isinstance(v, str) and v.strip()} < LANGUAGES
                ):
                    missing.append(f"{path}.{key}: {value!r}"[:200])
            else:
                _walk_text(value, f"{path}.{key}", missing)
    elif isinstance(node, list):
        for i, item in enumerate(node):
            _walk_text(item, f"{path}[{i}]", missing)


@pytest.mark.parametrize("pack", [STANDARD, EXAMPLE], ids=["standard", "example"])
def test_every_text_is_translated_in_en_fr_ar(pack):
    """Every label, hint, guidance, message and option in the pack files has en, fr and ar."""
    missing: list[str] = []
    for f in sorted(pack.rglob("*.yaml")):
        if f.name == "pack.yaml":
            continue
        _walk_text(yaml.safe_load(f.read_text(encoding="utf-8")), f.relative_to(pack).as_posix(), missing)
    for f in sorted(pack.rglob("*.csv")):
        with f.open(encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                for lang in LANGUAGES:
                    if not (row.get(f"name_{lang}") or "").strip():
                        missing.append(f"{f.name} {row['code']}: name_{lang}")
    assert not missing, "Untranslated text:\n" + "\n".join(missing[:40])


def test_effective_configuration_is_translated(standard_config):
    cfg = standard_config
    missing = []

    def check(text, where):
        if not isinstance(text, dict) or not all((text.get(lang) or "").strip() for lang in LANGUAGES):
            missing.append(where)

    for form in cfg["forms"].values():
        check(form["label"], f"form {form['id']}")
        for section in form["sections"]:
            check(section["label"], f"section {form['id']}.{section['id']}")
            stack = list(section["fields"])
            while stack:
                field = stack.pop()
                check(field["label"], f"field {field['key']}")
                for option in field.get("options") or []:
                    check(option["label"], f"option {field['key']}.{option['code']}")
                stack.extend(field.get("fields") or [])
    for lookup in cfg["lookups"].values():
        check(lookup["label"], f"lookup {lookup['id']}")
        for option in lookup["options"]:
            check(option["label"], f"option {lookup['id']}.{option['code']}")
    for item in cfg["locations"]["items"]:
        check(item["name"], f"location {item['code']}")
    assert not missing, missing[:40]
    assert cfg["rtl_languages"] == ["ar"]
    assert cfg["default_language"] == "en"


def _fields_by_key(cfg, record_type):
    out = {}
    for form_id in cfg["record_types"][record_type]["forms"]:
        for section in cfg["forms"][form_id]["sections"]:
            stack = list(section["fields"])
            while stack:
                field = stack.pop()
                out[field["key"]] = field
                stack.extend(field.get("fields") or [])
    return out


def test_every_kpi_reads_only_locked_fields(standard_config):
    from kinga.kpis.registry import validate_definitions

    cfg = standard_config
    assert cfg["kpis"], "the standard ships KPIs"
    # The KPI engine checks that every field a KPI reads is listed in its `fields`...
    assert validate_definitions(cfg["kpis"], cfg) == []
    # ...and the standard's rule is that each of them is locked.
    unlocked = []
    for kpi in cfg["kpis"].values():
        fields = _fields_by_key(cfg, kpi["record_type"])
        for key in kpi["fields"]:
            if not fields[key]["locked"]:
                unlocked.append(f"{kpi['id']}: {key}")
    assert not unlocked, unlocked


def test_deadlines_and_duplicate_rules_use_locked_fields(standard_config):
    cfg = standard_config
    for rt, wf in cfg["workflows"].items():
        fields = _fields_by_key(cfg, rt)
        for d in wf["deadlines"]:
            for key in (d["start"], d["end"]):
                assert key.startswith("@") or fields[key]["locked"], (rt, d["id"], key)
    for rt, rule in cfg["duplicate_rules"].items():
        fields = _fields_by_key(cfg, rt)
        assert cfg["record_types"][rt]["person"]
        for f in rule["fields"]:
            assert fields[f["key"]]["locked"], (rt, f["key"])


def test_standard_classifications(standard_config):
    lookups = standard_config["lookups"]
    assert [o["code"] for o in lookups["gbv_incident_type"]["options"]] == [
        "rape",
        "sexual_assault",
        "physical_assault",
        "forced_marriage",
        "denial_of_resources",
        "psychological_abuse",
    ]
    for lookup_id in (
        "sex",
        "protection_concern",
        "risk_level",
        "service_type",
        "referral_status",
        "closure_reason",
        "data_sharing",
        "gbv_incident_type",
        "gbv_service_type",
        "displacement_status",
    ):
        assert lookups[lookup_id]["locked"], lookup_id
    assert {rt: t["id_prefix"] for rt, t in standard_config["record_types"].items()} == {
        "case": "CP",
        "tracing_request": "TR",
        "incident": "GBV",
        "notification": "NT",
    }


def test_example_overlay_effective_changes():
    report = validate(EXAMPLE)
    assert report.ok, "\n".join(str(p) for p in report.errors)
    cfg = report.config
    fields = _fields_by_key(cfg, "case")
    assert fields["displacement_status"]["hidden"] and fields["displacement_status"]["locked"]
    assert fields["kv_birth_certificate_number"]["origin"] == "kivania.country"
    assert fields["caregiver_name"]["label"]["en"] == "Guardian's name"
    medium = next(
        d for d in cfg["workflows"]["case"]["deadlines"] if d["id"] == "initial_assessment_medium_risk"
    )
    assert (medium["within_days"], medium["within_hours"]) == (5, None)
    assert "kv_ccw" in cfg["roles"]
    assert any(i["level"] == 4 for i in cfg["locations"]["items"])
    assert "kv_norvanian" in {o["code"] for o in cfg["lookups"]["nationality"]["options"]}
