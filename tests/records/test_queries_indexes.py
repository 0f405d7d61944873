"""JSON-field filters work on both databases; indexed fields get expression indexes on PostgreSQL."""

from __future__ import annotations

import pytest
from django.db import connection
from kinga.records import access, actions, queries
from kinga.records.indexes import GIN_INDEX, index_name, index_statements
from kinga.records.models import Record

from tests.records.factories import install_case_config


@pytest.fixture
def records(case_config, worker):
    out = []
    for name, age, concerns in [
        ("Amina", 4, ["neglect"]),
        ("Baraka", 11, []),
        ("Chiku", 16, ["neglect", "other"]),
    ]:
        data = {"name_first": name, "age": age, "concerns": concerns}
        if "other" in concerns:
            data["concern_other"] = "x"
        out.append(actions.create_record(user=worker, record_type="case", data=data))
    return out


def _names(qs):
    return sorted(r.data["name_first"] for r in qs)


def test_field_filters(records):
    qs = Record.objects.filter(record_type="case")
    assert _names(qs.filter(queries.field_equals("name_first", "Baraka"))) == ["Baraka"]
    assert _names(qs.filter(queries.field_range("age", "gte", 11))) == ["Baraka", "Chiku"]
    assert _names(qs.filter(queries.field_contains_code("concerns", "neglect"))) == ["Amina", "Chiku"]
    assert _names(qs.filter(queries.field_in("age", [4, 16]))) == ["Amina", "Chiku"]
    ordered = queries.order_by_field(qs, "age", descending=True, numeric=True)
    assert [r.data["name_first"] for r in ordered] == ["Chiku", "Baraka", "Amina"]
    assert [r.data["name_first"] for r in queries.order_by_field(qs, "name_first")] == [
        "Amina",
        "Baraka",
        "Chiku",
    ]


def test_text_search(records):
    qs = Record.objects.all()
    assert _names(queries.text_search(qs, "chik")) == ["Chiku"]
    assert _names(queries.text_search(qs, records[0].short_id)) == ["Amina"]
    assert queries.text_search(qs, "  ").count() == 3


def test_access_seam(records, worker, make_user):
    assert access.records_visible_to(worker, "case").count() == 3
    stranger = make_user(username="s", agency="agency-z")
    assert access.records_visible_to(stranger, "case").count() == 0
    assert not access.can(stranger, "view", "case", records[0])
    assert access.can(worker, "edit", "case", records[0])
    assert not access.can(worker, "fly", "case")


def test_index_statements_only_for_safe_indexed_top_level_fields(case_config):
    statements = index_statements(case_config.data)
    assert statements[0].startswith(f"CREATE INDEX IF NOT EXISTS {GIN_INDEX}")
    joined = "\n".join(statements)
    assert index_name("case", "age") in joined and "data->>'age'" in joined
    assert "deleted_at IS NULL" in joined and "record_type = 'case'" in joined
    assert "name_last" not in joined
    evil = {
        "forms": {
            "f": {
                "record_type": "case",
                "sections": [{"fields": [{"key": "x'); DROP TABLE x;--", "indexed": True}]}],
            }
        }
    }
    assert len(index_statements(evil)) == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="expression indexes are PostgreSQL-only")
def test_install_creates_postgres_indexes(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        install_case_config()
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'records_record'")
        names = {row[0] for row in cursor.fetchall()}
    assert GIN_INDEX in names
    assert index_name("case", "age") in names and index_name("case", "sex") in names
