"""All likely duplicate pairs of a record type (`kinga dedup scan`).

Pairs come only from blocks of records sharing a compound blocking key (name × birth year, or two
names), never from all n² pairs. A very large block (a common name in a common year) is compared by
sorted neighbourhood — each record with its WINDOW nearest by full name — instead of all-pairs.

Scoring is pure Python and CPU-bound: from PARALLEL_FROM pairs on, it is shared among worker
processes (fork: they inherit the loaded records and never touch the database), as many as the
`KINGA_DEDUP_WORKERS` setting says (default 1, see workers_for).
"""

from __future__ import annotations

import multiprocessing
import os
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

from django.conf import settings
from django.db.models import Count, Q
from kinga.records.models import Record

from .frequencies import name_frequencies
from .matching import names
from .matching.blocking import SCAN_PREFIXES
from .matching.scoring import Context, Match, score_pair, threshold
from .models import DuplicateDecision, SearchKey
from .rules import location_parents, rules_for

MAX_BLOCK = 60
WINDOW = 12
PARALLEL_FROM = 20_000  # pairs to score; below this a fork costs more than it saves
MAX_WORKERS = 4


@dataclass
class Pair:
    a: Record
    b: Record
    match: Match


@dataclass
class ScanResult:
    record_type: str
    threshold: float
    pairs: list[Pair] = field(default_factory=list)
    records: int = 0
    compared: int = 0
    large_blocks: int = 0
    workers: int = 1
    seconds: float = 0.0

    def as_dict(self) -> dict:
        return {
            "record_type": self.record_type,
            "threshold": self.threshold,
            "records": self.records,
            "compared": self.compared,
            "large_blocks": self.large_blocks,
            "seconds": round(self.seconds, 2),
            "pairs": [
                {
                    "a": {"record_id": str(p.a.pk), "short_id": p.a.short_id},
                    "b": {"record_id": str(p.b.pk), "short_id": p.b.short_id},
                    "score": p.match.score,
                    "reasons": p.match.reasons_dicts(),
                }
                for p in self.pairs
            ],
        }


def candidate_pairs(record_type: str, sort_key: Callable[[Any], str] | None = None) -> tuple[set[tuple], int]:
    """Pairs of record ids sharing a compound key. Returns (pairs, number of large blocks).
    Without `sort_key` (record id -> full name) a large block is compared all-pairs."""
    blocks: dict[str, list] = defaultdict(list)
    scoped = SearchKey.objects.filter(record_type=record_type).filter(
        Q(key__startswith=SCAN_PREFIXES[0]) | Q(key__startswith=SCAN_PREFIXES[1])
    )
    # Most narrow keys are carried by one record only: leave those in the database.
    shared = scoped.order_by().values("key").annotate(n=Count("id")).filter(n__gt=1).values("key")
    rows = scoped.filter(key__in=shared).values_list("key", "record_id")
    for key, record_id in rows.iterator(chunk_size=20000):
        blocks[key].append(record_id)
    pairs: set[tuple] = set()
    large = 0
    for members in blocks.values():
        if len(members) < 2:
            continue
        if len(members) <= MAX_BLOCK or sort_key is None:
            pairs.update((a, b) if a < b else (b, a) for a, b in combinations(members, 2))
            continue
        large += 1
        members.sort(key=sort_key)
        for i, a in enumerate(members):
            for b in members[i + 1 : i + 1 + WINDOW]:
                pairs.add((a, b) if a < b else (b, a))
    return pairs, large


def workers_for(pairs: int) -> int:
    """How many processes score `pairs` pairs (1: this one).

    One, unless the `KINGA_DEDUP_WORKERS` setting asks for more: forking a web worker that runs
    other threads is not safe, and each worker warms its own name-comparison caches, so on a busy
    machine extra workers cost more CPU than they save time (100k records: 20-28 s in one process,
    33 s with two under load). Set it for a scan run from the command line on an otherwise idle
    server. Never more than MAX_WORKERS or the CPU count."""
    configured = getattr(settings, "KINGA_DEDUP_WORKERS", None)
    if not configured or pairs < PARALLEL_FROM or "fork" not in multiprocessing.get_all_start_methods():
        return 1
    return max(1, min(MAX_WORKERS, os.cpu_count() or 1, int(configured)))


# What a forked worker scores: (pairs, {record id: (data, registration date)}, rules, Context, cut).
# Set by _score_all just before the fork; a worker reads it from the memory it inherited.
_job: tuple | None = None


def _score_range(bounds: tuple[int, int]) -> list[tuple[int, Match]]:
    assert _job is not None
    pairs, rows, rules, ctx, cut = _job
    out = []
    for k in range(*bounds):
        a_id, b_id = pairs[k]
        (data_a, ctx.on_a), (data_b, ctx.on_b) = rows[a_id], rows[b_id]
        match = score_pair(rules, data_a, data_b, ctx, cutoff=cut)
        if match.score >= cut:
            out.append((k, match))
    return out


def _score_all(pairs: list[tuple], rows: dict, rules: dict, ctx: Context, cut: float, workers: int):
    """(index into pairs, Match) for the pairs scoring at least `cut`."""
    global _job
    _job = (pairs, rows, rules, ctx, cut)
    try:
        if workers <= 1:
            return _score_range((0, len(pairs)))
        step = -(-len(pairs) // (workers * 8))  # small parts: a worker slowed by other load gets fewer
        parts = [(lo, min(lo + step, len(pairs))) for lo in range(0, len(pairs), step)]
        # The workers only compute; they never use the database connection they inherit, and
        # leave with os._exit (no cleanup that could close it under this process).
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            return [found for part in pool.imap_unordered(_score_range, parts) for found in part]
    finally:
        _job = None


def scan(
    record_type: str,
    *,
    limit: int | None = None,
    min_score: float | None = None,
    workers: int | None = None,
) -> ScanResult:
    """`workers` overrides workers_for() (tests)."""
    started = time.monotonic()
    rules = rules_for(record_type)
    result = ScanResult(record_type, threshold(rules) if rules else 1.0)
    if not rules:
        return result
    cut = result.threshold if min_score is None else min_score
    rows = {}
    people = {}
    for pk, data, person_id, created_at in (
        Record.objects.filter(record_type=record_type, deleted_at__isnull=True)
        .values_list("id", "data", "person_id", "created_at")
        .iterator(chunk_size=5000)
    ):
        rows[pk] = (data, created_at.date())
        people[pk] = person_id
    result.records = len(rows)
    name_keys = [r["key"] for r in rules["fields"] if r.get("method") == "name"]

    def full_name(pk: Any) -> str:  # only needed for the members of large blocks
        data = rows[pk][0] if pk in rows else {}
        return " ".join(names.canonical(t) for k in name_keys for t in names.tokens(str(data.get(k) or "")))

    pairs, result.large_blocks = candidate_pairs(record_type, full_name)
    decided = {
        (a, b) if a < b else (b, a)
        for a, b in DuplicateDecision.objects.values_list("record_a_id", "record_b_id")
    }
    todo = [
        (a, b)
        for a, b in pairs
        if a in rows and b in rows and (a, b) not in decided and people[a] != people[b]
    ]
    result.compared = len(todo)
    ctx = Context(
        location_parents=location_parents(), name_frequency=name_frequencies(record_type, fresh=True)
    )
    result.workers = workers or workers_for(len(todo))
    found = _score_all(todo, rows, rules, ctx, cut, result.workers)
    ids = {pk for k, _match in found for pk in todo[k]}
    records = {
        r.pk: r
        for r in Record.objects.filter(pk__in=ids).only("id", "short_id", "data", "person_id", "created_at")
    }
    result.pairs = [Pair(records[todo[k][0]], records[todo[k][1]], match) for k, match in found]
    result.pairs.sort(key=lambda p: (-p.match.score, p.a.short_id, p.b.short_id))
    if limit:
        result.pairs = result.pairs[:limit]
    result.seconds = time.monotonic() - started
    return result
