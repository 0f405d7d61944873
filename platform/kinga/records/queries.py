"""Filtering and sorting on fields inside Record.data, on SQLite and PostgreSQL alike.

Equality on a PostgreSQL jsonb value uses containment (`data @> {...}`), which the GIN index from
indexes.py serves; text sorts use `data->>'key'`, which the per-field expression indexes serve.
Everything else uses Django's portable key transforms.
"""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.db.models import F, Q, QuerySet
from django.db.models.fields.json import KeyTextTransform, KeyTransform
from django.db.models.lookups import Exact, GreaterThan, GreaterThanOrEqual, LessThan, LessThanOrEqual

RANGE_LOOKUPS = ("gte", "lte", "gt", "lt")


def field_equals(key: str, value: Any, *, indexed: bool = False) -> Q:
    """`indexed` fields compare the expression their partial indexes are built on (`data->>'key'`
    for text, `data->'key'` for numbers; see indexes.py); other values use jsonb containment, which
    the GIN index serves."""
    if connection.vendor == "postgresql":
        if indexed and isinstance(value, str):
            return Q(Exact(KeyTextTransform(key, "data"), value))
        if indexed and isinstance(value, int | float) and not isinstance(value, bool):
            return Q(**{f"data__{key}": value})  # (data -> 'key') = 'value'::jsonb
        return Q(data__contains={key: value})
    return Q(**{f"data__{key}": value})


def field_contains_code(key: str, code: str) -> Q:
    """A multi-select (JSON list) holding `code`."""
    if connection.vendor == "postgresql":
        return Q(data__contains={key: [code]})
    # SQLite has no JSON containment lookup: match the quoted code inside the stored list's JSON text.
    return Q(**{f"data__{key}__icontains": f'"{code}"'})


_RANGE_CLASSES = {"gte": GreaterThanOrEqual, "lte": LessThanOrEqual, "gt": GreaterThan, "lt": LessThan}


def field_range(key: str, lookup: str, value: Any) -> Q:
    """Numbers compare as jsonb numbers (`data->'key'`); dates and other text compare as text
    (`data->>'key'`, ISO dates sort as text), the expressions the indexes are built on."""
    if lookup not in RANGE_LOOKUPS:
        raise ValueError(lookup)
    if connection.vendor == "postgresql" and isinstance(value, str):
        return Q(_RANGE_CLASSES[lookup](KeyTextTransform(key, "data"), value))
    return Q(**{f"data__{key}__{lookup}": value})


def field_in(key: str, values: list) -> Q:
    q = Q()
    for value in values:
        q |= field_equals(key, value)
    return q


def order_by_field(qs: QuerySet, key: str, *, descending: bool = False, numeric: bool = False) -> QuerySet:
    """Sort by a data field; empty values last. Numbers sort as jsonb/JSON numbers, the rest as text."""
    expr = KeyTransform(key, "data") if numeric else KeyTextTransform(key, "data")
    alias = f"_sort_{key}"
    qs = qs.alias(**{alias: expr})
    ordering = F(alias).desc(nulls_last=True) if descending else F(alias).asc(nulls_last=True)
    # Tie-breakers run the same way as the field, matching the (value, updated_at, id) indexes.
    if descending:
        return qs.order_by(ordering, "-updated_at", "-id")
    return qs.order_by(ordering, "updated_at", "id")


# A search backend plugs in here (kinga_search registers itself in its AppConfig.ready()); the
# kernel never imports it. Without one, a plain substring match over search_text.
_text_search_backend = None


def register_text_search(fn) -> None:
    """fn(qs, q) -> the records of qs matching q, most relevant first; it must never widen qs."""
    global _text_search_backend
    _text_search_backend = fn


def text_search(qs: QuerySet, q: str) -> QuerySet:
    """Free-text search for the list API and the search box; callers only ever use this function."""
    q = (q or "").strip()
    if not q:
        return qs
    if _text_search_backend is not None:
        return _text_search_backend(qs, q)
    for term in q.split()[:10]:
        qs = qs.filter(Q(search_text__icontains=term) | Q(short_id__iexact=term))
    return qs
