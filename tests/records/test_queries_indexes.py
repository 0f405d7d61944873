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
    # numbers are indexed as jsonb numbers (range filters and numeric sorts), text as text
    assert index_name("case", "age") in joined and "((data->'age'), updated_at, id)" in joined
    assert index_name("case", "age", "desc") in joined
    assert "((data->'age') DESC NULLS LAST, updated_at DESC, id DESC)" in joined
    assert "((data->>'sex'), updated_at, id)" in joined
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
    assert index_name("case", "age", "desc") in names


@pytest.mark.skipif(connection.vendor != "postgresql", reason="expression indexes are PostgreSQL-only")
def test_filters_and_sorts_use_the_field_indexes(case_config, worker, django_capture_on_commit_callbacks):
    """The SQL the list filters build must match the index expressions, or the indexes sit unused.
    With sequential scans disabled, the planner must still find an index for each shape."""
    from kinga.records.indexes import create_indexes

    create_indexes(index_statements(case_config.data))
    for age in (3, 9, 14):
        actions.create_record(
            user=worker, record_type="case", data={"name_first": "A", "age": age, "sex": "f"}
        )
    base = Record.objects.filter(record_type="case", deleted_at__isnull=True)
    shapes = {
        "age range": base.filter(queries.field_range("age", "lt", 10)),
        "age equals": base.filter(queries.field_equals("age", 9, indexed=True)),
        "sex equals": base.filter(queries.field_equals("sex", "f", indexed=True)),
        "age ascending": queries.order_by_field(base, "age", numeric=True)[:5],
        "age descending": queries.order_by_field(base, "age", descending=True, numeric=True)[:5],
        "sex descending": queries.order_by_field(base, "sex", descending=True)[:5],
    }
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_sort = off")
        for name, qs in shapes.items():
            sql, params = qs.query.sql_with_params()
            cursor.execute("EXPLAIN " + sql, params)
            plan = "\n".join(row[0] for row in cursor.fetchall())
            assert "rix_case_" in plan, f"{name} does not use a field index:\n{plan}"
    ages = [r.data["age"] for r in queries.order_by_field(base, "age", descending=True, numeric=True)]
    assert ages == [14, 9, 3]
