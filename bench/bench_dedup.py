"""Duplicate-detection benchmark on a labelled synthetic data set (seeded).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \
        .venv/bin/python bench/bench_dedup.py [--records 100000] [--checks 200] [--seed 7]

Creates and drops its own database `kinga_bench_dedup` on the server DATABASE_URL points at
(default postgres://postgres@127.0.0.1:5432/postgres). Without --records it measures at 10k and
then, growing the same data, at 100k. `--records 1000000 --skip-scan --keep` measures loading and
check() at 1M; `--reuse` measures a kept database again without reloading (same seed, same day).

The data: families (shared surname, caregiver and place) of 1-4 children, twins included (same date
of birth, another first name); 12 % of children registered again with 1-3 of: a typo, a
transliteration variant, Arabic script, a nickname, day/month swapped, no date of birth (estimated
age instead), a birth year off by one, first/last name swapped, caregiver left blank, moved place.

Reported: precision and recall of `kinga dedup scan` at the pack's threshold (targets >= 0.95),
check() latency p50/p95 (targets p95 <= 50 ms at 100k, <= 150 ms at 1M), recall of check() (the
true record among the candidates), and full-scan time (target < 60 s at 100k).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import random
import statistics
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "platform"), str(ROOT)]
BENCH_DB = "kinga_bench_dedup"
STANDARD = ROOT / "config_packs" / "standard"

MALE = (
    "Mohamed Ahmed Yusuf Ibrahim Hassan Hussein Omar Ali Abdullahi Ismail Mustafa Khalid Osman Suleiman "
    "Abubakar Mahmoud Otieno Kamau Mutua Baraka Ochieng Kiprono Juma Musa Daudi Joseph Peter John "
    "Daniel Samuel Emmanuel David James Michael Jean Pierre Désiré Aimé Patrice Moses Isaac Elijah "
    "Wekesa Njoroge Kariuki Omondi Onyango Barasa Kipchoge Lokiru Ekai Lomuria Akol Deng Garang Majok "
    "Chol Dut Bol Makuei Nuer Ayuen Abdirahman Abdikarim Farah Hamza Bilal Tariq Rashid Said Salim"
).split()
FEMALE = (
    "Fatima Amina Aisha Khadija Zainab Mariam Halima Hawa Asha Rukia Sahra Hodan Ifrah Nasra Grace "
    "Esther Mary Elizabeth Catherine Sarah Ruth Naomi Rebecca Joyce Faith Mercy Wanjiru Achieng "
    "Akinyi Njeri Wambui Nyambura Atieno Awino Chebet Jepkoech Nafula Nekesa Marie Chantal Béatrice "
    "Thérèse Éloïse Aline Claudine Odette Esperance Nyandeng Achol Ayen Adut Abuk Nyibol Akuol Amal "
    "Salma Layla Huda Yasmin Samira Rahma Safiya"
).split()
SYLLABLES = "ka ma na ri to mu si wa ki la ne bo ga di yo ha sa te lu mi ro ja fu ze pa nu ko ye".split()
SURNAMES_COMMON = (
    "Abdullahi Mohamed Hassan Ali Omar Ahmed Ibrahim Yusuf Otieno Kamau Mutua Odhiambo Wanjiku "
    "Mwangi Njoroge Kiprop Cheruiyot Deng Garang Akol Mukamana Uwimana Habimana Niyonzima Ndayishimiye "
    "Bizimana Nshimiyimana Kabila Mbuyi Tshibanda Ilunga Kasongo Lokiru Ekai Farah Warsame Jama Egal"
).split()
ARABIC = {
    "Mohamed": "محمد", "Ahmed": "أحمد", "Yusuf": "يوسف", "Ibrahim": "إبراهيم", "Hassan": "حسن",
    "Hussein": "حسين", "Omar": "عمر", "Ali": "علي", "Fatima": "فاطمة", "Amina": "أمينة", "Aisha": "عائشة",
    "Khadija": "خديجة", "Zainab": "زينب", "Mariam": "مريم", "Halima": "حليمة", "Mustafa": "مصطفى",
    "Khalid": "خالد", "Abdullahi": "عبدالله", "Ismail": "إسماعيل", "Osman": "عثمان", "Salma": "سلمى",
    "Said": "سعيد", "Farah": "فرح", "Rahma": "رحمة", "Samira": "سميرة", "Bilal": "بلال",
}  # fmt: skip
VARIANTS = {
    "Mohamed": ["Muhammad", "Mohammed", "Mohamad", "Mohamud"], "Ahmed": ["Ahmad"],
    "Yusuf": ["Youssef", "Yousef", "Yusef"], "Ibrahim": ["Ebrahim", "Ibrahima"], "Hussein": ["Hussain", "Husein"],
    "Omar": ["Umar", "Oumar"], "Fatima": ["Fatma", "Fatuma"], "Aisha": ["Aicha", "Aysha"],
    "Khadija": ["Khadidja", "Kadija"], "Zainab": ["Zeinab", "Zaynab"], "Mariam": ["Maryam", "Meriem"],
    "Abdullahi": ["Abdullah", "Abdallah"], "Osman": ["Othman", "Usman"], "Suleiman": ["Sulayman", "Souleymane"],
    "Mustafa": ["Mostafa", "Moustapha"], "Ismail": ["Ismael"], "Halima": ["Halimah"], "Hassan": ["Hasan"],
    "Éloïse": ["Eloise"], "Béatrice": ["Beatrice"], "Thérèse": ["Therese", "Teresa"], "Désiré": ["Desire"],
    "Joseph": ["Yusuf"], "Mary": ["Mariam"], "Elizabeth": ["Elisabeth"], "Catherine": ["Katherine"],
}  # fmt: skip
NICK = {"Mohamed": "Moha", "Abdullahi": "Abdi", "Fatima": "Fati", "Joseph": "Joe", "Elizabeth": "Beth",
        "Samuel": "Sam", "Daniel": "Dan", "Michael": "Mike", "Catherine": "Kate", "Emmanuel": "Manu"}  # fmt: skip


# ---------------------------------------------------------------------------------------- data


def make_surnames(rng: random.Random, n: int) -> list[str]:
    out = set(SURNAMES_COMMON)
    while len(out) < n:
        out.add("".join(rng.choice(SYLLABLES) for _ in range(rng.choice((2, 3, 3, 4)))).capitalize())
    return sorted(out)


def typo(rng: random.Random, name: str) -> str:
    if len(name) < 4:
        return name + rng.choice("aeiou")
    i = rng.randrange(1, len(name) - 1)
    kind = rng.choice(("swap", "drop", "sub", "double"))
    if kind == "swap":
        return name[:i] + name[i + 1] + name[i] + name[i + 2 :]
    if kind == "drop":
        return name[:i] + name[i + 1 :]
    if kind == "double":
        return name[:i] + name[i] + name[i:]
    return name[:i] + rng.choice("aeioulnrst") + name[i + 1 :]


def generate(n: int, rng: random.Random, locations: list[str], today: dt.date) -> list[dict]:
    """Labelled records: each dict has data, person (the true identity), created_at, agency."""
    surnames = make_surnames(rng, max(400, n // 25))
    common = SURNAMES_COMMON
    out: list[dict] = []
    person = 0
    while len(out) < n:
        surname = rng.choice(common) if rng.random() < 0.3 else rng.choice(surnames)
        caregiver = f"{rng.choice(FEMALE if rng.random() < 0.7 else MALE)} {surname}"
        place = rng.choice(locations)
        agency = rng.randrange(3)
        base_year = rng.randint(today.year - 17, today.year - 1)
        used_first: set[str] = set()
        kids = rng.choice((1, 1, 2, 2, 3, 4))
        birth = dt.date(base_year, rng.randint(1, 12), rng.randint(1, 28))
        for k in range(kids):
            sex = rng.choice(("male", "female"))
            first = rng.choice(MALE if sex == "male" else FEMALE)
            while first in used_first:
                first = rng.choice(MALE if sex == "male" else FEMALE)
            used_first.add(first)
            if k and rng.random() > 0.06:  # 6 % of younger siblings are twins of the previous child
                birth = birth - dt.timedelta(days=rng.randint(380, 1500))
            data = {
                "name_first": first,
                "name_last": surname,
                "sex": sex,
                "caregiver_name": caregiver,
                "location": place,
            }
            created = today - dt.timedelta(days=rng.randint(0, 700))
            # `age` is the standard pack's calculated field: the age on the day the record was saved.
            true_age = max(0, (created - birth).days // 365)
            if rng.random() < 0.15:
                age = max(0, true_age + rng.choice((-1, 0, 0, 1)))
                data.update(age_estimated="yes", estimated_age=age, age=age)
            else:
                data.update(date_of_birth=birth.isoformat(), age=true_age)
            out.append({"data": data, "person": person, "created": created, "agency": agency})
            copies = 1 if rng.random() < 0.12 else 0
            copies += 1 if copies and rng.random() < 0.15 else 0
            for _ in range(copies):
                again = created + dt.timedelta(days=rng.randint(0, 120))
                out.append(
                    {"data": perturb(rng, data, birth, again, locations), "person": person,
                     "created": again, "agency": rng.randrange(3)}
                )  # fmt: skip
            person += 1
    return out[:n]


def perturb(rng: random.Random, data: dict, birth: dt.date, on: dt.date, locations: list[str]) -> dict:
    """A second registration of the same child on day `on`."""
    d = dict(data)
    d["age"] = max(0, (on - birth).days // 365) if d.get("date_of_birth") else d["age"]
    kinds = rng.sample(
        [
            "typo",
            "variant",
            "arabic",
            "nickname",
            "swap_dm",
            "no_dob",
            "year_off",
            "name_order",
            "no_caregiver",
            "moved",
        ],
        rng.choice((1, 1, 2, 2, 3)),
    )
    for kind in kinds:
        key = rng.choice(("name_first", "name_last"))
        if kind == "typo":
            d[key] = typo(rng, d[key])
        elif kind == "variant" and d["name_first"] in VARIANTS:
            d["name_first"] = rng.choice(VARIANTS[d["name_first"]])
        elif kind == "arabic":
            d["name_first"] = ARABIC.get(d["name_first"], d["name_first"])
            d["name_last"] = ARABIC.get(d["name_last"], d["name_last"])
        elif kind == "nickname" and d["name_first"] in NICK:
            d["name_first"] = NICK[d["name_first"]]
        elif kind == "swap_dm" and d.get("date_of_birth") and birth.day <= 12 and birth.day != birth.month:
            d["date_of_birth"] = dt.date(birth.year, birth.day, birth.month).isoformat()
        elif kind == "no_dob" and d.get("date_of_birth"):
            d.pop("date_of_birth")
            d.update(age_estimated="yes", estimated_age=max(0, d["age"] + rng.choice((-1, 0, 0, 1))))
            d["age"] = d["estimated_age"]
        elif kind == "year_off" and d.get("date_of_birth"):
            year = birth.year + rng.choice((-1, 1))
            # 29 February has no twin in most years.
            d["date_of_birth"] = birth.replace(
                year=year, day=min(birth.day, 28 if birth.month == 2 else 31)
            ).isoformat()
        elif kind == "name_order":
            d["name_first"], d["name_last"] = d["name_last"], d["name_first"]
        elif kind == "no_caregiver":
            d.pop("caregiver_name", None)
        elif kind == "moved":
            d["location"] = rng.choice(locations)
    return d


# ---------------------------------------------------------------------------------------- setup


def admin_connect(url: str):
    import psycopg

    return psycopg.connect(urlunsplit(urlsplit(url)._replace(path="/postgres")), autocommit=True)


def setup_database(url: str) -> str:
    with admin_connect(url) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {BENCH_DB}")
        conn.execute(f"CREATE DATABASE {BENCH_DB}")
    return urlunsplit(urlsplit(url)._replace(path=f"/{BENCH_DB}"))


def drop_database(url: str) -> None:
    from django.db import connections

    connections.close_all()
    with admin_connect(url) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {BENCH_DB}")


def install_config():
    """The standard pack if it applies; else a minimal configuration carrying the standard pack's
    duplicate rules and locations (the rules are what this benchmark measures)."""
    import yaml
    from django.core.management import call_command
    from kinga.configpacks.runtime import NoActiveConfig, get_active, install

    try:
        call_command(
            "pack", "apply", str(STANDARD), stdout=open(os.devnull, "w"), stderr=open(os.devnull, "w")
        )
        get_active()
        return "standard pack applied"
    except (SystemExit, Exception, NoActiveConfig):
        pass
    rules = yaml.safe_load((STANDARD / "duplicates.yaml").read_text())
    with open(STANDARD / "locations" / "locations.csv", encoding="utf-8") as fh:
        items = [
            {
                "code": r["code"],
                "parent": r["parent"] or None,
                "level": int(r["level"]),
                "name": {"en": r["name_en"]},
            }
            for r in csv.DictReader(fh)
        ]
    config = {
        "packs": [{"id": "bench", "version": "0"}], "languages": ["en"], "default_language": "en",
        "record_types": {"case": {"id": "case", "module": "child_protection", "id_prefix": "CP", "person": True, "forms": []}},
        "forms": {}, "fields": {}, "lookups": {}, "locations": {"levels": [], "items": items},
        "roles": {}, "workflows": {}, "kpis": {}, "duplicate_rules": rules, "archived_fields": {},
    }  # fmt: skip
    install(config, note="bench_dedup")
    return "minimal configuration with config_packs/standard/duplicates.yaml (the pack did not apply)"


RECORD_COLUMNS = (
    "id", "short_id", "record_type", "module", "data", "warnings", "owner_id", "agency_id", "location",
    "status", "person_id", "config_version_id", "version", "created_by_id", "created_at",
    "updated_by_id", "updated_at", "search_text",
)  # fmt: skip


def short_id(i: int) -> str:
    return f"CP-{i:09d}"


def load(rows: list[dict], start: int, agencies: list, user) -> float:
    """COPY the records in, with the columns create_record would give them (search_text from
    build_search_text, initial status, owner), then index them through the search backend's bulk
    path (`index_many`, the same documents and blocking keys as the per-record write path).
    Returns seconds."""
    import json

    from django.db import connection, transaction
    from kinga.configpacks.runtime import get_active
    from kinga.records.actions import _initial_status
    from kinga.records.models import Record
    from kinga.records.search_text import build_search_text
    from kinga_search.backends import get_backend

    config = get_active()
    status = _initial_status(config, "case")
    t0 = time.perf_counter()
    now = dt.datetime.now(dt.UTC)
    backend = get_backend()
    chunk = 20_000
    spent = {"build": 0.0, "records": 0.0, "index": 0.0, "commit": 0.0}
    for lo in range(0, len(rows), chunk):
        t = time.perf_counter()
        records = []
        for i, row in enumerate(rows[lo : lo + chunk], start + lo):
            created = dt.datetime.combine(row["created"], dt.time(12), tzinfo=dt.UTC)
            data = row["data"]
            records.append(
                Record(
                    id=uuid.uuid4(), short_id=short_id(i), record_type="case", module="child_protection",
                    data=data, agency_id=agencies[row["agency"]].pk, config_version_id=config.version.pk,
                    created_at=created, updated_at=now, location=data.get("location", ""), status=status,
                    owner_id=user.pk, created_by_id=user.pk, updated_by_id=user.pk, person_id=uuid.uuid4(),
                    search_text=build_search_text(config, "case", data),
                )
            )  # fmt: skip
            row["id"] = records[-1].id
        spent["build"] += time.perf_counter() - t
        with transaction.atomic(), connection.cursor() as cursor:
            t = time.perf_counter()
            with cursor.connection.cursor().copy(
                f"COPY records_record ({', '.join(RECORD_COLUMNS)}) FROM STDIN"
            ) as copy:
                for r in records:
                    copy.write_row(
                        (r.id, r.short_id, r.record_type, r.module, json.dumps(r.data), "[]", r.owner_id,
                         r.agency_id, r.location, r.status, r.person_id, r.config_version_id, 1,
                         r.created_by_id, r.created_at, r.updated_by_id, r.updated_at, r.search_text)
                    )  # fmt: skip
            spent["records"] += time.perf_counter() - t
            t = time.perf_counter()
            backend.index_many(records, fresh=True)
            spent["index"] += time.perf_counter() - t
            t = time.perf_counter()
        spent["commit"] += time.perf_counter() - t  # deferred foreign-key checks run here
        if len(rows) > chunk:
            split = ", ".join(f"{k} {v:.0f}" for k, v in spent.items())
            print(
                f"  loaded {start + lo + len(records):,} ({time.perf_counter() - t0:.0f} s: {split})",
                flush=True,
            )
    return time.perf_counter() - t0


def attach_ids(rows: list[dict]) -> None:
    """--reuse: find the stored record of each generated row by its short id, checking the data."""
    from kinga.records.models import Record

    by_sid = dict(Record.objects.values_list("short_id", "id").iterator(chunk_size=50_000))
    if len(by_sid) != len(rows):
        raise SystemExit(f"--reuse: the database holds {len(by_sid)} records, not {len(rows)}")
    for i, row in enumerate(rows):
        row["id"] = by_sid[short_id(i)]
    probe = random.Random(0).sample(range(len(rows)), min(50, len(rows)))
    stored = dict(Record.objects.filter(pk__in=[rows[i]["id"] for i in probe]).values_list("id", "data"))
    if any(stored[rows[i]["id"]] != rows[i]["data"] for i in probe):
        raise SystemExit("--reuse: stored records differ from the generated ones (another seed or day?)")


# ---------------------------------------------------------------------------------------- measures


def true_pairs(rows: list[dict]) -> set[frozenset]:
    by_person: dict[int, list] = {}
    for row in rows:
        by_person.setdefault(row["person"], []).append(row["id"])
    return {frozenset((a, b)) for ids in by_person.values() for i, a in enumerate(ids) for b in ids[i + 1 :]}


def measure(
    rows: list[dict], n_checks: int, rng: random.Random, user, *, run_scan: bool = True, workers=None
) -> dict:
    from kinga.records.models import Record
    from kinga_search.duplicates import check
    from kinga_search.rules import rules_for
    from kinga_search.scan import scan

    threshold = rules_for("case")["threshold"]
    out: dict = {"threshold": threshold, "scan": run_scan}
    if run_scan:
        t0, c0 = time.perf_counter(), time.process_time()
        result = scan("case", workers=workers)
        scan_s, scan_cpu = time.perf_counter() - t0, time.process_time() - c0
        found = {frozenset((p.a.pk, p.b.pk)) for p in result.pairs}
        truth = true_pairs(rows)
        tp = len(found & truth)
        out.update(
            precision=tp / len(found) if found else 1.0,
            recall=tp / len(truth) if truth else 1.0,
            true_pairs=len(truth),
            found_pairs=len(found),
            compared=result.compared,
            large_blocks=result.large_blocks,
            workers=result.workers,
            scan_s=scan_s,
            scan_cpu=scan_cpu,
        )

    by_person: dict[int, list] = {}
    for row in rows:
        by_person.setdefault(row["person"], []).append(row)
    dup_rows = [group[-1] for group in by_person.values() if len(group) > 1]
    sample = rng.sample(dup_rows, min(n_checks, len(dup_rows)))
    timings, hits = [], 0
    records = {r.pk: r for r in Record.objects.filter(pk__in=[s["id"] for s in sample])}
    for row in sample:
        record = records[row["id"]]
        t = time.perf_counter()
        candidates = check("case", record.data, user, record=record)
        timings.append((time.perf_counter() - t) * 1000)
        others = {str(o["id"]) for o in by_person[row["person"]] if o is not row}
        hits += bool(others & {c.get("record_id") for c in candidates})
    timings.sort()
    out.update(
        check_p50_ms=statistics.median(timings),
        check_p95_ms=timings[int(len(timings) * 0.95) - 1],
        check_max_ms=timings[-1],
        check_recall=hits / len(sample),
        checks=len(sample),
    )
    return out


def load_average() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "unknown"


def report(n: int, load_s: float | None, m: dict) -> list[str]:
    ok = lambda cond: "ok" if cond else "MISSED"  # noqa: E731
    loaded = "reused, not loaded" if load_s is None else f"loaded + indexed in {load_s:.1f}s"
    lines = [f"== {n} records ({loaded}; load average {load_average()} after measuring)"]
    if m["scan"]:
        lines += [
            f"  scan at threshold {m['threshold']}: precision {m['precision']:.3f} [{ok(m['precision'] >= 0.95)}], "
            f"recall {m['recall']:.3f} [{ok(m['recall'] >= 0.95)}]  ({m['found_pairs']} found / {m['true_pairs']} true pairs)",
            f"  full scan {m['scan_s']:.1f}s ({m['scan_cpu']:.1f}s CPU in this process, {m['workers']} worker(s)) "
            f"[{ok(m['scan_s'] < 60) if n == 100_000 else 'target applies at 100k'}], "
            f"{m['compared']} pairs compared, {m['large_blocks']} large blocks windowed",
        ]
    else:
        lines.append("  full scan skipped (--skip-scan): no precision/recall")
    target = {100_000: 50, 1_000_000: 150}.get(n)
    lines.append(
        f"  check(): p50 {m['check_p50_ms']:.1f} ms, p95 {m['check_p95_ms']:.1f} ms, max {m['check_max_ms']:.1f} ms "
        f"[{ok(m['check_p95_ms'] <= target) if target else 'targets apply at 100k and 1M'}]; true record "
        f"returned in {m['check_recall']:.3f} of {m['checks']} checks"
    )
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--records", type=int, default=None, help="one size only (default: 10000 then 100000)"
    )
    parser.add_argument("--checks", type=int, default=200)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--skip-scan", action="store_true", help="measure load and check() only")
    parser.add_argument(
        "--workers", type=int, default=None, help="scan worker processes (default: scan.workers_for)"
    )
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="measure the database a --keep run left (same --records and --seed, same day) without reloading",
    )
    args = parser.parse_args()
    sizes = [args.records] if args.records else [10_000, 100_000]
    if args.reuse and not args.records:
        parser.error("--reuse needs --records")

    server = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    if not server.startswith("postgres"):
        print("bench_dedup needs PostgreSQL (DATABASE_URL=postgres://...)")
        return 2
    if args.reuse:
        os.environ["DATABASE_URL"] = urlunsplit(urlsplit(server)._replace(path=f"/{BENCH_DB}"))
    else:
        os.environ["DATABASE_URL"] = setup_database(server)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kinga.settings.test")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from kinga.accounts.models import Agency, User
    from kinga.configpacks.runtime import get_active

    keep = args.keep or args.reuse
    try:
        call_command("migrate", verbosity=0)
        if args.reuse:
            agencies = list(Agency.objects.filter(code__startswith="agency-").order_by("code"))
            user = User.objects.get(username="bench")
        else:
            print(f"configuration: {install_config()}")
            agencies = [Agency.objects.create(code=f"agency-{c}", name=f"Agency {c}") for c in "ABC"]
            user = User.objects.create_user("bench", password="x", is_superuser=True)
        locations = [i["code"] for i in get_active().data["locations"]["items"] if i.get("parent")]
        rng = random.Random(args.seed)
        t0 = time.perf_counter()
        rows = generate(max(sizes), rng, locations, dt.date.today())
        print(f"generated {len(rows):,} records in {time.perf_counter() - t0:.1f}s", flush=True)
        loaded = 0
        for n in sizes:
            if args.reuse:
                attach_ids(rows)
                load_s = None
            else:
                load_s = load(rows[loaded:n], loaded, agencies, user)
                loaded = n
                t0 = time.perf_counter()
                # What autovacuum does to a table that grew: statistics and the visibility map
                # (index-only scans). Not counted in the load time.
                with connection.cursor() as cur:
                    for table in ("records_record", "kinga_search_searchkey", "kinga_search_searchdocument"):
                        cur.execute(f"VACUUM ANALYZE {table}")
                print(f"  vacuum analyze {time.perf_counter() - t0:.1f}s", flush=True)
            seed = random.Random(args.seed + n)
            m = measure(rows[:n], args.checks, seed, user, run_scan=not args.skip_scan, workers=args.workers)
            print("\n".join(report(n, load_s, m)), flush=True)
    finally:
        if not keep:
            drop_database(server)
    return 0


if __name__ == "__main__":
    sys.exit(main())
