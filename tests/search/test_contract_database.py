"""The contract against the database backend, on whichever database DATABASE_URL names
(run the suite twice: SQLite and PostgreSQL)."""

from django.db import connection

from .contract import BackendContract


class TestDatabaseBackend(BackendContract):
    backend_name = "database"

    def test_uses_the_vendor_index(self, children):
        from kinga_search.backends.database import FTS_TABLE

        with connection.cursor() as cur:
            if connection.vendor == "sqlite":
                cur.execute(f"SELECT count(*) FROM {FTS_TABLE}")
            else:
                cur.execute(
                    "SELECT count(*) FROM pg_indexes WHERE indexname IN ('kinga_search_doc_fts', 'kinga_search_doc_trgm')"
                )
            assert cur.fetchone()[0] == (len(children) if connection.vendor == "sqlite" else 2)
