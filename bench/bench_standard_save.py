"""Saving a case of the standard instance on PostgreSQL, where every `indexed: true` field of the case
forms has its pair of list indexes (about 30 fields, so about 60 partial indexes) and duplicate
detection indexes the record in the same transaction.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/bench_standard_save.py

Creates and drops its own database `kinga_bench_std`: deploys the standard instance with the example
country pack and demo data, waits for the pack's indexes, then re-creates demo cases (their filled
forms, as a caseworker entering them) through the write path and prints the median.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "platform"), str(ROOT)]
BENCH_DB = "kinga_bench_std"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--demo-size", type=int, default=300)
    parser.add_argument("--runs", type=int, default=150)
    parser.add_argument("--keep", action="store_true", help="keep the kinga_bench_std database")
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        print("Set DATABASE_URL to a PostgreSQL server (the benchmark creates its own database).")
        return 2
    import psycopg

    admin = urlunsplit(urlsplit(url)._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {BENCH_DB}")
        conn.execute(f"CREATE DATABASE {BENCH_DB}")
    os.environ["DATABASE_URL"] = urlunsplit(urlsplit(url)._replace(path=f"/{BENCH_DB}"))
    os.environ["DJANGO_SETTINGS_MODULE"] = "kinga.settings.test"
    try:
        return run(args)
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep:
            with psycopg.connect(admin, autocommit=True) as conn:
                conn.execute(f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")


def run(args) -> int:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from kinga.records import actions
    from kinga.records.models import Record

    call_command("migrate", verbosity=0)
    t = time.perf_counter()
    call_command(
        "deploy", standard=True, country=str(ROOT / "config_packs" / "example"), demo=True,
        demo_size=args.demo_size, verbosity=0,
    )  # fmt: skip
    print(
        f"deployed the standard instance with {args.demo_size} demo cases in {time.perf_counter() - t:.1f} s"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_indexes WHERE tablename = 'records_record' AND indexname LIKE 'rix_case_%%'"
        )
        case_indexes = cursor.fetchone()[0]
    cases = list(Record.objects.filter(record_type="case", deleted_at__isnull=True).select_related("owner"))
    cases = [c for c in cases if c.owner_id][: args.runs + 5]
    samples = []
    for i, case in enumerate(cases):
        data = {k: v for k, v in case.data.items() if not k.startswith("_")}
        t = time.perf_counter()
        try:
            actions.create_record(user=case.owner, record_type="case", data=data, location=case.location)
        except Exception as exc:  # noqa: BLE001 - a demo case may fail a rule added since; say so
            print(f"  skipped one case: {exc}")
            continue
        if i >= 5:
            samples.append(time.perf_counter() - t)
    samples.sort()
    fields = sum(len(c.data) for c in cases) / max(1, len(cases))
    print(
        f"create_record, standard case ({fields:.0f} values on average, {case_indexes} case list indexes): "
        f"median {statistics.median(samples) * 1000:.2f} ms, p95 {samples[int(len(samples) * 0.95) - 1] * 1000:.2f} ms "
        f"(n={len(samples)})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
