"""All likely duplicate pairs of a record type (`kinga dedup scan`).

Pairs come only from blocks of records sharing a compound blocking key (name × birth year, or two
names), never from all n² pairs. A very large block (a common name in a common year) is compared by
sorted neighbourhood — each record with its WINDOW nearest by full name — instead of all-pairs.
"""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass, field
from itertools import combinations

from django.db.models import Q
from kinga.records.models import Record

from .frequencies import name_frequencies
from .matching import names
from .matching.blocking import SCAN_PREFIXES
from .matching.scoring import Context, Match, score_pair, threshold
from .models import DuplicateDecision, SearchKey
from .rules import location_parents, rules_for

MAX_BLOCK = 60
WINDOW = 12


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


def candidate_pairs(record_type: str, sort_keys: dict | None = None) -> tuple[set[tuple], int]:
    """Pairs of record ids sharing a compound key. Returns (pairs, number of large blocks)."""
    blocks: dict[str, list] = defaultdict(list)
    rows = (
        SearchKey.objects.filter(record_type=record_type)
        .filter(Q(key__startswith=SCAN_PREFIXES[0]) | Q(key__startswith=SCAN_PREFIXES[1]))
        .values_list("key", "record_id")
    )
    for key, record_id in rows.iterator(chunk_size=20000):
        blocks[key].append(record_id)
    pairs: set[tuple] = set()
    large = 0
    for members in blocks.values():
        if len(members) < 2:
            continue
        if len(members) <= MAX_BLOCK or sort_keys is None:
            pairs.update((a, b) if a < b else (b, a) for a, b in combinations(members, 2))
            continue
        large += 1
        members.sort(key=lambda m: sort_keys.get(m, ""))
        for i, a in enumerate(members):
            for b in members[i + 1 : i + 1 + WINDOW]:
                pairs.add((a, b) if a < b else (b, a))
    return pairs, large


def scan(record_type: str, *, limit: int | None = None, min_score: float | None = None) -> ScanResult:
    started = time.monotonic()
    rules = rules_for(record_type)
    result = ScanResult(record_type, threshold(rules) if rules else 1.0)
    if not rules:
        return result
    cut = result.threshold if min_score is None else min_score
    records = {
        r.pk: r
        for r in Record.objects.filter(record_type=record_type, deleted_at__isnull=True)
        .only("id", "short_id", "data", "person_id", "created_at")
        .iterator(chunk_size=5000)
    }
    result.records = len(records)
    name_keys = [r["key"] for r in rules["fields"] if r.get("method") == "name"]
    sort_keys = {
        pk: " ".join(names.canonical(t) for k in name_keys for t in names.tokens(str(r.data.get(k) or "")))
        for pk, r in records.items()
    }
    pairs, result.large_blocks = candidate_pairs(record_type, sort_keys)
    decided = {
        (a, b) if a < b else (b, a)
        for a, b in DuplicateDecision.objects.values_list("record_a_id", "record_b_id")
    }
    ctx = Context(
        location_parents=location_parents(), name_frequency=name_frequencies(record_type, fresh=True)
    )
    for a_id, b_id in pairs:
        a, b = records.get(a_id), records.get(b_id)
        if a is None or b is None or (a_id, b_id) in decided or a.person_id == b.person_id:
            continue
        result.compared += 1
        ctx.on_a, ctx.on_b = a.created_at.date(), b.created_at.date()
        match = score_pair(rules, a.data, b.data, ctx, cutoff=cut)
        if match.score >= cut:
            result.pairs.append(Pair(a, b, match))
    result.pairs.sort(key=lambda p: (-p.match.score, p.a.short_id, p.b.short_id))
    if limit:
        result.pairs = result.pairs[:limit]
    result.seconds = time.monotonic() - started
    return result
