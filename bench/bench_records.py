"""Records benchmark: server-side validate + save of one record on a 300-field form, and the list
endpoint (3 filters + sort + a page of 50) over 10k → 100k (→ 1M) records on PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \
        .venv/bin/python bench/bench_records.py --records 100000 [--million] [--runs 200]

Creates and drops its own database `kinga_bench` on the server DATABASE_URL points at.
Targets: validate+save median <= 15 ms; list median <= 100 ms at 100k (<= 300 ms reported at 1M).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "platform"), str(ROOT)]
BENCH_DB = "kinga_bench"


def admin_connect(url: str):
    import psycopg

    parts = urlsplit(url)
    return psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True)


def setup_database(url: str) -> str:
    with admin_connect(url) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {BENCH_DB}")
        conn.execute(f"CREATE DATABASE {BENCH_DB}")
    bench_url = urlunsplit(urlsplit(url)._replace(path=f"/{BENCH_DB}"))
    os.environ["DATABASE_URL"] = bench_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "kinga.settings.test"  # fast hasher, DEBUG off (no query log)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return bench_url


def drop_database(url: str) -> None:
    from django.db import connections

    connections.close_all()
    with admin_connect(url) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")


# -- the 300-field form ------------------------------------------------------------------------------


def big_form(blocks: int = 29, capped: bool = True):
    """300 fields: 60 with relevance, 20 calculations, 3 subforms (5 row fields each). With
    `capped=False` and another number of 10-field blocks, every block keeps its 2 conditions and
    1 calculation (the field-scaling series)."""
    from tests.records.factories import field, section

    sections, count = [], 0
    core = [
        field("name_first", "text", required=True, indexed=True),
        field("name_last", "text", indexed=True),
        field("sex", "select_one", options=["f", "m", "x"], indexed=True),
        field("age", "integer", params={"min": 0, "max": 120}, indexed=True),
        field("district", "select_one", options=[f"d{i}" for i in range(20)], indexed=True),
        field("risk_level", "select_one", options=["low", "medium", "high"], indexed=True),
        field("concerns", "select_multiple", options=["neglect", "violence", "labour", "other"]),
        field("registration_date", "date", default="today()"),
        field("in_school", "yes_no"),
        field("consent", "tick_box"),
    ]
    sections.append(section("core", core))
    count += len(core)
    relevance = calcs = 0
    for s in range(blocks):
        fields = []
        for i in range(10):
            key = f"s{s}_f{i}"
            kind = ("text", "integer", "select_one", "date", "yes_no")[i % 5]
            kw = {}
            if kind == "select_one":
                kw["options"] = ["a", "b", "c"]
            if kind == "integer":
                kw["params"] = {"min": 0, "max": 1000}
            if i in (1, 3) and (relevance < 60 or not capped):
                kw["relevant"] = "${age} < 18" if i == 1 else f"${{s{s}_f0}} != 'skip'"
                relevance += 1
            if i == 9 and (calcs < 20 or not capped):
                kind, kw = (
                    "calculated",
                    {"params": {"result": "integer"}, "calculation": f"${{s{s}_f1}} + ${{age}}"},
                )
                calcs += 1
            if i == 5 and s % 3 == 0:
                kw["constraint"] = ". != 'no' or ${age} > 1"
            fields.append(field(key, kind, **kw))
        if s < 3:
            fields[-1] = field(
                f"rows{s}",
                "subform",
                fields=[
                    field(f"rows{s}_name", "text", required=True),
                    field(f"rows{s}_age", "integer"),
                    field(f"rows{s}_school", "text", relevant=f"${{rows{s}_age}} < 18"),
                    field(f"rows{s}_rel", "select_one", options=["parent", "sibling", "other"]),
                    field(f"rows{s}_note", "textarea"),
                ],
            )
        sections.append(section(f"s{s}", fields))
        count += len(fields)
    if capped:
        assert count == 300, count
        assert relevance == 58 and calcs == 20
    # two more relevance conditions on core fields makes 60
    core[8]["relevant"] = core[9]["relevant"] = {"src": "${age} < 25", "ast": None}
    from kinga.configpacks.runtime import compile_expr

    core[8]["relevant"] = compile_expr("${age} < 25")
    core[9]["relevant"] = compile_expr("${age} < 30")
    return sections


def record_data(rng: random.Random, full: bool, blocks: int = 29) -> dict:
    data = {
        "name_first": rng.choice(["Amina", "Baraka", "Chiku", "Dalia", "Emeka", "Fatuma", "Gift", "Hassan"]),
        "name_last": rng.choice(["Otieno", "Mwangi", "Kamau", "Njeri", "Achieng", "Mohamed"])
        + str(rng.randint(1, 999)),
        "sex": rng.choice(["f", "m"]),
        "age": rng.randint(0, 17),
        "district": f"d{rng.randint(0, 19)}",
        "risk_level": rng.choice(["low", "medium", "high"]),
        "concerns": rng.sample(["neglect", "violence", "labour"], rng.randint(0, 2)),
        "in_school": rng.choice(["yes", "no"]),
    }
    if full:
        for s in range(blocks):
            for i, kind in enumerate(("text", "integer", "select_one", "date", "yes_no") * 2):
                key = f"s{s}_f{i}"
                if i == 9:
                    continue
                data[key] = {
                    "text": f"note {s}.{i}",
                    "integer": rng.randint(0, 100),
                    "select_one": "a",
                    "date": "2024-03-01",
                    "yes_no": "yes",
                }[kind]
        for s in range(3):
            data.pop(f"s{s}_f9", None)
            data[f"rows{s}"] = [
                {
                    f"rows{s}_name": "Row",
                    f"rows{s}_age": 10 + r,
                    f"rows{s}_school": "St X",
                    f"rows{s}_rel": "sibling",
                }
                for r in range(3)
            ]
    return data


def bench_field_scaling(user, runs: int = 50) -> None:
    """Validate-only time against forms of growing size (no database writes)."""
    from kinga.configpacks.models import ConfigVersion
    from kinga.configpacks.runtime import ActiveConfig, content_hash
    from kinga.formengine.engine import validate_record

    from tests.records.factories import build_config

    rng = random.Random(3)
    for blocks in (9, 29, 59, 99):
        config_dict = build_config({"case": big_form(blocks, capped=False)})
        version = ConfigVersion(number=-blocks, config=config_dict, content_hash=content_hash(config_dict))
        config = ActiveConfig(version)
        samples = []
        for i in range(runs + 3):
            data = record_data(rng, True, blocks)
            t = time.perf_counter()
            result = validate_record(config, "case", data, user=user)
            if i >= 3:
                samples.append(time.perf_counter() - t)
            assert not result.errors, result.errors[:3]
        fields = 10 + blocks * 10
        median = statistics.median(samples) * 1000
        print(f"  {fields:>5} fields ({2 * blocks} conditions, {blocks} calculations): validate median "
              f"{median:.2f} ms = {median / fields * 1000:.1f} us/field")  # fmt: skip


# -- measurements --------------------------------------------------------------------------------------


def ms(samples: list[float]) -> str:
    samples = sorted(samples)
    return (
        f"median {statistics.median(samples) * 1000:.2f} ms, p95 {samples[int(len(samples) * 0.95) - 1] * 1000:.2f} ms "
        f"(n={len(samples)})"
    )


def bench_save(user, runs: int) -> float:
    from kinga.configpacks.runtime import get_active
    from kinga.formengine.engine import validate_record
    from kinga.records import actions

    rng = random.Random(1)
    config = get_active()
    validate_only, create, update = [], [], []
    for _ in range(5):  # warm the plan cache and connections
        actions.create_record(user=user, record_type="case", data=record_data(rng, True))
    for _ in range(runs):
        data = record_data(rng, True)
        t = time.perf_counter()
        result = validate_record(config, "case", data, user=user)
        validate_only.append(time.perf_counter() - t)
        assert not result.errors, result.errors[:3]
        t = time.perf_counter()
        record = actions.create_record(user=user, record_type="case", data=data)
        create.append(time.perf_counter() - t)
        t = time.perf_counter()
        actions.update_record(
            user=user, record=record, changes={"s5_f0": "changed", "age": 12}, expected_version=1
        )
        update.append(time.perf_counter() - t)
    print(f"  validate only (300 fields, ~290 values, 9 rows): {ms(validate_only)}")
    print(f"  create_record (validate + save + audit):        {ms(create)}")
    print(f"  update_record (merge + validate + save + audit): {ms(update)}")
    return statistics.median(create)


_minted: set[str] = set()


def _unique_short_id() -> str:
    # 40 random bits collide somewhere among ~1M ids with probability ~0.36 (birthday bound); the
    # live path retries on the unique constraint, the bulk COPY path must avoid it up front.
    from kinga.records import shortids

    while True:
        sid = shortids.mint("CA")
        if sid not in _minted:
            _minted.add(sid)
            return sid


def bulk_insert(n: int, start: int, user, config_version_id: int, seed: int) -> float:
    """COPY rows straight into records_record (the write path is measured separately above)."""
    from django.db import connection

    rng = random.Random(seed)
    base = datetime(2023, 1, 1, tzinfo=UTC)
    t = time.perf_counter()
    columns = (
        "id",
        "short_id",
        "record_type",
        "module",
        "data",
        "warnings",
        "owner_id",
        "agency_id",
        "location",
        "status",
        "person_id",
        "config_version_id",
        "version",
        "created_by_id",
        "created_at",
        "updated_by_id",
        "updated_at",
        "search_text",
    )
    with connection.cursor() as cursor:
        raw = cursor.connection  # psycopg 3 connection
        with raw.cursor().copy(f"COPY records_record ({', '.join(columns)}) FROM STDIN") as copy:
            for i in range(n):
                data = record_data(rng, False)
                when = base + timedelta(minutes=start + i)
                copy.write_row(
                    (
                        uuid.uuid4(),
                        _unique_short_id(),
                        "case",
                        "child_protection",
                        json.dumps(data),
                        "[]",
                        user.pk,
                        user.agency_id,
                        "",
                        rng.choice(["open", "open", "closed"]),
                        uuid.uuid4(),
                        config_version_id,
                        1,
                        user.pk,
                        when,
                        user.pk,
                        when,
                        f"{data['name_first']} {data['name_last']} {data['sex']} {data['district']}",
                    )
                )
        cursor.execute("ANALYZE records_record")
    return time.perf_counter() - t


def bench_list(user, runs: int) -> dict[str, float]:
    from kinga.api.record_views import RecordListView
    from rest_framework.test import APIRequestFactory, force_authenticate

    view = RecordListView.as_view()
    factory = APIRequestFactory()
    queries = {
        "sex=f&age__gte=5&status=open&ordering=-updated_at": None,
        "sex=f&district=d3&status=open&ordering=name_last": None,
        "risk_level=high&age__lt=10&concerns=neglect&ordering=-age": None,
    }
    out = {}
    for query in queries:
        samples = []
        for i in range(runs + 3):
            request = factory.get(f"/api/v1/records/case/?{query}&page_size=50")
            force_authenticate(request, user=user)
            t = time.perf_counter()
            response = view(request, record_type="case")
            response.render()
            if i >= 3:
                samples.append(time.perf_counter() - t)
            assert response.status_code == 200, response.content[:300]
        out[query] = statistics.median(samples)
        print(f"    {query:<58} {ms(samples)}  (count={response.data['count']})")
    return out


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--million", action="store_true", help="also measure at 1,000,000 records")
    parser.add_argument("--runs", type=int, default=200, help="samples for validate+save")
    parser.add_argument("--list-runs", type=int, default=30, help="samples per list query")
    parser.add_argument("--keep", action="store_true", help="keep the kinga_bench database")
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        print("Set DATABASE_URL to a PostgreSQL server (the benchmark creates its own database).")
        return 2
    setup_database(url)
    try:
        return run(args)
    finally:
        if not args.keep:
            drop_database(url)


def run(args) -> int:
    from django.db import connection
    from kinga.accounts.models import Agency, User
    from kinga.configpacks.runtime import get_active, install

    from tests.records.factories import build_config

    install(build_config({"case": big_form()}), note="benchmark")
    config = get_active()
    agency = Agency.objects.create(code="bench", name="Bench agency")
    user = User.objects.create_user(username="bench", password="x", agency=agency)
    print(f"PostgreSQL {connection.pg_version}; form: 300 fields, 60 relevance, 20 calculations, 3 subforms")

    print("\nValidate + save one record (target: median <= 15 ms)")
    save_median = bench_save(user, args.runs)

    print("\nValidate only, by form size (cost per field should stay flat)")
    bench_field_scaling(user)

    print("\nList: 3 filters + sort + page of 50 through the API view (target: <= 100 ms at 100k)")
    steps = sorted({min(10_000, args.records), args.records} | ({1_000_000} if args.million else set()))
    inserted, results = 0, {}
    for target in steps:
        need = target - inserted
        if need > 0:
            seconds = bulk_insert(need, inserted, user, config.version.pk, seed=target)
            inserted = target
            print(f"  inserted {need:,} records in {seconds:.1f} s (COPY) -> {inserted:,} total")
        results[target] = bench_list(user, args.list_runs)
    print("\nSummary")
    print(
        f"  validate+save median: {save_median * 1000:.2f} ms -> {'OK' if save_median <= 0.015 else 'OVER'} (15 ms)"
    )
    for target, by_query in results.items():
        worst = max(by_query.values())
        limit = 0.3 if target >= 1_000_000 else 0.1
        print(
            f"  list at {target:>9,}: worst median {worst * 1000:.1f} ms -> "
            f"{'OK' if worst <= limit else 'OVER'} ({limit * 1000:.0f} ms)"
        )
    if len(results) > 1:
        first, last = min(results), max(results)
        growth = max(results[last].values()) / max(results[first].values())
        print(f"  growth {first:,} -> {last:,} records ({last / first:.0f}x data): list time x{growth:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
