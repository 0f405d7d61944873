"""Effective configurations and records for KPI, workflow and dictionary tests.

Records are created through kinga.records.actions.create_record (the one write path). Only
`same_person` touches the model directly: the "link as the same person" action does not exist yet.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from kinga.configpacks.runtime import compile_expr, get_active, install


def fld(key: str, type: str = "text", **kw: Any) -> dict:
    f = {
        "key": key, "type": type, "label": {"en": key.replace("_", " ").capitalize()}, "hint": None,
        "guidance": None, "required": False, "relevant": None, "constraint": None, "constraint_message": None,
        "calculation": None, "default": None, "choice_filter": None, "lookup": None, "options": None,
        "params": {}, "locked": False, "hidden": False, "read_only": False, "keep_when_irrelevant": False,
        "indexed": False, "copy_from": None, "origin": "test.std", "warnings": [], "fields": [],
    }  # fmt: skip
    f.update(kw)
    for name in ("relevant", "constraint", "calculation", "default", "choice_filter"):
        if isinstance(f[name], str):
            f[name] = compile_expr(f[name])
    if isinstance(f["required"], str):
        f["required"] = compile_expr(f["required"])
    return f


def lookup(lookup_id: str, *codes: str | tuple, locked: bool = True) -> dict:
    options = []
    for c in codes:
        code, label = c if isinstance(c, tuple) else (c, {"en": c.replace("_", " ").capitalize()})
        options.append({"code": code, "label": label, "retired": False, "attrs": {}, "origin": "test.std"})
    return {
        "id": lookup_id,
        "label": {"en": lookup_id},
        "locked": locked,
        "origin": "test.std",
        "options": options,
    }


def deadline(id, start, end, *, hours=None, days=None, applies_when=None) -> dict:
    return {
        "id": id, "label": {"en": id.replace("_", " ").capitalize(), "fr": f"{id} (fr)"}, "start": start,
        "end": end, "within_hours": hours, "within_days": days, "applies_when": compile_expr(applies_when),
    }  # fmt: skip


def base_config(kpis: dict | None = None) -> dict:
    case_fields = [
        fld("name_first", label={"en": "First name", "fr": "Prénom"}, locked=True),
        fld("registration_date", "date"),
        fld("sex", "select_one", lookup="sex", locked=True),
        fld("age", "integer"),
        fld("date_of_birth", "date"),
        fld("concerns", "select_multiple", lookup="protection_concern", locked=True),
        fld(
            "risk_level",
            "select_one",
            lookup="risk_level",
            label={"en": "Risk level", "fr": "Niveau de risque"},
        ),
        fld("in_school", "yes_no"),
        fld("initial_assessment_date", "date", relevant="${risk_level} != ''"),
        fld("assessment_at", "datetime"),
        fld("case_plan_date", "date"),
        fld(
            "referrals",
            "subform",
            fields=[
                fld("referral_service", "select_one", lookup="service"),
                fld("referral_status", "select_one", lookup="referral_status"),
                fld("referral_date", "date"),
                fld("service_date", "date"),
            ],
        ),
    ]
    incident_fields = [
        fld("incident_date", "date"),
        fld("gbv_type", "select_one", lookup="gbv_type"),
        fld(
            "services",
            "subform",
            fields=[fld("service_type", "select_one", lookup="service"), fld("service_date", "date")],
        ),
    ]
    forms = {
        "case_form": ("case", [{"id": "main", "label": {"en": "Main"}, "relevant": None, "hidden": False, "fields": case_fields}]),
        "incident_form": ("incident", [{"id": "main", "label": {"en": "Main"}, "relevant": None, "hidden": False, "fields": incident_fields}]),
    }  # fmt: skip
    config: dict[str, Any] = {
        "packs": [{"id": "test.std", "version": "1.0.0"}],
        "languages": ["en", "fr", "ar"],
        "default_language": "en",
        "rtl_languages": ["ar"],
        "modules": ["child_protection", "gbv"],
        "record_types": {
            "case": {
                "id": "case",
                "module": "child_protection",
                "label": {"en": "Case", "fr": "Dossier"},
                "id_prefix": "CP",
                "person": True,
                "title": None,
                "forms": ["case_form"],
            },
            "incident": {
                "id": "incident",
                "module": "gbv",
                "label": {"en": "Incident"},
                "id_prefix": "GBV",
                "person": True,
                "title": None,
                "forms": ["incident_form"],
            },
        },  # fmt: skip
        "forms": {},
        "fields": {},
        "lookups": {
            "sex": lookup(
                "sex",
                ("female", {"en": "Female", "fr": "Féminin"}),
                ("male", {"en": "Male", "fr": "Masculin"}),
            ),
            "protection_concern": lookup(
                "protection_concern", "physical_violence", "neglect", "child_labour", "sexual_violence"
            ),
            "risk_level": lookup("risk_level", "low", "medium", ("high", {"en": "High", "fr": "Élevé"})),
            "service": lookup("service", "health", "psychosocial", "legal", "education"),
            "referral_status": lookup("referral_status", "pending", "accepted", "declined", "completed"),
            "gbv_type": lookup("gbv_type", "rape", "physical_assault", "forced_marriage"),
        },
        "locations": {
            "levels": [
                {"level": 0, "id": "country", "label": {"en": "Country"}},
                {"level": 1, "id": "province", "label": {"en": "Province"}},
                {"level": 2, "id": "district", "label": {"en": "District"}},
            ],
            "items": [
                {"code": "KE", "parent": None, "level": 0, "name": {"en": "Kenya"}},
                {"code": "P1", "parent": "KE", "level": 1, "name": {"en": "Coast", "fr": "Côte"}},
                {"code": "P1D1", "parent": "P1", "level": 2, "name": {"en": "Mombasa"}},
                {"code": "P1D2", "parent": "P1", "level": 2, "name": {"en": "Kilifi"}},
                {"code": "P2", "parent": "KE", "level": 1, "name": {"en": "Nairobi province"}},
                {"code": "P2D1", "parent": "P2", "level": 2, "name": {"en": "Westlands"}},
            ],
        },  # fmt: skip
        "roles": {
            "caseworker": {
                "id": "caseworker",
                "label": {"en": "Caseworker"},
                "module": "child_protection",
                "scope": "agency",
                "permissions": {"case": ["view", "create", "edit"]},
                "forms": {},
                "fields": {},
                "require_2fa": False,
                "break_glass": False,
            },
            "supervisor": {
                "id": "supervisor",
                "label": {"en": "Supervisor"},
                "module": "child_protection",
                "scope": "agency",
                "permissions": {"case": ["view", "create", "edit", "approve"]},
                "forms": {},
                "fields": {},
                "require_2fa": False,
                "break_glass": False,
            },
        },  # fmt: skip
        "workflows": {
            "case": {
                "status_field": "status",
                "statuses": [
                    {"id": "open", "label": {"en": "Open", "fr": "Ouvert"}, "initial": True},
                    {"id": "closed", "label": {"en": "Closed", "fr": "Fermé"}, "closed": True},
                ],
                "transitions": [
                    {
                        "id": "close",
                        "label": {"en": "Close"},
                        "from": ["open"],
                        "to": "closed",
                        "requires_approval": True,
                        "permission": "edit",
                    },
                    {
                        "id": "reopen",
                        "label": {"en": "Reopen"},
                        "from": ["closed"],
                        "to": "open",
                        "requires_approval": False,
                        "permission": "edit",
                    },
                ],
                "deadlines": [
                    deadline(
                        "initial_assessment_high_risk",
                        "registration_date",
                        "initial_assessment_date",
                        hours=72,
                        applies_when="${risk_level} = 'high'",
                    ),
                    deadline("assessment_24h", "@created", "assessment_at", hours=24),
                    deadline("case_plan", "registration_date", "case_plan_date", days=30),
                ],
            }
        },  # fmt: skip
        "kpis": kpis or {},
        "duplicate_rules": {
            "case": {"threshold": 0.8, "fields": [{"key": "name_first", "method": "name", "weight": 3}]}
        },
        "archived_fields": {},
    }
    for form_id, (record_type, sections) in forms.items():
        config["forms"][form_id] = {"id": form_id, "record_type": record_type, "label": {"en": form_id},
                                    "order": 10, "origin": "test.std", "sections": sections}  # fmt: skip
        for s in sections:
            for f in s["fields"]:
                config["fields"][f["key"]] = {"form": form_id, "section": s["id"], "parent": None}
                for c in f["fields"]:
                    config["fields"][c["key"]] = {"form": form_id, "section": s["id"], "parent": f["key"]}
    return config


def kpi(
    id: str, kind: str, *, record_type="case", fields=(), params=None, breakdowns=(), compiled=True
) -> dict:
    """A KPI definition; compiled=False keeps expressions as source text (as written in kpis.yaml)."""
    params = dict(params or {})
    for name in ("filter", "numerator", "denominator"):
        if compiled and isinstance(params.get(name), str):
            params[name] = compile_expr(params[name])
    return {
        "id": id, "label": {"en": id.replace("_", " ").capitalize(), "fr": f"{id} (fr)"}, "description": None,
        "kind": kind, "record_type": record_type, "fields": list(fields), "params": params,
        "breakdowns": list(breakdowns),
    }  # fmt: skip


def install_with(*kpis: dict):
    install(base_config({k["id"]: k for k in kpis}), note="test")
    return get_active()


def make_record(user, record_type="case", *, data=None, created_at: datetime | None = None, status=None,
                location="", agency=None, owner=None):  # fmt: skip
    from kinga.records.actions import create_record

    return create_record(
        user=user, record_type=record_type, data=data or {}, status=status, location=location,
        agency=agency, owner=owner, created_at=created_at,
    )  # fmt: skip


def same_person(*records) -> None:
    """TEST-ONLY direct model write: gives records one person_id, as the future "link as the same
    person" action will. Remove when that action exists."""
    from kinga.records.models import Record

    Record.objects.filter(pk__in=[r.pk for r in records]).update(person_id=records[0].person_id)
    for r in records:
        r.refresh_from_db()
