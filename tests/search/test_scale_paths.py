"""The paths that only large data sets take: the bulk (COPY) indexing of many records, the scan's
worker processes, and the early exit of score_pair below the cutoff. Each must give exactly what
the small-data path gives."""

import random

import pytest
from kinga.records.models import Record
from kinga_search import scan as scan_module
from kinga_search.backends import get_backend
from kinga_search.backends.database import COPY_FROM
from kinga_search.matching.scoring import Context, score_pair
from kinga_search.models import SearchDocument, SearchKey

from .conftest import CASE_RULES, LOCATIONS

FIRST = ["Mohamed", "Muhammad", "Amina", "Aminah", "Grace", "Yusuf", "Youssef", "Joseph", "Fatuma"]
LAST = ["Abdullahi", "Abdallah", "Otieno", "Hassan", "Hasan", "Akinyi"]


def people(n: int, seed: int = 3) -> list[dict]:
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        data = {
            "name_first": rng.choice(FIRST),
            "name_last": rng.choice(LAST),
            "sex": rng.choice(["male", "female"]),
            "caregiver_name": f"{rng.choice(FIRST)} {rng.choice(LAST)}",
            "location": rng.choice(["KE0101", "KE0102", "KE0201"]),
        }
        if rng.random() < 0.8:
            data["date_of_birth"] = f"{rng.randint(2012, 2014)}-0{rng.randint(1, 3)}-0{rng.randint(1, 3)}"
        else:
            data["age"] = rng.randint(8, 12)
        out.append(data)
    return out


def index_rows():
    docs = sorted(SearchDocument.objects.values_list("record_id", "record_type", "text"))
    keys = sorted(SearchKey.objects.values_list("record_id", "record_type", "field", "key"))
    return docs, keys


def test_bulk_indexing_writes_what_the_per_record_path_writes(make_record):
    records = [make_record(**data) for data in people(COPY_FROM + 20)]
    by_write_path = index_rows()
    backend = get_backend()
    backend.clear()
    # One batch large enough for the bulk path (COPY on PostgreSQL).
    again = Record.objects.filter(pk__in=[r.pk for r in records])
    assert backend.index_many(again, fresh=True) == len(records)
    assert index_rows() == by_write_path


def test_scan_in_worker_processes_finds_the_same_pairs(make_record):
    for data in people(80):
        make_record(**data)
    alone = scan_module.scan("case", min_score=0.6, workers=1)
    shared = scan_module.scan("case", min_score=0.6, workers=2)
    assert alone.pairs, "the data set should hold likely pairs"
    assert shared.workers == 2
    as_set = lambda result: {(p.a.pk, p.b.pk, p.match.score) for p in result.pairs}  # noqa: E731
    assert as_set(shared) == as_set(alone)
    assert [r.match.reasons_dicts() for r in shared.pairs] == [r.match.reasons_dicts() for r in alone.pairs]


def test_workers_only_when_configured_and_for_large_scans(settings, monkeypatch):
    settings.KINGA_DEDUP_WORKERS = 2
    monkeypatch.setattr(scan_module.os, "cpu_count", lambda: 8)
    assert scan_module.workers_for(scan_module.PARALLEL_FROM - 1) == 1
    assert scan_module.workers_for(scan_module.PARALLEL_FROM) == 2
    settings.KINGA_DEDUP_WORKERS = 64
    assert scan_module.workers_for(scan_module.PARALLEL_FROM) == scan_module.MAX_WORKERS
    settings.KINGA_DEDUP_WORKERS = None  # default: never fork a web worker
    assert scan_module.workers_for(10 * scan_module.PARALLEL_FROM) == 1


@pytest.mark.parametrize("cut", [0.6, 0.75, 0.8, 0.9])
def test_cutoff_exits_early_only_below_the_cutoff(cut):
    ctx = Context(location_parents={i["code"]: i["parent"] for i in LOCATIONS if i["parent"]})
    data = people(120, seed=11)
    for a, b in zip(data, data[1:], strict=False):
        full = score_pair(CASE_RULES, a, b, ctx)
        early = score_pair(CASE_RULES, a, b, ctx, cutoff=cut)
        if full.score >= cut:
            assert early == full
        else:
            assert early.score < cut
