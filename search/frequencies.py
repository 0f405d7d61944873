"""How common each name is among a record type's records, for duplicate scoring.

Agreement on a name carried by one record in twenty is weaker evidence than agreement on a name
carried by one in ten thousand (matching/scoring.py, `NameFrequencies`). The counts come from the
stored name × birth-year blocking keys ("b:<name key>:<year>", one per name key and record), so
spellings of one name count together and nothing is read from the records themselves. Records
without a birth year or age are not counted. Cached per record type for TTL seconds: the shares move
slowly, and a check must not pay for a table scan.
"""

from __future__ import annotations

import time

from django.db import connection
from django.db.models import Count

from .matching.scoring import NameFrequencies
from .models import SearchKey

TTL = 600.0
_cache: dict[tuple[str, str], tuple[float, NameFrequencies]] = {}


def name_frequencies(record_type: str, *, fresh: bool = False) -> NameFrequencies:
    """Name-key counts for `record_type` (cached; `fresh` recomputes, as a full scan does)."""
    cache_key = (connection.settings_dict.get("NAME") or "", record_type)
    now = time.monotonic()
    hit = _cache.get(cache_key)
    if hit and not fresh and now - hit[0] < TTL:
        return hit[1]
    rows = SearchKey.objects.filter(record_type=record_type, key__startswith="b:")
    counts = rows.order_by().values_list("key").annotate(n=Count("id"))
    records = rows.order_by().values("record_id").distinct().count()
    freq = NameFrequencies.from_year_keys(counts, records)
    _cache[cache_key] = (now, freq)
    return freq


def clear_cache() -> None:
    _cache.clear()
