"""Full-text structures the ORM cannot declare, per database vendor.

PostgreSQL: pg_trgm (a trusted extension since PostgreSQL 13, so the database owner may create it)
and two GIN indexes on SearchDocument.text whose expressions match the backend's queries exactly.
SQLite: an FTS5 table whose rowid is SearchDocument.id (the indexer keeps it in step).
"""

from django.db import migrations

PG_FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS kinga_search_doc_fts ON kinga_search_searchdocument "
    "USING gin (to_tsvector('simple'::regconfig, text))",
    "CREATE INDEX IF NOT EXISTS kinga_search_doc_trgm ON kinga_search_searchdocument USING gin (text gin_trgm_ops)",
]
PG_BACKWARD = ["DROP INDEX IF EXISTS kinga_search_doc_trgm", "DROP INDEX IF EXISTS kinga_search_doc_fts"]
SQLITE_FORWARD = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS kinga_search_fts USING fts5(text, tokenize='unicode61 remove_diacritics 2')"
]
SQLITE_BACKWARD = ["DROP TABLE IF EXISTS kinga_search_fts"]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for sql in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("kinga_search", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": PG_FORWARD, "sqlite": SQLITE_FORWARD}),
            _run({"postgresql": PG_BACKWARD, "sqlite": SQLITE_BACKWARD}),
        )
    ]
