"""Fixtures for search and duplicate-detection tests: a small effective configuration with the
person fields of the standard pack and duplicate rules, installed as the active version, and a
`make_record` that goes through kinga.records.actions and runs the after-commit indexing hook."""

from __future__ import annotations

import pytest

PERSON_FIELDS = [
    ("name_first", "text"),
    ("name_last", "text"),
    ("name_other", "text"),
    ("sex", "select_one"),
    ("date_of_birth", "date"),
    ("date_of_birth_estimated", "yes_no"),
    ("age", "integer"),
    ("caregiver_name", "text"),
    ("location", "location"),
    ("notes", "textarea"),
]

# The duplicate rules the benchmark was tuned with (bench/bench_dedup.py); proposed for the
# standard pack's duplicates.yaml.
CASE_RULES = {
    "threshold": 0.8,
    "fields": [
        {"key": "name_first", "method": "name", "weight": 3},
        {"key": "name_last", "method": "name", "weight": 3},
        {"key": "name_other", "method": "name", "weight": 1},
        {"key": "date_of_birth", "method": "date", "weight": 3},
        {"key": "sex", "method": "exact", "weight": 1},
        {"key": "caregiver_name", "method": "name", "weight": 1},
        {"key": "location", "method": "location", "weight": 1},
    ],
}

LOCATIONS = [
    {"code": "KE", "parent": None, "level": 0, "name": {"en": "Kenya"}},
    {"code": "KE01", "parent": "KE", "level": 1, "name": {"en": "Nairobi"}},
    {"code": "KE0101", "parent": "KE01", "level": 2, "name": {"en": "Kibera"}},
    {"code": "KE0102", "parent": "KE01", "level": 2, "name": {"en": "Mathare"}},
    {"code": "KE02", "parent": "KE", "level": 1, "name": {"en": "Turkana"}},
    {"code": "KE0201", "parent": "KE02", "level": 2, "name": {"en": "Kakuma"}},
]


# Sees and edits its own agency's records (scope "agency"), as the standard pack's caseworker might.
CASEWORKER = {
    "id": "caseworker",
    "label": {"en": "Caseworker"},
    "module": None,
    "scope": "agency",
    "permissions": {rt: ["view", "create", "edit", "delete"] for rt in ("case", "tracing_request")},
    "forms": {},
    "fields": {},
    "require_2fa": False,
    "break_glass": False,
}


def _field(key: str, ftype: str) -> dict:
    field = {
        "key": key, "type": ftype, "label": {"en": key}, "hint": None, "guidance": None, "required": False,
        "relevant": None, "constraint": None, "constraint_message": None, "calculation": None,
        "default": None, "choice_filter": None, "lookup": None, "options": None, "params": {},
        "locked": False, "hidden": False, "read_only": False, "keep_when_irrelevant": False,
        "indexed": False, "copy_from": None, "origin": "test", "warnings": [], "fields": [],
    }  # fmt: skip
    if ftype == "select_one":
        field["options"] = [
            {"code": c, "label": {"en": c}, "retired": False, "attrs": {}, "origin": "test"}
            for c in ("female", "male", "other")
        ]
    return field


def build_config(rules: dict | None = None) -> dict:
    def form(fid, rt):
        return {
            "id": fid, "record_type": rt, "label": {"en": fid}, "order": 10, "origin": "test",
            "sections": [{"id": "identity", "label": {"en": "Identity"}, "relevant": None, "hidden": False,
                          "fields": [_field(k, t) for k, t in PERSON_FIELDS]}],
        }  # fmt: skip

    return {
        "packs": [{"id": "test.search", "version": "1.0.0"}],
        "languages": ["en"],
        "default_language": "en",
        "rtl_languages": [],
        "modules": ["child_protection"],
        "record_types": {
            "case": {
                "id": "case",
                "module": "child_protection",
                "label": {"en": "Case"},
                "id_prefix": "CP",
                "person": True,
                "title": None,
                "forms": ["reg"],
            },
            "tracing_request": {
                "id": "tracing_request",
                "module": "child_protection",
                "label": {"en": "TR"},
                "id_prefix": "TR",
                "person": True,
                "title": None,
                "forms": ["tr"],
            },
        },  # fmt: skip
        "forms": {"reg": form("reg", "case"), "tr": form("tr", "tracing_request")},
        "fields": {k: {"form": "reg", "section": "identity", "parent": None} for k, _ in PERSON_FIELDS},
        "lookups": {},
        "locations": {"levels": [], "items": LOCATIONS},
        "roles": {"caseworker": CASEWORKER},
        "workflows": {},
        "kpis": {},
        "duplicate_rules": {"case": rules or CASE_RULES},
        "archived_fields": {},
    }


@pytest.fixture
def search_config(db):
    from kinga.configpacks.runtime import install

    return install(build_config(), note="search tests")


@pytest.fixture
def agency_a_user(make_user):
    return make_user(username="worker_a", agency="agency-a")


@pytest.fixture
def agency_b_user(make_user):
    return make_user(username="worker_b", agency="agency-b")


@pytest.fixture
def make_record(search_config, agency_a_user, django_capture_on_commit_callbacks):
    """Create a record through kinga.records.actions; the after-commit hooks (indexing) run."""
    from kinga.records.actions import create_record

    def _make(user=None, record_type="case", **data):
        with django_capture_on_commit_callbacks(execute=True):
            return create_record(user=user or agency_a_user, record_type=record_type, data=data)

    return _make


@pytest.fixture(autouse=True)
def _fresh_name_frequencies():
    """Name counts are cached per process (and in the shared cache): never carry one test's into the next."""
    from kinga_search import frequencies

    frequencies.clear_cache()
    yield
    frequencies.clear_cache()
