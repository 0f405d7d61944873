"""XLSForm import/export: generated forms (tests/xlsforms/forms.py) import into packs that validate,
export to workbooks pyxform converts, and re-import to the same form. Hostile files are refused with
sentences."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from kinga.configpacks.validate import validate_pack
from kinga_builder.xlsform import ImportOptions, XLSFormError, export_xlsform, import_xlsform, pyxform_check
from kinga_builder.xlsform.packs import import_to_pack, write_pack

from . import forms

ROOT = Path(__file__).resolve().parents[2]
PACKS = ROOT / "config_packs"
CLEAN = [name for name in forms.FORMS if name != "unsupported"]


def _compile(result, tmp_path: Path) -> dict:
    out = write_pack(result, tmp_path / f"pack_{result.form['id']}", pack_id=f"tests.{result.form['id']}")
    report = validate_pack(out)
    assert report.ok, [str(p) for p in report.problems]
    return report.config


def _options(result) -> dict:
    return {lk["id"]: lk["options"] for lk in result.lookups}


@pytest.mark.parametrize("name", list(forms.FORMS))
def test_import_validates_and_round_trips(name, tmp_path):
    first = import_xlsform(forms.FORMS[name]())
    config = _compile(first, tmp_path)
    data, _issues = export_xlsform(config, first.form["id"])
    pyxform_check(data)  # raises when pyxform cannot convert the export
    second = import_xlsform(data)
    if name == "unsupported":  # dropped content (a formula label) cannot come back
        assert [f["key"] for s in second.form["sections"] for f in s["fields"]] == [
            f["key"] for s in first.form["sections"] for f in s["fields"]
        ]
        return
    assert second.form == first.form
    assert _options(second) == _options(first)
    assert [i for i in second.issues if i.severity == "error"] == []


def _fields(result) -> dict:
    out = {}

    def walk(fields):
        for f in fields:
            out[f["key"]] = f
            walk(f.get("fields") or [])

    for s in result.form["sections"]:
        walk(s["fields"])
    return out


def test_types_are_mapped():
    fields = _fields(import_xlsform(forms.basic_types()))
    assert {k: f["type"] for k, f in fields.items()} == {
        "child_name": "text", "story": "textarea", "age": "integer", "weight": "decimal", "dob": "date",
        "seen_at": "datetime", "intro": "note", "consent_ack": "tick_box", "photo": "attachment",
        "document": "attachment", "age_months": "calculated",
    }  # fmt: skip
    assert fields["photo"]["params"] == {"content_types": ["image/*"]}
    assert fields["child_name"]["required"] is True and fields["age"]["required"] is True
    assert fields["child_name"]["hint"] == {"en": "As the child says it"}
    assert fields["age_months"]["calculation"] == "${age} * 12"


def test_repeats_become_subforms_and_inner_groups_are_flattened():
    result = import_xlsform(forms.repeats())
    household = _fields(result)["household"]
    assert household["type"] == "subform" and household["relevant"] == "${hh_size} > 0"
    assert [c["key"] for c in household["fields"]] == [
        "member_name",
        "member_age",
        "member_in_school",
        "member_visits",
    ]
    assert household["fields"][2]["relevant"] == "${member_age} >= 5"
    assert (
        household["fields"][3]["type"] == "subform"
        and household["fields"][3]["fields"][0]["key"] == "visit_date"
    )
    assert any(i.row == 6 and "flattened" in i.message for i in result.issues)


def test_nested_groups_become_prefixed_sections():
    result = import_xlsform(forms.nested_groups())
    sections = [(s["id"], s.get("label", {}).get("en"), s.get("relevant")) for s in result.form["sections"]]
    assert sections == [
        ("main", None, None),
        ("family", "Family", None),
        ("father", "Family › Father", "${mother_name} != ''"),
        ("father_job", "Family › Father › Work", "${mother_name} != ''"),
        ("family_2", "Family", None),
        ("main_2", None, None),
    ]
    assert [f["key"] for f in result.form["sections"][4]["fields"]] == ["siblings"]


def test_translations_per_language():
    result = import_xlsform(forms.translations())
    fields = _fields(result)
    assert fields["first_name"]["label"] == {"en": "First name", "fr": "Prénom", "ar": "الاسم الأول"}
    assert fields["first_name"]["hint"]["fr"] == "Tel qu'écrit"
    assert result.form["sections"][0]["label"] == {"en": "Identity", "fr": "Identité", "ar": "الهوية"}
    assert result.languages == ["en", "fr", "ar"]
    assert result.lookups[0]["options"][0]["label"] == {"en": "Female", "fr": "Féminin", "ar": "أنثى"}


def test_constraints_and_messages():
    fields = _fields(import_xlsform(forms.constraints()))
    assert fields["age"]["constraint"] == ". >= 0 and . <= 17"
    assert fields["age"]["constraint_message"] == {
        "en": "A child is 0 to 17",
        "fr": "Un enfant a de 0 à 17 ans",
    }
    assert fields["phone"]["constraint"] == "regex(., '^[0-9]{9}$')"


def test_required_expressions_defaults_calculations_and_paths():
    fields = _fields(import_xlsform(forms.logic()))
    assert fields["guardian"]["required"] == "${age} < 18"
    assert fields["age"]["default"] == "10" and fields["reg_date"]["default"] == "today()"
    assert fields["district_name"]["default"] == "'Central'" and fields["has_guardian"]["default"] == "'yes'"
    assert fields["is_minor"]["calculation"] == "if(${age} < 18, 'yes', 'no')"  # /data/main_grp/age
    assert (
        fields["minor_note"]["type"] == "note" and fields["minor_note"]["relevant"] == "${is_minor} = 'yes'"
    )


def test_cascading_selects_keep_their_filter(tmp_path):
    result = import_xlsform(forms.cascading())
    fields = _fields(result)
    assert fields["district"]["choice_filter"] == "${province} = ${province_selected}"
    assert fields["province_selected"] == {
        "key": "province_selected", "type": "calculated", "label": {"en": "Province (copy)"},
        "calculation": "${province}", "read_only": True, "hidden": True,
    }  # fmt: skip
    assert fields["district_2"]["choice_filter"] == "${province}=${province_selected} and . != ${district}"
    district = next(lk for lk in result.lookups if lk["id"] == "district")
    assert district["options"][0]["attrs"] == {"province": "north"}
    assert fields["needs"]["type"] == "select_multiple"
    config = _compile(result, tmp_path)
    assert config["forms"]["cascading"]["sections"][0]["fields"][2]["choice_filter"]["ast"]["op"] == "bin"


def test_unsupported_constructs_are_reported_by_row(tmp_path):
    result = import_xlsform(forms.unsupported())
    by_row = {(i.sheet, i.row, i.column): i for i in result.issues}
    assert by_row[("survey", 2, "type")].severity == "warning"  # start: metadata
    assert "geopoint" in by_row[("survey", 4, "type")].message
    assert "range" in by_row[("survey", 5, "type")].message
    assert "search()" in by_row[("survey", 6, "appearance")].message
    assert "time" in by_row[("survey", 7, "type")].message
    assert "or_other" in by_row[("survey", 8, "type")].message
    assert "formula" in by_row[("survey", 9, "label")].message
    assert ("survey", 3, "required_message") in by_row
    assert any(i.sheet == "notes" for i in result.issues)
    assert sorted(_fields(result)) == ["bad_logic", "formula", "fruit", "fruit2", "name"]
    _compile(result, tmp_path)  # what was imported validates


def test_bad_expression_is_reported_and_left_out(tmp_path):
    data = forms.workbook(
        [["type", "name", "label", "relevant", "constraint"],
         ["integer", "a", "A", "", ""],
         ["integer", "b", "B", "${a} >", "position(..) = 1"],
         ["integer", "c", "C", "${zzz} = 1", ". > instance('x')/root/item"]],
    )  # fmt: skip
    result = import_xlsform(data)
    issues = {(i.row, i.column): i.message for i in result.issues}
    assert "not a valid Kinga expression" in issues[(3, "relevant")] and "column" in issues[(3, "relevant")]
    assert "relative paths" in issues[(3, "constraint")]
    assert "${zzz}" in issues[(4, "relevant")]
    assert "instance()" in issues[(4, "constraint")]
    fields = _fields(result)
    assert "relevant" not in fields["b"] and "constraint" not in fields["c"]
    _compile(result, tmp_path)


def test_import_into_overlay_namespaces_keys_and_validates(tmp_path):
    out = tmp_path / "kv_intake"
    result, path = import_to_pack(
        forms.cascading(),
        out,
        extends="kinga.standard >=1.0,<2",
        namespace="kv",
        record_type="case",
        base=str(PACKS),
    )
    keys = set(_fields(result))
    assert keys == {"kv_province", "kv_province_selected", "kv_district", "kv_needs", "kv_district_2"}
    assert result.form["id"] == "kv_cascading" and {lk["id"] for lk in result.lookups} == {
        "kv_province", "kv_district", "kv_needs"
    }  # fmt: skip
    report = validate_pack(path, PACKS)
    assert report.ok, [str(p) for p in report.problems]


def test_import_into_overlay_refuses_keys_the_base_has(tmp_path):
    data = forms.workbook([["type", "name", "label"], ["text", "name_first", "First"], ["text", "x", "X"]])
    result = import_xlsform(data, ImportOptions(existing_keys={"name_first"}))
    assert [f["key"] for f in result.form["sections"][0]["fields"]] == ["x"]
    assert any(i.row == 2 and "already used" in i.message for i in result.issues)


def test_cli_import_and_export(tmp_path, db, capsys):
    from django.core.management import call_command

    src = tmp_path / "form.xlsx"
    src.write_bytes(forms.logic())
    out = tmp_path / "overlay"
    call_command("xlsform", "import", str(src), str(out), "--extends", "kinga.standard >=1.0,<2",
                 "--namespace", "kv", "--base", str(PACKS))  # fmt: skip
    printed = capsys.readouterr().out
    assert "The pack is valid." in printed and (out / "forms" / "kv_logic.yaml").is_file()
    xlsx = tmp_path / "out.xlsx"
    call_command("xlsform", "export", str(out), "kv_logic", str(xlsx), "--base", str(PACKS))
    assert "pyxform converts it" in capsys.readouterr().out
    again = import_xlsform(xlsx.read_bytes())
    assert "kv_is_minor" in _fields(again)


def test_every_standard_form_exports_to_something_pyxform_converts(tmp_path):
    report = validate_pack(PACKS / "example")
    assert report.ok
    for form_id in report.config["forms"]:
        data, _issues = export_xlsform(report.config, form_id)
        pyxform_check(data)
        imported = import_xlsform(data, ImportOptions(existing_keys=set()))
        assert imported.form["id"] == form_id


# -- hostile files --------------------------------------------------------------------------------------
def _zip(entries: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    return buf.getvalue()


def _many_rows(n: int) -> bytes:
    import openpyxl

    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("survey")
    ws.append(["type", "name", "label"])
    for i in range(n):
        ws.append(["text", f"q{i}", f"Question {i}"])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


@pytest.mark.parametrize(
    ("make", "words"),
    [
        (lambda: b"hello, I am a CSV,\n1,2,3\n", "not an .xlsx"),
        (lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "Excel 97-2003"),
        (
            lambda: _zip({"[Content_Types].xml": b"<x/>", "xl/big.xml": b"\0" * (70 * 1024 * 1024)}),
            "zip bomb",
        ),
        (lambda: _zip({"hello.txt": b"hi"}), "not an Excel workbook"),
        (lambda: _zip({"[Content_Types].xml": b"garbage", "xl/workbook.xml": b"<<<"}), "cannot be read"),
        (lambda: forms.workbook([["type", "name", "label"]]), "no question Kinga can import"),
        (lambda: _many_rows(100_000), "more than 5000 rows"),
        (lambda: forms.workbook([["type", "name", "type"], ["text", "a", "x"]]), "Duplicate column header"),
        (lambda: b"", "not an .xlsx"),
    ],
)
def test_hostile_files_give_sentences(make, words):
    with pytest.raises(XLSFormError) as exc:
        import_xlsform(make())
    assert words in exc.value.message


def test_missing_survey_sheet_names_what_it_found():
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active.title = "questions"
    buf = io.BytesIO()
    wb.save(buf)
    with pytest.raises(XLSFormError, match="no 'survey' sheet .*questions"):
        import_xlsform(buf.getvalue())


def test_huge_cells_and_formulas_are_reported_not_used():
    data = forms.workbook(
        [["type", "name", "label", "hint"], ["text", "a", "A", "x" * 30000], ["integer", "b", "=1+1", ""]]
    )
    result = import_xlsform(data)
    issues = {(i.row, i.column): i.message for i in result.issues}
    assert "longer than" in issues[(2, "hint")] and "formula" in issues[(3, "label")]
    assert "hint" not in _fields(result)["a"] and "label" not in _fields(result)["b"]


def test_cli_errors_are_sentences_not_tracebacks(tmp_path, db, capsys):
    from django.core.management import call_command

    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"PK\x03\x04 definitely broken")
    with pytest.raises(SystemExit) as exc:
        call_command("xlsform", "import", str(bad), str(tmp_path / "out"))
    assert exc.value.code == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err and "xlsx" in err
    with pytest.raises(SystemExit):
        call_command("xlsform", "import", str(tmp_path / "missing.xlsx"), str(tmp_path / "out"))
    assert "There is no file" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        call_command("xlsform", "export", str(PACKS / "standard"), "no_such_form", str(tmp_path / "x.xlsx"))
    assert "no form 'no_such_form'" in capsys.readouterr().err
