"""Declarative examples per field type + a meta-test: adding a field type without a test class here
fails the build (see platform/kinga/formengine/README.md)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, ClassVar

import jsonschema
import pytest
from kinga.formengine.engine import FieldContext
from kinga.formengine.fieldtypes import FieldValueError, registry

NOW = datetime(2024, 6, 15, 12, 0, tzinfo=UTC)
CASES: dict[str, type[FieldTypeCase]] = {}


class FieldTypeCase:
    """valid: (raw, stored) pairs. invalid: (raw, error code) pairs, refused by clean or validate."""

    type_name: ClassVar[str] = ""
    field: ClassVar[dict] = {}
    ctx: ClassVar[dict] = {}
    valid: ClassVar[list[tuple[Any, Any]]] = []
    invalid: ClassVar[list[tuple[Any, str]]] = []
    good_params: ClassVar[list[dict]] = [{}]
    bad_params: ClassVar[list[dict]] = [{"no_such_param": 1}]
    search: ClassVar[list[tuple[Any, str]]] = []
    export: ClassVar[list[tuple[Any, str]]] = []

    def __init_subclass__(cls, **kw):
        super().__init_subclass__(**kw)
        CASES[cls.type_name] = cls


def _ctx(case) -> FieldContext:
    return FieldContext(config=None, now=NOW, tz="UTC", lang="en", **case.ctx)


def _field(case) -> dict:
    return {"key": "f", "type": case.type_name, "params": {}, **case.field}


def _run(case, raw):
    ftype = registry.get(case.type_name)
    value = ftype.clean(raw, _field(case), _ctx(case))
    errors = ftype.validate(value, _field(case), _ctx(case)) if value is not None else []
    return value, errors


class TestText(FieldTypeCase):
    type_name = "text"
    field = {"params": {"max_length": 5, "pattern": "[A-Za-z ]+"}}
    valid = [("Amina", "Amina"), ("  Ali ", "Ali"), ("", None)]
    invalid = [("Aminata", "max_length"), ("A1", "pattern"), (["x"], "invalid_text"), (True, "invalid_text")]
    good_params = [{"max_length": 10, "min_length": 1, "pattern": "x+"}]
    search = [("Amina", "Amina")]


class TestTextarea(FieldTypeCase):
    type_name = "textarea"
    field = {"params": {"max_length": 20}}
    valid = [("line 1\nline 2", "line 1\nline 2"), ("  ", None)]
    invalid = [("x" * 21, "max_length"), ({"a": 1}, "invalid_text")]


class TestInteger(FieldTypeCase):
    type_name = "integer"
    field = {"params": {"min": 0, "max": 120}}
    valid = [(5, 5), ("12", 12), (7.0, 7), (0, 0)]
    invalid = [
        (-1, "min_value"),
        (121, "max_value"),
        ("five", "invalid_integer"),
        (5.5, "invalid_integer"),
        (True, "invalid_number"),
        ("1e3", "invalid_integer"),
        (float("nan"), "invalid_integer"),
    ]
    good_params = [{"min": 0, "max": 10}]
    bad_params = [{"min": "zero"}, {"other": 1}]


class TestDecimal(FieldTypeCase):
    type_name = "decimal"
    field = {"params": {"min": 0, "decimal_places": 2}}
    valid = [(1.25, 1.25), ("3.5", 3.5), (2, 2), ("4", 4)]
    invalid = [
        (-0.5, "min_value"),
        (1.234, "decimal_places"),
        ("abc", "invalid_number"),
        (float("inf"), "invalid_number"),
    ]


class TestDate(FieldTypeCase):
    type_name = "date"
    field = {"params": {"min": "2000-01-01", "max": "today"}}
    valid = [("2010-05-01", "2010-05-01"), ("2024-06-15", "2024-06-15")]
    invalid = [
        ("2024-06-16", "max_value"),
        ("1999-12-31", "min_value"),
        ("2010-13-01", "invalid_date"),
        ("01/05/2010", "invalid_date"),
        (20100501, "invalid_date"),
    ]
    good_params = [{"max": "today"}, {"min": "2020-01-01"}]
    bad_params = [{"max": "tomorrow"}]


class TestDatetime(FieldTypeCase):
    type_name = "datetime"
    field = {"params": {"max": "now"}}
    valid = [
        ("2024-06-15T10:00:00+02:00", "2024-06-15T08:00:00Z"),
        ("2024-06-15T10:00", "2024-06-15T10:00:00Z"),
        ("2024-01-01T00:00:00Z", "2024-01-01T00:00:00Z"),
    ]
    invalid = [
        ("2024-06-15T13:00:00Z", "max_value"),
        ("2024-06-15", "invalid_datetime"),
        ("soon", "invalid_datetime"),
        (5, "invalid_datetime"),
    ]


class TestYesNo(FieldTypeCase):
    type_name = "yes_no"
    valid = [("yes", "yes"), (True, "yes"), (False, "no"), ("NO", "no")]
    invalid = [("maybe", "invalid_choice"), ("unknown", "invalid_choice"), (1, "invalid_choice")]
    good_params = [{"allow_unknown": True}]
    export = [("yes", "Yes")]


class TestYesNoUnknown(FieldTypeCase):
    type_name = "yes_no_unknown"  # same type, with allow_unknown (keyed apart so both run)
    field = {"type": "yes_no", "params": {"allow_unknown": True}}
    valid = [("unknown", "unknown")]
    invalid = [("perhaps", "invalid_choice")]


class TestTickBox(FieldTypeCase):
    type_name = "tick_box"
    valid = [(True, True), (False, False), ("true", True), ("0", False)]
    invalid = [("maybe", "invalid_boolean"), (2, "invalid_boolean"), ([], "invalid_boolean")]
    search = [(True, "")]


class TestSelectOne(FieldTypeCase):
    type_name = "select_one"
    field = {"options": [{"code": "f", "label": {"en": "Female"}}, {"code": "m", "label": {"en": "Male"}}]}
    ctx = {"allowed_options": {"f", "m"}}
    valid = [("f", "f"), (" m ", "m")]
    invalid = [("x", "invalid_choice"), (["f"], "invalid_choice"), (True, "invalid_choice")]
    export = [("f", "Female")]


class TestSelectMultiple(FieldTypeCase):
    type_name = "select_multiple"
    field = {
        "options": [{"code": "a", "label": "A"}, {"code": "b", "label": "B"}],
        "params": {"max_selected": 2},
    }
    ctx = {"allowed_options": {"a", "b", "c"}}
    valid = [(["a", "b"], ["a", "b"]), (["a", "a"], ["a"]), ([], None)]
    invalid = [
        (["a", "z"], "invalid_choice"),
        ("a", "invalid_choice"),
        ([1], "invalid_choice"),
        (["a", "b", "c"], "max_selected"),
    ]
    good_params = [{"min_selected": 1, "max_selected": 3}]
    search = [(["a", "b"], "a b")]
    export = [(["a", "b"], "A; B")]


class TestLocation(FieldTypeCase):
    type_name = "location"
    field = {"params": {"levels": [2]}}
    ctx = {"location_levels": {"KE": 0, "KE-NBO": 1, "KE-NBO-1": 2}}
    valid = [("KE-NBO-1", "KE-NBO-1")]
    invalid = [("KE-NBO", "location_level"), ("XX", "invalid_location"), (5, "invalid_location")]
    good_params = [{"levels": [1, 2]}]
    bad_params = [{"levels": "2"}]


class TestNote(FieldTypeCase):
    type_name = "note"
    valid = [("anything", "anything")]  # clean passes through; the engine never stores notes
    search = [("x", "")]


class TestSection(FieldTypeCase):
    type_name = "section"
    valid = [("x", "x")]
    export = [("x", "")]


class TestCalculated(FieldTypeCase):
    type_name = "calculated"
    field = {"params": {"result": "integer"}}
    valid = [(3, 3), ("4", 4), ("", None)]
    invalid = [("four", "invalid_integer")]
    good_params = [{"result": "date"}, {"result": "string"}]
    bad_params = [{"result": "bytes"}]


class TestAttachment(FieldTypeCase):
    type_name = "attachment"
    field = {"params": {"max_bytes": 1000, "content_types": ["image/*", "application/pdf"]}}
    _id = "7d9f1c0e-6a0b-4f57-9a59-2a1f3f1d2b11"
    valid = [
        (
            {"id": _id, "file_name": "a.png", "content_type": "image/png", "size": 10},
            {"id": _id, "file_name": "a.png", "content_type": "image/png", "size": 10},
        )
    ]
    invalid = [
        ({"id": _id, "content_type": "image/png", "size": 5000}, "file_too_large"),
        ({"id": _id, "content_type": "text/html", "size": 5}, "content_type"),
        ({"id": "nope"}, "invalid_attachment"),
        (5, "invalid_attachment"),
        ({"id": _id, "size": -1}, "invalid_attachment"),
    ]
    search = [({"id": _id, "file_name": "scan.pdf"}, "scan.pdf")]


class TestSubform(FieldTypeCase):
    type_name = "subform"
    field = {"params": {"min_rows": 1, "max_rows": 2}}
    valid = [([{"a": 1}], [{"a": 1}])]
    invalid = [([{}, {}, {}], "max_rows"), ("rows", "invalid_rows"), ([1], "invalid_rows")]
    good_params = [{"min_rows": 0, "max_rows": 5}]


def _examples(kind):
    for name, case in sorted(CASES.items()):
        for i, example in enumerate(getattr(case, kind)):
            yield pytest.param(case, *example, id=f"{name}-{i}")


def _resolved(case):
    # A case keyed apart (yes_no_unknown) names its real type in `field`.
    return (
        type("Case", (case,), {"type_name": case.field.get("type", case.type_name)})
        if "type" in case.field
        else case
    )


@pytest.mark.parametrize("case,raw,stored", list(_examples("valid")))
def test_valid(case, raw, stored):
    value, errors = _run(_resolved(case), raw)
    assert value == stored
    assert errors == []


@pytest.mark.parametrize("case,raw,code", list(_examples("invalid")))
def test_invalid(case, raw, code):
    try:
        _value, errors = _run(_resolved(case), raw)
    except FieldValueError as exc:
        assert exc.code == code
        assert exc.message
        return
    assert code in [e.code for e in errors], errors


@pytest.mark.parametrize("case,value,text", list(_examples("search")))
def test_search_text(case, value, text):
    assert registry.get(_resolved(case).type_name).search_text(value, _field(_resolved(case))) == text


@pytest.mark.parametrize("case,value,text", list(_examples("export")))
def test_export_value(case, value, text):
    assert registry.get(_resolved(case).type_name).export_value(value, _field(_resolved(case)), "en") == text


@pytest.mark.parametrize("name", [n for n in CASES if n in registry])
def test_params_schema(name):
    case, ftype = CASES[name], registry.get(name)
    jsonschema.Draft202012Validator.check_schema(ftype.params_schema)
    for params in case.good_params:
        jsonschema.validate(params, ftype.params_schema)
    for params in case.bad_params:
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(params, ftype.params_schema)


def test_every_registered_field_type_has_a_test_class():
    missing = [name for name in registry.names() if name not in CASES]
    assert not missing, f"field types without a test class in {__file__}: {missing}"


@pytest.mark.parametrize("name", registry.names())
def test_builder_spec(name):
    spec = registry.get(name).builder_spec()
    assert spec["type"] == name and isinstance(spec["params_schema"], dict)
