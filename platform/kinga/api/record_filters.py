"""Query-string filters for record lists, built per record type from the active configuration.

    ?sex=f&age__gte=5&status=open&location=KE-NBO&concerns=neglect&q=amina&ordering=-age

A field filter exists for every top-level field that stores a scalar; range suffixes (__gte, __lte,
__gt, __lt) for numbers, dates and datetimes; `__isnull=true|false` for all. Values are cleaned by
the field's type, so ?age=5 matches the number 5 and ?consent=true matches "yes". Unknown parameters
are refused (a typo must not silently return everything).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import date, datetime, time

from django.db.models import Q, QuerySet
from django.utils.dateparse import parse_datetime

from kinga.core.errors import KingaError
from kinga.formengine.fieldtypes import FieldType, FieldValueError
from kinga.formengine.plan import plan_for
from kinga.records import queries

RESERVED = {"page", "page_size", "q", "ordering", "lang", "format", "fields"}
COLUMN_FILTERS = {"status", "location", "owner", "agency", "short_id"}
TIME_FILTERS = {f"{c}__{op}" for c in ("created_at", "updated_at") for op in queries.RANGE_LOOKUPS}
RANGE_KINDS = {"number", "date", "datetime"}
NOT_FILTERABLE = {"rows", "object", "none"}
COLUMN_ORDERING = {"created_at", "updated_at", "short_id", "status"}


@dataclass(frozen=True)
class FieldFilter:
    key: str
    field: dict
    ftype: FieldType

    @property
    def ranged(self) -> bool:
        return self.ftype.stored_kind(self.field) in RANGE_KINDS


@dataclass(frozen=True)
class FilterSpec:
    fields: dict[str, FieldFilter]
    orderable: dict[str, bool]  # indexed field key -> sorts numerically
    subtree: dict[str, set[str]]  # location code -> itself and all descendants


_cache: dict[tuple[int, str, str], FilterSpec] = {}
_lock = threading.Lock()


def filter_spec(config, record_type: str) -> FilterSpec:
    # The content hash too: a rolled-back apply (tests, a failed migration) can reuse a version number.
    key = (config.number, config.version.content_hash, record_type)
    spec = _cache.get(key)
    if spec is None:
        spec = _build(config, record_type)
        with _lock:
            if len(_cache) > 64:
                _cache.clear()
            _cache[key] = spec
    return spec


def _build(config, record_type: str) -> FilterSpec:
    fields, orderable = {}, {}
    for node in plan_for(config, record_type).nodes:
        if not node.stores or node.ftype.value_kind in NOT_FILTERABLE:
            continue
        fields[node.key] = FieldFilter(node.key, node.field, node.ftype)
        if node.field.get("indexed"):
            orderable[node.key] = node.ftype.stored_kind(node.field) == "number"
    items = (config.data.get("locations") or {}).get("items") or []
    children: dict[str, list[str]] = {}
    for item in items:
        children.setdefault(item.get("parent") or "", []).append(item["code"])
    subtree: dict[str, set[str]] = {}

    def collect(code: str) -> set[str]:
        if code not in subtree:
            out, stack = {code}, [code]
            while stack:
                for child in children.get(stack.pop(), []):
                    if child not in out:
                        out.add(child)
                        stack.append(child)
            subtree[code] = out
        return subtree[code]

    for item in items:
        collect(item["code"])
    return FilterSpec(fields=fields, orderable=orderable, subtree=subtree)


def _bad(param: str, message: str) -> KingaError:
    return KingaError(
        message,
        code="invalid_filter",
        details=[{"field": param, "code": "invalid_filter", "message": message}],
    )


def _clean(flt: FieldFilter, param: str, raw: str):
    try:
        value = flt.ftype.clean(raw, flt.field, None)
    except FieldValueError as exc:
        raise _bad(param, f"{param}: {exc.message}") from None
    if value is None:
        raise _bad(param, f"{param}: give a value.")
    return value


def apply_filters(qs: QuerySet, params, spec: FilterSpec) -> QuerySet:
    for param in params:
        if param in RESERVED:
            continue
        values = [v for v in params.getlist(param)]
        for raw in values:
            qs = qs.filter(_condition(param, raw, spec))
    return qs


def _condition(param: str, raw: str, spec: FilterSpec) -> Q:
    if param in COLUMN_FILTERS:
        if param == "location":
            return Q(location__in=spec.subtree.get(raw, {raw}))
        if param == "owner":
            return Q(owner__username=raw)
        if param == "agency":
            return Q(agency__code=raw)
        return Q(**{param: raw})
    if param in TIME_FILTERS:
        moment = parse_datetime(raw) if "T" in raw or " " in raw else None
        if moment is None:
            try:
                moment = datetime.combine(date.fromisoformat(raw), time.min)
            except ValueError:
                raise _bad(param, f"{param}: give a date (YYYY-MM-DD) or an ISO datetime.") from None
        return Q(**{param: moment})
    key, _sep, op = param.partition("__")
    flt = spec.fields.get(key)
    if flt is None:
        raise _bad(
            param,
            f"Unknown filter '{param}'. Filter on: {', '.join(sorted([*COLUMN_FILTERS, *spec.fields]))}.",
        )
    if op == "isnull":
        if raw not in ("true", "false"):
            raise _bad(param, f"{param}: use true or false.")
        # Empty values are never stored, so "is null" means "has no key".
        has = Q(data__has_key=key)
        return ~has if raw == "true" else has
    if op in queries.RANGE_LOOKUPS:
        if not flt.ranged:
            raise _bad(param, f"{param}: '{key}' cannot be compared with {op}.")
        return queries.field_range(key, op, _clean(flt, param, raw))
    if op:
        raise _bad(param, f"Unknown filter '{param}'.")
    if flt.ftype.value_kind == "list":
        return queries.field_contains_code(key, raw)
    return queries.field_equals(key, _clean(flt, param, raw), indexed=bool(flt.field.get("indexed")))


def apply_ordering(qs: QuerySet, ordering: str | None, spec: FilterSpec) -> QuerySet:
    if not ordering:
        if "search_rank" in qs.query.annotations:  # free-text search: most relevant first
            return qs.order_by("-search_rank", "-updated_at", "id")
        return qs.order_by("-updated_at", "id")
    descending = ordering.startswith("-")
    name = ordering.lstrip("-")
    if name in COLUMN_ORDERING:
        return qs.order_by(f"-{name}" if descending else name, "id")
    if name in spec.orderable:
        return queries.order_by_field(qs, name, descending=descending, numeric=spec.orderable[name])
    allowed = sorted([*COLUMN_ORDERING, *spec.orderable])
    raise _bad(
        "ordering", f"Cannot sort by '{name}'. Sort by: {', '.join(allowed)} (prefix - for descending)."
    )
