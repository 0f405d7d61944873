"""How common each name is among a record type's records, for duplicate scoring.

Agreement on a name carried by one record in twenty is weaker evidence than agreement on a name
carried by one in ten thousand (matching/scoring.py, `NameFrequencies`). The counts come from the
stored name × birth-year blocking keys ("b:<name key>:<year>", one per name key and record), so
spellings of one name count together and nothing is read from the records themselves. Records
without a birth year or age are not counted. Cached per record type for TTL seconds, then refreshed
in the background: the shares move slowly, and a check must not pay for a table scan.
"""

from __future__ import annotations

import logging
import threading
import time

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
    return freq


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
    _cache.clear()
