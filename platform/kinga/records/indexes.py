"""Database indexes driven by pack data: fields marked `indexed: true` get an expression index on
PostgreSQL, so filters, sorts, reports and duplicate checks on them stay fast at national scale.

Runs as a configpacks install hook; the indexes are built after the install commits, with CREATE
INDEX CONCURRENTLY, so a large records table stays writable while they build (a plain CREATE INDEX
inside the install transaction would block every save for the duration). Indexes are only added, never
dropped when a field stops being indexed: a rolled-back version may still need them, and an unused
index costs little. (The one exception is the single-column index of the first release, which the
ascending/descending pair replaces for the same field.) SQLite (tests, small installs) gets none.
"""

from __future__ import annotations

import hashlib
import logging
import re

from django.db import connection, transaction

log = logging.getLogger(__name__)

_SAFE = re.compile(r"^[a-z][a-z0-9_]{0,62}$")
GIN_INDEX = "records_record_data_gin"


def index_name(record_type: str, key: str, direction: str = "asc") -> str:
    digest = hashlib.sha1(f"{record_type}.{key}.{direction}".encode()).hexdigest()[:8]
    return f"rix_{record_type[:20]}_{key[:20]}_{direction[0]}_{digest}"


def legacy_index_name(record_type: str, key: str) -> str:
    """The single-column index of the first release, which the pair below supersedes."""
    digest = hashlib.sha1(f"{record_type}.{key}".encode()).hexdigest()[:8]
    return f"rec_{record_type[:20]}_{key[:24]}_{digest}"


def numeric_field(field: dict) -> bool:
    """Numbers are indexed, compared and sorted as jsonb numbers; everything else as text."""
    from kinga.formengine.fieldtypes import registry

    ftype = registry.get(field.get("type", "")) if field.get("type") in registry else None
    return ftype is not None and ftype.stored_kind(field) == "number"


def field_expression(key: str, numeric: bool) -> str:
    """The SQL expression for a field; queries.py builds exactly this one, so the index applies."""
    return f"(data->'{key}')" if numeric else f"(data->>'{key}')"


def index_statements(config: dict) -> list[str]:
    """For each indexed top-level field, two partial indexes on (value, updated_at, id): ascending
    and descending, both with empty values last. Together they serve equality and range filters and
    a sort on the field in either direction with its tie-breakers, so a page of 50 sorted by any
    indexed field reads about 50 index entries, whatever the table size (one index cannot do both:
    read backwards it puts empty values first)."""
    statements = [
        f"CREATE INDEX IF NOT EXISTS {GIN_INDEX} ON records_record USING GIN (data jsonb_path_ops)",
    ]
    index = config.get("fields") or {}
    seen: set[tuple[str, str]] = set()
    for form in (config.get("forms") or {}).values():
        record_type = form.get("record_type", "")
        for section in form.get("sections") or []:
            for f in section.get("fields") or []:
                key = f.get("key", "")
                if not f.get("indexed") or index.get(key, {}).get("parent"):
                    continue
                # Keys are validated by the pack schema; re-check because they become SQL text here.
                if not (_SAFE.match(key) and _SAFE.match(record_type)) or (record_type, key) in seen:
                    continue
                seen.add((record_type, key))
                numeric = numeric_field(f)
                expr = field_expression(key, numeric)
                where = f"WHERE record_type = '{record_type}' AND deleted_at IS NULL"
                statements.append(
                    f"CREATE INDEX IF NOT EXISTS {index_name(record_type, key)} ON records_record "
                    f"({expr}, updated_at, id) {where}"
                )
                statements.append(
                    f"CREATE INDEX IF NOT EXISTS {index_name(record_type, key, 'desc')} ON records_record "
                    f"({expr} DESC NULLS LAST, updated_at DESC, id DESC) {where}"
                )
                statements.append(f"DROP INDEX IF EXISTS {legacy_index_name(record_type, key)}")
                # The planner ignores statistics of partial indexes; without these it guesses 0.5%
                # for `data->>'sex' = 'f'` (really 50%) and picks the sex index + a sort over every
                # match instead of walking the updated_at index (150 ms vs 0.3 ms at 100k records).
                statements.append(
                    f"CREATE STATISTICS IF NOT EXISTS {index_name('st', key, 'n' if numeric else 't')} "
                    f"ON ({expr}) FROM records_record"
                )
    return statements


def sync_indexes(version) -> None:
    if connection.vendor != "postgresql":
        return
    statements = index_statements(version.config)
    transaction.on_commit(lambda: create_indexes(statements))


def create_indexes(statements: list[str]) -> None:
    try:
        with connection.cursor() as cursor:
            if connection.in_atomic_block:
                # Still inside a transaction (tests, or a caller's outer block): CONCURRENTLY is not
                # allowed there, and rows written earlier in it leave deferred FK checks pending,
                # which CREATE INDEX refuses; run those checks now.
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                for sql in statements:
                    cursor.execute(sql)
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            else:
                for sql in statements:
                    sql = sql.replace("CREATE INDEX", "CREATE INDEX CONCURRENTLY", 1)
                    sql = sql.replace("DROP INDEX", "DROP INDEX CONCURRENTLY", 1)
                    try:
                        cursor.execute(sql)
                    except Exception:  # one bad index must not keep the others from being built
                        log.exception("could not run %s", sql)
                cursor.execute("ANALYZE records_record")  # fill the new expression statistics
    except Exception:  # the configuration is applied either way; a missing index only costs speed
        log.exception("could not create record indexes")
