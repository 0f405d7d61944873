"""The search-backend contract. Every backend passes tests/search/contract.py.

A backend owns two things: free-text search over records, and the blocking step of duplicate
detection (which records are worth scoring). Scoring itself is backend-independent
(kinga_search.matching.scoring), so the same pair gets the same score and reasons whatever the backend.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any, ClassVar

from django.db.models import QuerySet
from kinga.records.models import Record

from ..matching import blocking, names


class SearchBackend:
    name: ClassVar[str] = ""
    # True when index() writes in the caller's database transaction (nothing to lose on a crash).
    transactional: ClassVar[bool] = False

    # --- writes ------------------------------------------------------------------------------
    def index(self, record: Record) -> None:
        """Make the index reflect `record` (a deleted record is removed)."""
        self.index_many([record])

    def index_many(self, records: Iterable[Record], *, fresh: bool = False) -> int:
        """Bulk path (reindex, imports, benchmarks). Returns how many records were indexed.
        `fresh=True` promises the records were never indexed (a backend may skip removals)."""
        raise NotImplementedError

    def remove(self, record_ids: Sequence[Any]) -> None:
        raise NotImplementedError

    def clear(self) -> None:
        """Drop everything (before a full reindex)."""
        raise NotImplementedError

    # --- reads -------------------------------------------------------------------------------
    def search(self, qs: QuerySet, q: str) -> QuerySet:
        """The records of `qs` matching free text `q`, most relevant first (annotated `search_rank`).
        Access control is the caller's `qs`; a backend never widens it."""
        raise NotImplementedError

    def candidates(
        self,
        record_type: str,
        data: dict,
        *,
        limit: int = 100,
        exclude: Sequence[Any] = (),
        rules: dict | None = None,
    ) -> list[Any]:
        """Ids of records of `record_type` sharing blocking keys with `data`, most keys first.
        `rules` saves a configuration lookup when the caller already holds them."""
        raise NotImplementedError

    def check_health(self) -> str:
        """A one-line status for `kinga search status`; raises when the backend is unusable."""
        return "ok"


# --- helpers shared by backends ---------------------------------------------------------------


def document_text(record: Record) -> str:
    """Folded, transliterated text of a record, with canonical name variants added so a search for
    "Muhammad" finds "Mohamed" and "محمد"."""
    raw = record.search_text or " ".join(_strings(record.data))
    words = names.fold_text(f"{record.short_id} {raw}").split()
    extra = [c for w in words if not w.isdigit() and (c := names.canonical(w)) != w]
    return " ".join(dict.fromkeys(words + extra))


def query_terms(q: str) -> list[str]:
    """Query words, folded and canonicalised like document_text (at most 10)."""
    return [names.canonical(w) for w in names.fold_text(q).split()][:10]


def _strings(value: Any):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)


def registration_date(record: Record) -> dt.date | None:
    created = getattr(record, "created_at", None)
    return created.date() if created else None


def record_keys(rules: dict, record: Record) -> list[tuple[str, str]]:
    return blocking.record_keys(rules, record.data or {}, on=registration_date(record))


def query_keys(rules: dict, data: dict) -> list[str]:
    return sorted({key for _field, key in blocking.record_keys(rules, data, spread=1)})
