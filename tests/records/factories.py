"""Build effective configurations in Python for tests (the pack loader is tested elsewhere).

    config = install_config({"case": [text("name", required=True), integer("age")]},
                            lookups={"sex": ["f", "m"]})

Every FIELD key of docs/packs.md is filled; expression strings are compiled with compile_expr.
"""

from __future__ import annotations

from typing import Any

from kinga.configpacks.runtime import compile_expr, get_active, install

EXPR_KEYS = ("relevant", "constraint", "calculation", "default", "choice_filter")


def field(key: str, type: str = "text", **kw: Any) -> dict:
    f = {
        "key": key,
        "type": type,
        "label": kw.pop("label", {"en": key.replace("_", " ").title()}),
        "hint": None,
        "guidance": None,
        "required": False,
        "relevant": None,
        "constraint": None,
        "constraint_message": None,
        "calculation": None,
        "default": None,
        "choice_filter": None,
        "lookup": None,
        "options": None,
        "params": {},
        "locked": False,
        "hidden": False,
        "read_only": False,
        "keep_when_irrelevant": False,
        "indexed": False,
        "copy_from": None,
        "origin": "test.pack",
        "warnings": [],
        "fields": [],
    }
    f.update(kw)
    for name in EXPR_KEYS:
        if isinstance(f[name], str):
            f[name] = compile_expr(f[name])
    if isinstance(f["required"], str):
        f["required"] = compile_expr(f["required"])
    if isinstance(f["constraint_message"], str):
        f["constraint_message"] = {"en": f["constraint_message"]}
    f["warnings"] = [
        {
            "id": w["id"],
            "expr": compile_expr(w["expr"]) if isinstance(w["expr"], str) else w["expr"],
            "message": w["message"] if isinstance(w["message"], dict) else {"en": w["message"]},
        }
        for w in f["warnings"]
    ]
    if isinstance(f["options"], list):
        f["options"] = [_option(o) for o in f["options"]]
    f["fields"] = [c if "origin" in c else field(**c) for c in f["fields"]]
    return f


def _option(o: Any) -> dict:
    if isinstance(o, str):
        o = {"code": o}
    return {
        "code": o["code"],
        "label": o.get("label") or {"en": o["code"].title()},
        "retired": o.get("retired", False),
        "attrs": o.get("attrs", {}),
        "origin": "test.pack",
    }


def section(
    id: str, fields: list[dict], relevant: str | None = None, hidden: bool = False, label=None
) -> dict:
    return {
        "id": id,
        "label": label or {"en": id.title()},
        "relevant": compile_expr(relevant),
        "hidden": hidden,
        "fields": fields,
    }


def build_config(
    forms: dict[str, list[dict]],
    *,
    lookups: dict[str, list] | None = None,
    locations: list[dict] | None = None,
    languages: tuple[str, ...] = ("en", "fr"),
    workflows: dict | None = None,
    id_prefixes: dict[str, str] | None = None,
    archived_fields: dict | None = None,
) -> dict:
    """`forms` maps record type → a list of sections, or of fields (one section "main")."""
    config: dict[str, Any] = {
        "packs": [{"id": "test.pack", "version": "1.0.0"}],
        "languages": list(languages),
        "default_language": languages[0],
        "rtl_languages": ["ar"],
        "modules": ["child_protection", "gbv"],
        "record_types": {},
        "forms": {},
        "fields": {},
        "lookups": {},
        "locations": {
            "levels": [{"level": 0, "id": "country", "label": {"en": "Country"}}],
            "items": locations or [],
        },
        "roles": {},
        "workflows": workflows or {},
        "kpis": {},
        "duplicate_rules": {},
        "archived_fields": archived_fields or {},
    }
    for record_type, items in forms.items():
        sections = (
            items if items and "fields" in items[0] and "key" not in items[0] else [section("main", items)]
        )
        form_id = f"{record_type}_form"
        config["record_types"][record_type] = {
            "id": record_type,
            "module": "gbv" if record_type == "incident" else "child_protection",
            "label": {"en": record_type.title(), "fr": record_type.title() + " (fr)"},
            "id_prefix": (id_prefixes or {}).get(record_type, record_type[:2].upper()),
            "person": record_type == "case",
            "title": None,
            "forms": [form_id],
        }
        config["forms"][form_id] = {
            "id": form_id,
            "record_type": record_type,
            "label": {"en": record_type.title()},
            "order": 10,
            "origin": "test.pack",
            "sections": sections,
        }
        for s in sections:
            for f in s["fields"]:
                config["fields"][f["key"]] = {"form": form_id, "section": s["id"], "parent": None}
                for c in f.get("fields") or []:
                    config["fields"][c["key"]] = {"form": form_id, "section": s["id"], "parent": f["key"]}
    for lookup_id, options in (lookups or {}).items():
        config["lookups"][lookup_id] = {
            "id": lookup_id,
            "label": {"en": lookup_id},
            "locked": False,
            "origin": "test.pack",
            "options": [_option(o) for o in options],
        }
    return config


def install_config(forms: dict[str, list[dict]], **kw: Any):
    """Install a configuration built by build_config and return the ActiveConfig."""
    install(build_config(forms, **kw), note="test")
    return get_active()


def case_forms() -> dict[str, list]:
    """A small but realistic child-protection case + GBV incident used by the records and API tests."""
    case = [
        section(
            "identity",
            [
                field(
                    "name_first",
                    "text",
                    required=True,
                    indexed=True,
                    label={"en": "First name", "fr": "Prénom"},
                ),
                field("name_last", "text"),
                field("sex", "select_one", lookup="sex", indexed=True),
                field(
                    "age",
                    "integer",
                    params={"min": 0, "max": 120},
                    indexed=True,
                    warnings=[
                        {
                            "id": "age_over_18",
                            "expr": "${age} >= 18",
                            "message": {"en": "Age over 18 in a child case", "fr": "Âge supérieur à 18 ans"},
                        }
                    ],
                ),
                field("date_of_birth", "date", params={"max": "today"}),
                field(
                    "age_group",
                    "calculated",
                    params={"result": "string"},
                    calculation="if(${age} < 5, '0-4', if(${age} < 18, '5-17', '18+'))",
                ),
                field("registration_date", "date", default="today()"),
                field("registering_agency", "text", default="user('agency')"),
            ],
        ),
        section(
            "protection",
            [
                field("concerns", "select_multiple", lookup="protection_concern"),
                field("concern_other", "text", relevant="selected(${concerns}, 'other')", required=True),
                field("in_school", "yes_no"),
                field("school_name", "text", relevant="${in_school} = 'yes'"),
                field(
                    "risk_level",
                    "select_one",
                    options=["low", "medium", "high", {"code": "extreme", "retired": True}],
                ),
                field("province", "select_one", lookup="province"),
                field("district", "select_one", lookup="district", choice_filter="${parent} = ${province}"),
                field("consent", "tick_box"),
                field(
                    "phone",
                    "text",
                    params={"pattern": r"\+?[0-9 ]{6,15}"},
                    constraint="string-length(.) >= 6",
                    constraint_message={"en": "Too short", "fr": "Trop court"},
                ),
            ],
        ),
        section(
            "household",
            [
                field(
                    "household",
                    "subform",
                    params={"max_rows": 5},
                    fields=[
                        field("hh_name", "text", required=True),
                        field("hh_age", "integer"),
                        field("hh_school", "text", relevant="${hh_age} < 18"),
                    ],
                ),
                field(
                    "household_size",
                    "calculated",
                    params={"result": "integer"},
                    calculation="count(${household})",
                ),
            ],
        ),
        section("closure", [field("closure_reason", "textarea")], relevant="${risk_level} = 'low'"),
    ]
    incident = [
        field("incident_date", "date", required=True),
        field("incident_type", "select_one", options=["rape", "physical_assault"]),
        field("survivor_age", "integer", default="linked('case', 'age')"),
        field("incident_date_copy", "date", copy_from={"link": "incident", "key": "incident_date"}),
    ]
    return {"case": case, "incident": incident}


CASE_LOOKUPS = {
    "sex": ["f", "m"],
    "protection_concern": ["neglect", "violence", "other"],
    "province": ["p1", "p2"],
    "district": [{"code": "d1", "attrs": {"parent": "p1"}}, {"code": "d2", "attrs": {"parent": "p2"}}],
}
CASE_LOCATIONS = [
    {"code": "KE", "parent": None, "level": 0, "name": {"en": "Kenya"}},
    {"code": "KE-NBO", "parent": "KE", "level": 1, "name": {"en": "Nairobi"}},
    {"code": "KE-NBO-1", "parent": "KE-NBO", "level": 2, "name": {"en": "Westlands"}},
    {"code": "KE-MSA", "parent": "KE", "level": 1, "name": {"en": "Mombasa"}},
]
CASE_WORKFLOWS = {
    "case": {"status_field": "status", "statuses": [{"id": "open", "initial": True}, {"id": "closed"}]}
}


def install_case_config():
    return install_config(
        case_forms(), lookups=CASE_LOOKUPS, locations=CASE_LOCATIONS, workflows=CASE_WORKFLOWS
    )
