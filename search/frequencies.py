"""How common each name is among a record type's records, for duplicate scoring.

Agreement on a name carried by one record in twenty is weaker evidence than agreement on a name
carried by one in ten thousand (matching/scoring.py, `NameFrequencies`). The counts come from the
stored name × birth-year blocking keys ("b:<name key>:<year>", one per name key and record), so
spellings of one name count together and nothing is read from the records themselves. Records
without a birth year or age are not counted. Cached per record type for TTL seconds, then refreshed
in the background: the shares move slowly, and a check must not pay for a table scan. Each
computation is also put in Django's default cache, so with a shared cache (KINGA_CACHE_URL) a new
worker process starts from the counts another one computed.
"""

from __future__ import annotations

import logging
import threading
import time

from django.core.cache import cache as shared_cache
from django.db import connection
from django.db.models import Count

from .matching.scoring import NameFrequencies
from .models import SearchKey

log = logging.getLogger(__name__)

TTL = 600.0
_cache: dict[tuple[str, str], tuple[float, NameFrequencies]] = {}
_refreshing: set[tuple[str, str]] = set()
_lock = threading.Lock()


def name_frequencies(record_type: str, *, fresh: bool = False) -> NameFrequencies:
    """Name-key counts for `record_type` (cached; `fresh` recomputes, as a full scan does).

    Past TTL the cached counts are still returned while a background thread recomputes them: at a
    million records the two aggregate queries take seconds, which no check should wait for."""
    cache_key = (connection.settings_dict.get("NAME") or "", record_type)
    hit = _cache.get(cache_key)
    if hit is None and not fresh:
        hit = _from_shared_cache(cache_key)
    if hit and not fresh:
        if time.monotonic() - hit[0] >= TTL:
            _refresh_in_background(cache_key, record_type)
        return hit[1]
    return _compute(cache_key, record_type)


def _compute(cache_key: tuple[str, str], record_type: str) -> NameFrequencies:
    started = time.monotonic()
    rows = SearchKey.objects.filter(record_type=record_type, key__startswith="b:")
    # count("*"), not count("id"): the (record_type, key) index alone answers it.
    counts = rows.order_by().values_list("key").annotate(n=Count("*"))
    records = rows.order_by().values("record_id").distinct().count()
    freq = NameFrequencies.from_year_keys(counts, records)
    _cache[cache_key] = (started, freq)
    try:  # share with the other worker processes (a real cache only with KINGA_CACHE_URL)
        shared_cache.set(
            _shared_key(cache_key), (time.time(), freq.counts, freq.records), timeout=int(TTL * 6)
        )
    except Exception:  # a cache outage costs a recomputation elsewhere, nothing more
        log.warning("could not share name frequencies", exc_info=True)
    return freq


def _shared_key(cache_key: tuple[str, str]) -> str:
    return "kinga:name-frequencies:" + ":".join(cache_key)


def _from_shared_cache(cache_key: tuple[str, str]) -> tuple[float, NameFrequencies] | None:
    """Counts another process computed (a new worker at a million records would otherwise spend
    seconds on its first check). Their age carries over, so the TTL refresh still happens."""
    try:
        shared = shared_cache.get(_shared_key(cache_key))
    except Exception:
        log.warning("could not read shared name frequencies", exc_info=True)
        return None
    if not shared:
        return None
    computed_at, counts, records = shared
    hit = (time.monotonic() - max(0.0, time.time() - computed_at), NameFrequencies(counts, records))
    _cache[cache_key] = hit
    return hit


def _refresh_in_background(cache_key: tuple[str, str], record_type: str) -> None:
    with _lock:
        if cache_key in _refreshing:
            return
        _refreshing.add(cache_key)

    def run() -> None:
        try:
            _compute(cache_key, record_type)
        except Exception:  # the stale counts stay; the next check past TTL tries again
            log.exception("could not refresh name frequencies for %s", record_type)
        finally:
            _refreshing.discard(cache_key)
            connection.close()  # this thread's own connection

    threading.Thread(target=run, name="kinga-name-frequencies", daemon=True).start()


def clear_cache() -> None:
    """Forget the counts, here and in the shared cache (tests; after a bulk import)."""
    for cache_key in list(_cache):
        try:
            shared_cache.delete(_shared_key(cache_key))
        except Exception:
            log.warning("could not clear shared name frequencies", exc_info=True)
    _cache.clear()
