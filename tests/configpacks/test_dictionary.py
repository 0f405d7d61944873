"""The data dictionary: every field with its labels, flags, conditions in words and users; escaped."""

import csv
from pathlib import Path

import pytest
from kinga.configpacks.dictionary import write_data_dictionary
from kinga.configpacks.runtime import compile_expr

from tests.kpis.builders import base_config, fld, kpi

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def config():
    cfg = base_config(
        {
            "high_risk": kpi(
                "high_risk",
                "count_records",
                fields=["risk_level"],
                params={"filter": "${risk_level} = 'high'"},
            )
        }
    )
    fields = cfg["forms"]["case_form"]["sections"][0]["fields"]
    fields += [
        fld("safety_plan", "textarea", relevant="${risk_level} = 'high'",
            required="selected(${concerns}, 'sexual_violence')", label={"en": "Safety plan", "fr": "Plan de sécurité"}),
        fld("age_years", "calculated", calculation="age(${date_of_birth})", params={"result": "integer"}),
        fld("evil", "text", label={"en": "<script>alert('x')</script>", "ar": "نص"}, hint={"en": "a & b"}),
    ]  # fmt: skip
    cfg["forms"]["case_form"]["sections"][0]["relevant"] = compile_expr("${age} < 18")
    return cfg


def test_html_lists_every_field_with_labels_flags_and_conditions_in_words(config, tmp_path):
    html_path, csv_path = write_data_dictionary(config, tmp_path / "out")
    assert html_path.name == "data_dictionary.html" and csv_path.name == "data_dictionary.csv"
    page = html_path.read_text(encoding="utf-8")
    for fields in (s["fields"] for f in config["forms"].values() for s in f["sections"]):
        for f in fields:
            assert f"<code>{f['key']}</code>" in page
            for child in f["fields"]:
                assert f"<code>{child['key']}</code>" in page
    assert "Prénom" in page and "Plan de sécurité" in page and "Niveau de risque" in page
    assert page.count("🔒 locked") == 3  # name_first, sex, concerns
    assert "Shown when Risk level is &#x27;High&#x27;" in page
    assert "Required when Concerns includes &#x27;Sexual violence&#x27;" in page
    assert "Computed as the age in years from Date of birth" in page
    assert "Its section is shown when Age is less than 18" in page
    assert "<b>KPIs:</b> high_risk" in page  # risk_level is read by a KPI
    assert "<b>deadlines:</b> initial_assessment_high_risk" in page
    assert "<b>duplicate detection:</b> name ×3" in page
    assert '<a href="#rt-case">' in page and 'id="rt-case"' in page  # table of contents
    assert 'lang="ar" dir="rtl"' in page


def test_html_escapes_everything(config, tmp_path):
    page = write_data_dictionary(config, tmp_path)[0].read_text(encoding="utf-8")
    assert "<script>" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page
    assert "a &amp; b" in page


def test_csv_has_one_row_per_field_and_per_option(config, tmp_path):
    csv_path = write_data_dictionary(config, tmp_path)[1]
    with csv_path.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    expected_fields, expected_options = 0, 0
    for form in config["forms"].values():
        for section in form["sections"]:
            stack = list(section["fields"])
            while stack:
                f = stack.pop()
                expected_fields += 1
                opts = config["lookups"][f["lookup"]]["options"] if f["lookup"] else (f["options"] or [])
                expected_options += len(opts)
                stack.extend(f["fields"])
    assert sum(r["row_kind"] == "field" for r in rows) == expected_fields
    assert sum(r["row_kind"] == "option" for r in rows) == expected_options
    sex_female = next(r for r in rows if r["field_key"] == "sex" and r["option_code"] == "female")
    assert (sex_female["label_en"], sex_female["label_fr"], sex_female["locked"]) == (
        "Female",
        "Féminin",
        "yes",
    )
    plan = next(r for r in rows if r["field_key"] == "safety_plan" and r["row_kind"] == "field")
    assert "shown when Risk level is 'High'" in plan["rules_in_words"]
    assert plan["required"] == "conditional"
    service = next(r for r in rows if r["field_key"] == "referral_service" and r["row_kind"] == "field")
    assert service["parent_field"] == "referrals"
    assert next(r for r in rows if r["field_key"] == "risk_level")["used_by_kpis"] == "high_risk"


@pytest.mark.django_db
def test_accepts_a_pack_path(tmp_path):
    from kinga.configpacks.validate import validate_pack

    pack = ROOT / "config_packs" / "standard"
    if validate_pack(pack).config is None:
        pytest.skip("the standard pack does not validate yet (being written in parallel)")
    page = write_data_dictionary(pack, tmp_path)[0].read_text(encoding="utf-8")
    assert "<code>registration_date</code>" in page
