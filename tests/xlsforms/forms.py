"""XLSForms generated at test time with openpyxl (no binary fixtures in the repository).

Each builder returns the .xlsx bytes of one form exercising one family of XLSForm constructs; FORMS
lists them by name. `workbook()` builds any other one from rows.
"""

from __future__ import annotations

import io

import openpyxl

EN, FR, AR = "label::English (en)", "label::French (fr)", "label::Arabic (ar)"


def workbook(
    survey: list[list],
    choices: list[list] | None = None,
    settings: list[list] | None = None,
    extra: dict[str, list[list]] | None = None,
) -> bytes:
    """Rows include the header row. Sheets are written in XLSForm order."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "survey"
    for row in survey:
        ws.append(row)
    for title, rows in (("choices", choices), ("settings", settings), *(extra or {}).items()):
        if rows is not None:
            sheet = wb.create_sheet(title)
            for row in rows:
                sheet.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def settings(form_id: str, title: str, lang: str = "English (en)") -> list[list]:
    return [["form_id", "form_title", "default_language", "version"], [form_id, title, lang, "1"]]


def basic_types() -> bytes:
    return workbook(
        [
            ["type", "name", "label", "hint", "required", "appearance", "parameters", "calculation"],
            ["text", "child_name", "Name of the child", "As the child says it", "yes", "", ""],
            ["text", "story", "What happened", "", "", "multiline", ""],
            ["integer", "age", "Age", "", "true", "", ""],
            ["decimal", "weight", "Weight (kg)", "", "", "", ""],
            ["date", "dob", "Date of birth", "", "", "", ""],
            ["dateTime", "seen_at", "Seen at", "", "", "", ""],
            ["note", "intro", "Read this to the child", "", "", "", ""],
            ["acknowledge", "consent_ack", "I explained the service", "", "", "", ""],
            ["image", "photo", "Photo", "", "", "", "max-pixels=1024"],
            ["file", "document", "Document", "", "", "", ""],
            ["calculate", "age_months", "", "", "", "", "", "${age} * 12"],
        ],
        settings=settings("basic_types", "Basic types"),
    )


def repeats() -> bytes:
    return workbook(
        [
            ["type", "name", "label", "relevant", "calculation", "constraint"],
            ["integer", "hh_size", "Household size", "", "", ". > 0"],
            ["begin_repeat", "household", "Household members", "${hh_size} > 0", "", ""],
            ["text", "member_name", "Name", "", "", ""],
            ["integer", "member_age", "Age", "", "", ". >= 0"],
            ["begin_group", "member_school", "School", "${member_age} >= 5", "", ""],
            ["select_one yes_no", "member_in_school", "In school?", "", "", ""],
            ["end_group", "", "", "", "", ""],
            ["begin_repeat", "member_visits", "Visits", "", "", ""],
            ["date", "visit_date", "Visit date", "", "", ""],
            ["end_repeat", "", "", "", "", ""],
            ["end_repeat", "", "", "", "", ""],
            ["calculate", "members_counted", "", "", "count(${household})", ""],
        ],
        [["list_name", "name", "label"], ["yes_no", "yes", "Yes"], ["yes_no", "no", "No"]],
        settings("repeats", "Household"),
    )


def nested_groups() -> bytes:
    return workbook(
        [
            ["type", "name", "label", "relevant"],
            ["text", "worker", "Worker", ""],
            ["begin_group", "family", "Family", ""],
            ["text", "mother_name", "Mother", ""],
            ["begin_group", "father", "Father", "${mother_name} != ''"],
            ["text", "father_name", "Father's name", ""],
            ["begin_group", "father_job", "Work", ""],
            ["text", "father_work", "Occupation", ""],
            ["end_group", "", "", ""],
            ["end_group", "", "", ""],
            ["text", "siblings", "Siblings", ""],
            ["end_group", "", "", ""],
            ["text", "remarks", "Remarks", ""],
        ],
        settings=settings("nested_groups", "Nested groups"),
    )


def cascading() -> bytes:
    return workbook(
        [
            ["type", "name", "label", "choice_filter", "required"],
            ["select_one province", "province", "Province", "", "yes"],
            ["select_one district", "district", "District", "province = ${province}", "yes"],
            ["select_multiple needs", "needs", "Needs", "", ""],
            [
                "select_one district",
                "district_2",
                "Other district",
                "province=${province} and name != ${district}",
                "",
            ],
        ],
        [
            ["list_name", "name", "label", "province"],
            ["province", "north", "North", ""],
            ["province", "south", "South", ""],
            ["district", "n1", "North one", "north"],
            ["district", "n2", "North two", "north"],
            ["district", "s1", "South one", "south"],
            ["needs", "food", "Food", ""],
            ["needs", "shelter", "Shelter", ""],
            ["needs", "school", "School", ""],
        ],
        settings("cascading", "Where"),
    )


def translations() -> bytes:
    return workbook(
        [
            ["type", "name", EN, FR, AR, "hint::English (en)", "hint::French (fr)", "hint::Arabic (ar)"],
            ["begin_group", "identity", "Identity", "Identité", "الهوية", "", "", ""],
            [
                "text",
                "first_name",
                "First name",
                "Prénom",
                "الاسم الأول",
                "As written",
                "Tel qu'écrit",
                "كما هو مكتوب",
            ],
            ["select_one sex", "sex", "Sex", "Sexe", "الجنس", "", "", ""],
            ["end_group", "", "", "", "", "", "", ""],
        ],
        [
            ["list_name", "name", EN, FR, AR],
            ["sex", "female", "Female", "Féminin", "أنثى"],
            ["sex", "male", "Male", "Masculin", "ذكر"],
        ],
        settings("translations", "Translations"),
    )


def constraints() -> bytes:
    return workbook(
        [
            [
                "type",
                "name",
                "label",
                "constraint",
                "constraint_message::English (en)",
                "constraint_message::French (fr)",
            ],
            [
                "integer",
                "age",
                "Age",
                ". >= 0 and . <= 17",
                "A child is 0 to 17",
                "Un enfant a de 0 à 17 ans",
            ],
            ["text", "phone", "Phone", "regex(., '^[0-9]{9}$')", "Nine digits", "Neuf chiffres"],
            [
                "date",
                "incident_date",
                "Incident date",
                ". <= today()",
                "Not in the future",
                "Pas dans le futur",
            ],
            [
                "text",
                "code",
                "Code",
                "string-length(.) = 6 and ${age} > 2",
                "Six characters",
                "Six caractères",
            ],
        ],
        settings=settings("constraints", "Constraints"),
    )


def logic() -> bytes:
    """Required expressions, defaults (literal and dynamic), calculations, notes and XPath paths."""
    return workbook(
        [
            ["type", "name", "label", "required", "default", "calculation", "relevant"],
            ["begin_group", "main_grp", "Main", "", "", "", ""],
            ["integer", "age", "Age", "yes", "10", "", ""],
            ["date", "reg_date", "Registration date", "", "today()", "", ""],
            ["text", "district_name", "District", "", "Central", "", ""],
            ["select_one yn", "has_guardian", "Has a guardian?", "", "yes", "", ""],
            ["text", "guardian", "Guardian", "${age} < 18", "", "", "${has_guardian} = 'yes'"],
            ["calculate", "is_minor", "", "", "", "if(/data/main_grp/age < 18, 'yes', 'no')", ""],
            ["note", "minor_note", "This is a child case: ${age} years", "", "", "", "${is_minor} = 'yes'"],
            ["text", "summary", "Summary", "", "", "concat(${district_name}, ' / ', ${guardian})", ""],
            ["end_group", "", "", "", "", "", ""],
        ],
        [["list_name", "name", "label"], ["yn", "yes", "Yes"], ["yn", "no", "No"]],
        settings("logic", "Logic"),
    )


def unsupported() -> bytes:
    """One supported question between constructs Kinga reports (row numbers matter in the test)."""
    return workbook(
        [
            ["type", "name", "label", "appearance", "required_message"],  # row 1
            ["start", "start", "", "", ""],  # row 2: metadata
            ["text", "name", "Name", "", "Please give a name"],  # row 3
            ["geopoint", "where", "Where", "", ""],  # row 4
            ["range", "score", "Score", "", ""],  # row 5
            ["select_one fruits", "fruit", "Fruit", "search('fruits')", ""],  # row 6
            ["time", "at", "At", "", ""],  # row 7
            ["select_one fruits or_other", "fruit2", "Fruit 2", "minimal", ""],  # row 8
            ["text", "formula", '=CONCAT("a","b")', "", ""],  # row 9 (label is a formula)
            ["integer", "bad_logic", "Bad", "", ""],  # row 10
        ],
        [["list_name", "name", "label"], ["fruits", "apple", "Apple"], ["fruits", "pear", "Pear"]],
        settings("unsupported", "Unsupported"),
        {"notes": [["anything"], ["here"]]},
    )


def loose_and_groups() -> bytes:
    """Questions outside any group, before and after groups; plain labels; a select_multiple default."""
    return workbook(
        [
            ["type", "name", "label", "relevant"],
            ["text", "a_first", "First", ""],
            ["begin group", "grp", "Group", ""],
            ["select_multiple colors", "colors", "Colours", ""],
            ["end group", "", "", ""],
            ["text", "a_last", "Last", "selected(${colors}, 'red')"],
        ],
        [["list_name", "name", "label"], ["colors", "red", "Red"], ["colors", "blue", "Blue"]],
        settings("loose", "Loose"),
    )


FORMS = {
    "basic_types": basic_types,
    "repeats": repeats,
    "nested_groups": nested_groups,
    "cascading": cascading,
    "translations": translations,
    "constraints": constraints,
    "logic": logic,
    "unsupported": unsupported,
    "loose_and_groups": loose_and_groups,
}
