"""Compute KPI values from records: aggregated and de-identified (no names, no per-record data).

Correctness first: records are streamed in Python and filters evaluated with the expression
evaluator over Record.data. Large deployments should precompute nightly (`kinga kpis compute --json`).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import timezone

from kinga.core.errors import KingaError, NotFound
from kinga.workflow.deadlines import closed_statuses, config_data, parse_when
from kinga.workflow.visibility import visible_records

from .breakdowns import breakdown_name, make_breakdown
from .registry import kpi_kinds
from .text import local_date, translate

RECORD_COLUMNS = (
    "id",
    "record_type",
    "person_id",
    "data",
    "created_at",
    "status",
    "owner_id",
    "agency_id",
    "location",
)


def _ensure_kinds() -> None:
    from . import kinds  # noqa: F401  (registers the built-in kinds)


def _version_number(config) -> int | None:
    return getattr(config, "number", None)


def get_definition(kpi_id: str, config=None) -> dict:
    definition = (config_data(config).get("kpis") or {}).get(kpi_id)
    if definition is None:
        raise NotFound(f"No KPI '{kpi_id}' in the active configuration.")
    return definition


def list_definitions(config=None, lang: str | None = None) -> list[dict]:
    """Every KPI definition with labels in `lang` (what the dashboard lists; no values)."""
    data = config_data(config)
    out = []
    for kpi_id, d in sorted((data.get("kpis") or {}).items()):
        out.append(
            {
                "id": kpi_id,
                "label": translate(d.get("label"), lang, data),
                "description": translate(d.get("description"), lang, data),
                "kind": d["kind"],
                "record_type": d["record_type"],
                "breakdowns": [breakdown_name(b) for b in _breakdown_specs(d)],
            }
        )
    return out


def _breakdown_specs(definition: dict) -> list:
    specs = list(definition.get("breakdowns") or [])
    names = {breakdown_name(s) for s in specs}
    if definition.get("kind") in kpi_kinds:
        for extra in getattr(kpi_kinds.get(definition["kind"]), "default_breakdowns", ()):
            if extra not in names:
                specs.append(extra)
    return specs


def location_subtree(code: str, data: dict) -> set[str]:
    """`code` and every location below it in the configured hierarchy."""
    items = (data.get("locations") or {}).get("items") or []
    if items and code not in {i["code"] for i in items}:
        raise KingaError(f"Unknown location '{code}'.", code="unknown_location")
    children: dict[str, list[str]] = defaultdict(list)
    for item in items:
        if item.get("parent"):
            children[item["parent"]].append(item["code"])
    found, stack = {code}, [code]
    while stack:
        for child in children.get(stack.pop(), []):
            if child not in found:
                found.add(child)
                stack.append(child)
    return found


def as_date(value: Any, name: str) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise KingaError(f"'{name}' must be a date written YYYY-MM-DD.", code="invalid_date")


def _records(definition: dict, data: dict, user, date_from, date_to, location):
    params = definition.get("params") or {}
    record_type = definition["record_type"]
    qs = visible_records(user, record_type).filter(record_type=record_type, deleted_at__isnull=True)
    if params.get("statuses"):
        qs = qs.filter(status__in=params["statuses"])
    if params.get("open_only"):
        qs = qs.exclude(status__in=closed_statuses(record_type, data))
    if location:
        qs = qs.filter(location__in=sorted(location_subtree(location, data)))
    if params.get("period_field") in (None, "@created"):
        tz = timezone.get_default_timezone()
        if date_from:
            qs = qs.filter(created_at__gte=datetime.combine(date_from, time.min, tzinfo=tz))
        if date_to:
            qs = qs.filter(created_at__lt=datetime.combine(date_to + timedelta(days=1), time.min, tzinfo=tz))
    return qs.only(*RECORD_COLUMNS).order_by()


def _in_period(record, field: str | None, date_from, date_to) -> bool:
    if field in (None, "@created") or not (date_from or date_to):
        return True  # filtered in the database
    when = parse_when((record.data or {}).get(field))
    if when is None:
        return False
    day = local_date(when)
    return (not date_from or day >= date_from) and (not date_to or day <= date_to)


def _cell(breakdown, key, aggregate, lang, min_cell) -> dict:
    cell = {"key": breakdown.public_key(key), "label": breakdown.label(key, lang)}
    # Zero is not disclosive; 1..min_cell-1 units could point at a person, so only those are hidden.
    if min_cell and 0 < aggregate.n < min_cell:
        return {**cell, "value": f"<{min_cell}", "suppressed": True}
    value, detail = aggregate.result()
    return {**cell, "value": value, "detail": detail}


def compute_kpi(
    kpi: str | dict,
    *,
    user=None,
    date_from: date | str | None = None,
    date_to: date | str | None = None,
    location: str | None = None,
    breakdowns: list[str] | None = None,
    min_cell: int | None = None,
    lang: str | None = None,
    config=None,
    now: datetime | None = None,
) -> dict:
    """The value of one KPI over the records `user` may see (all records when user is None).

    `breakdowns`: names of the definition's breakdowns to compute (None = all, [] = none).
    `min_cell` can only raise the definition's params.min_cell, never lower it."""
    _ensure_kinds()
    if config is None:
        from kinga.configpacks.runtime import get_active

        config = get_active()
    data = config_data(config)
    definition = get_definition(kpi, data) if isinstance(kpi, str) else kpi
    now = now or timezone.now()
    date_from, date_to = as_date(date_from, "from"), as_date(date_to, "to")
    if date_from and date_to and date_from > date_to:
        raise KingaError("'from' is after 'to'.", code="invalid_period")
    kind_cls = kpi_kinds.get(definition["kind"])
    kind = kind_cls(definition, data, now=now)
    params = definition.get("params") or {}
    cell_floor = max(int(params.get("min_cell") or 0), int(min_cell or 0))

    specs = {breakdown_name(s): s for s in _breakdown_specs(definition)}
    if breakdowns is not None:
        unknown = [b for b in breakdowns if b not in specs]
        if unknown:
            raise KingaError(
                f"KPI '{definition['id']}' has no breakdown {', '.join(unknown)} (available: {', '.join(specs) or 'none'}).",
                code="unknown_breakdown",
            )
        specs = {name: specs[name] for name in breakdowns}
    subform = params.get(kind_cls.subform_param) if kind_cls.subform_param else None
    splitters = [make_breakdown(spec, data, definition["record_type"], subform) for spec in specs.values()]

    total = kind.new_aggregate()
    cells: list[dict] = [defaultdict(kind.new_aggregate) for _ in splitters]
    for record in _records(definition, data, user, date_from, date_to, location).iterator(chunk_size=2000):
        if not _in_period(record, params.get("period_field"), date_from, date_to):
            continue
        for unit, row in kind.units(record):
            total.add(unit)
            for splitter, split_cells in zip(splitters, cells, strict=True):
                for key in splitter.keys(record, row):
                    split_cells[key].add(unit)

    out_breakdowns = {}
    for splitter, split_cells in zip(splitters, cells, strict=True):
        keys = splitter.ordered(set(split_cells) | set(splitter.preset_keys()))
        splitter.prime(keys)
        out_breakdowns[splitter.name] = [
            _cell(splitter, k, split_cells.get(k) or kind.new_aggregate(), lang, cell_floor) for k in keys
        ]
    value, detail = total.result()
    return {
        "id": definition["id"],
        "label": translate(definition.get("label"), lang, data),
        "kind": definition["kind"],
        "record_type": definition["record_type"],
        "value": value,
        "detail": detail,
        "breakdowns": out_breakdowns,
        "filters": {
            "from": date_from.isoformat() if date_from else None,
            "to": date_to.isoformat() if date_to else None,
            "location": location or None,
        },
        "min_cell": cell_floor,
        "computed_at": now.isoformat(),
        "config_version": _version_number(config),
    }


def compute_all(*, user=None, config=None, lang: str | None = None, **filters) -> list[dict]:
    """Every KPI of the configuration (the statutory report), in id order."""
    if config is None:
        from kinga.configpacks.runtime import get_active

        config = get_active()
    data = config_data(config)
    return [
        compute_kpi(kpi_id, user=user, config=config, lang=lang, **filters)
        for kpi_id in sorted(data.get("kpis") or {})
    ]
