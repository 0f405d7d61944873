"""The database backend: no extra service. PostgreSQL uses tsvector + pg_trgm GIN indexes over
SearchDocument.text; SQLite uses an FTS5 table (kinga_search_fts, rowid = SearchDocument.id).
Blocking keys live in SearchKey on both.

Both read the index through a correlated subquery on the caller's queryset, so access control stays
in the caller's `qs` and the result is still a queryset (paginate, filter, count as usual).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection, transaction
from django.db.models import Count, FloatField, QuerySet
from django.db.models.expressions import RawSQL
from kinga.records.models import Record

from ..models import SearchDocument, SearchKey
from ..rules import all_rules
from .base import SearchBackend, document_text, query_keys, query_terms, record_keys
from .registry import backends

FTS_TABLE = "kinga_search_fts"
DOC_TABLE = SearchDocument._meta.db_table
KEY_TABLE = SearchKey._meta.db_table
BATCH = 2000
COPY_FROM = 200  # from this many records in one batch, PostgreSQL loads the index rows with COPY


@backends.register("database")
class DatabaseBackend(SearchBackend):
    name = "database"
    transactional = True

    def index_many(self, records: Iterable[Record], *, fresh: bool = False) -> int:
        """`fresh=True` skips removing old rows: only for records never indexed (bulk loads)."""
        rules = all_rules()
        count = 0
        batch: list[Record] = []
        for record in records:
            batch.append(record)
            if len(batch) >= BATCH:
                count += self._index_batch(batch, rules, fresh)
                batch = []
        if batch:
            count += self._index_batch(batch, rules, fresh)
        return count

    def _index_batch(self, records: list[Record], rules: dict, fresh: bool) -> int:
        live = [r for r in records if r.deleted_at is None]
        # No savepoint: inside a record write, a failure must fail that write anyway.
        with transaction.atomic(savepoint=False):
            if not fresh:
                self.remove([r.pk for r in records])
            if connection.vendor == "postgresql" and len(live) >= COPY_FROM:
                return self._copy_batch(live, rules)
            docs = SearchDocument.objects.bulk_create(
                [
                    SearchDocument(record_id=r.pk, record_type=r.record_type, text=document_text(r))
                    for r in live
                ],
                batch_size=BATCH,
            )
            if connection.vendor == "sqlite":
                if not docs or docs[0].pk is None:  # older SQLite without RETURNING
                    docs = list(SearchDocument.objects.filter(record_id__in=[r.pk for r in live]))
                with connection.cursor() as cur:
                    cur.executemany(
                        f"INSERT INTO {FTS_TABLE}(rowid, text) VALUES (%s, %s)",
                        [(d.pk, d.text) for d in docs],
                    )
            keys = [
                SearchKey(record_id=r.pk, record_type=r.record_type, field=field[:128], key=key[:64])
                for r in live
                if r.record_type in rules
                for field, key in record_keys(rules[r.record_type], r)
            ]
            SearchKey.objects.bulk_create(keys, batch_size=BATCH)
        return len(live)

    def _copy_batch(self, live: list[Record], rules: dict) -> int:
        """The same rows as the bulk_create path (document_text, record_keys), sent with COPY: a
        reindex or bulk load of a million records spends most of its time building INSERTs."""
        with connection.cursor() as cursor:
            raw = cursor.connection.cursor()  # the psycopg 3 cursor under Django's wrapper
            with raw.copy(f"COPY {DOC_TABLE} (record_id, record_type, text) FROM STDIN") as copy:
                for r in live:
                    copy.write_row((r.pk, r.record_type, document_text(r)))
            with raw.copy(f"COPY {KEY_TABLE} (record_id, record_type, field, key) FROM STDIN") as copy:
                for r in live:
                    if r.record_type in rules:
                        for field, key in record_keys(rules[r.record_type], r):
                            copy.write_row((r.pk, r.record_type, field[:128], key[:64]))
        return len(live)

    def remove(self, record_ids: Sequence[Any]) -> None:
        ids = list(record_ids)
        if not ids:
            return
        with transaction.atomic(savepoint=False):
            if connection.vendor == "sqlite":
                doc_ids = list(SearchDocument.objects.filter(record_id__in=ids).values_list("pk", flat=True))
                if doc_ids:
                    with connection.cursor() as cur:
                        cur.executemany(f"DELETE FROM {FTS_TABLE} WHERE rowid = %s", [(d,) for d in doc_ids])
            SearchDocument.objects.filter(record_id__in=ids).delete()
            SearchKey.objects.filter(record_id__in=ids).delete()

    def clear(self) -> None:
        with transaction.atomic():
            if connection.vendor == "sqlite":
                with connection.cursor() as cur:
                    cur.execute(f"DELETE FROM {FTS_TABLE}")
            SearchKey.objects.all().delete()
            SearchDocument.objects.all().delete()

    def search(self, qs: QuerySet, q: str) -> QuerySet:
        terms = query_terms(q)
        if not terms:
            return qs
        table = qs.model._meta.db_table
        if connection.vendor == "postgresql":
            text = " ".join(terms)
            # The expressions match the GIN indexes of migration 0002 exactly, so both can be used.
            match = RawSQL(
                f"SELECT d.record_id FROM {DOC_TABLE} d WHERE to_tsvector('simple'::regconfig, d.text) "
                f"@@ plainto_tsquery('simple'::regconfig, %s) OR %s <%% d.text",
                [text, text],
            )
            rank = RawSQL(
                f"SELECT ts_rank(to_tsvector('simple'::regconfig, d.text), "
                f"plainto_tsquery('simple'::regconfig, %s)) + word_similarity(%s, d.text) "
                f'FROM {DOC_TABLE} d WHERE d.record_id = "{table}"."id"',
                [text, text],
                output_field=FloatField(),
            )
        elif connection.vendor == "sqlite":
            # Every word must match (prefix match: people type the start of a name).
            expr = " ".join(f'"{t}"*' for t in terms)
            match = RawSQL(
                f"SELECT d.record_id FROM {FTS_TABLE} f JOIN {DOC_TABLE} d ON d.id = f.rowid "
                f"WHERE {FTS_TABLE} MATCH %s",
                [expr],
            )
            rank = RawSQL(
                f"SELECT -bm25({FTS_TABLE}) FROM {FTS_TABLE} JOIN {DOC_TABLE} d ON d.id = {FTS_TABLE}.rowid "
                f'WHERE {FTS_TABLE} MATCH %s AND d.record_id = "{table}"."id"',
                [expr],
                output_field=FloatField(),
            )
        else:  # pragma: no cover - other databases are not supported by Kinga
            raise NotImplementedError(connection.vendor)
        return qs.filter(pk__in=match).annotate(search_rank=rank).order_by("-search_rank", "pk")

    def candidates(
        self,
        record_type: str,
        data: dict,
        *,
        limit: int = 100,
        exclude: Sequence[Any] = (),
        rules: dict | None = None,
    ) -> list[Any]:
        rules = rules or all_rules().get(record_type)
        if not rules:
            return []
        keys = query_keys(rules, data)
        if not keys:
            return []
        rows = (
            SearchKey.objects.filter(record_type=record_type, key__in=keys)
            .exclude(record_id__in=[e for e in exclude if e])
            .values("record_id")
            .annotate(hits=Count("id"))
            .order_by("-hits", "record_id")[:limit]
        )
        return [row["record_id"] for row in rows]

    def check_health(self) -> str:
        docs = SearchDocument.objects.count()
        keys = SearchKey.objects.count()
        return f"database backend on {connection.vendor}: {docs} documents, {keys} blocking keys"
