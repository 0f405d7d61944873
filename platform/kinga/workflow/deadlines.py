"""Deadline states computed from the active configuration's workflows (nothing is stored).

A deadline in `workflows[record_type].deadlines`:
    {id, label, start: field key | "@created", end: field key, within_hours | within_days,
     applies_when: compiled expression | null}

State of one record for one deadline:
    not_applicable  applies_when is false, or the start date is empty
    pending         not completed, due time not passed yet (exactly at the due time is still pending)
    overdue         not completed and the due time has passed
    met             completed at or before the due time
    late            completed after the due time

Time rules (why: statutory deadlines are counted the way an office counts them):
- a start holding a date-time (or "@created"): due = start + within_hours (elapsed hours) or
  + within_days (calendar days in the deployment time zone, settings.TIME_ZONE);
- a start holding a date only: the deadline is a calendar day, due_date = start + within_days
  (within_hours is rounded up to whole days), and anything completed on that day is on time;
- a completion recorded as a date only is on time when that date is not after the due day;
- date-times without an offset are read in the deployment time zone.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from django.utils import timezone

from .conditions import holds, subform_parents

NOT_APPLICABLE = "not_applicable"
PENDING = "pending"
OVERDUE = "overdue"
MET = "met"
LATE = "late"
STATES = (NOT_APPLICABLE, PENDING, OVERDUE, MET, LATE)
CREATED = "@created"
_NEVER = datetime.max.replace(tzinfo=UTC)


@dataclass(frozen=True)
class DeadlineState:
    deadline: str
    state: str
    due_at: datetime | None = None  # the last on-time instant (end of the due day for day deadlines)
    due_date: date | None = None  # set for calendar-day deadlines
    completed_at: date | datetime | None = None

    def as_dict(self) -> dict:
        return {
            "deadline": self.deadline,
            "state": self.state,
            "due_at": self.due_at.isoformat() if self.due_at else None,
            "due_date": self.due_date.isoformat() if self.due_date else None,
            "completed_at": self.completed_at.isoformat() if self.completed_at else None,
        }


def config_data(config=None) -> dict:
    """Accept an ActiveConfig, an effective-config dict, or None (the active configuration)."""
    if config is None:
        from kinga.configpacks.runtime import get_active

        config = get_active()
    return getattr(config, "data", config)


def deadlines_for(record_type: str, config=None) -> list[dict]:
    return list((config_data(config).get("workflows", {}).get(record_type) or {}).get("deadlines") or [])


def parse_when(value: Any, tz=None) -> date | datetime | None:
    """A date, or an aware datetime (naive ones read in `tz`), from a value stored in record data."""
    tz = tz or timezone.get_default_timezone()
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=tz)
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    try:
        if len(text) == 10:
            return date.fromisoformat(text)
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=tz)


def _start_of(record, deadline: dict, tz) -> date | datetime | None:
    if deadline.get("start") == CREATED:
        return record.created_at
    return parse_when((record.data or {}).get(deadline.get("start")), tz)


def deadline_state(
    record, deadline: dict, *, now: datetime | None = None, tz=None, parents=None
) -> DeadlineState:
    """The state of one deadline for one record (see the module docstring for the rules)."""
    now = now or timezone.now()
    tz = tz or timezone.get_default_timezone()
    did = deadline["id"]
    data = record.data or {}
    if not holds(deadline.get("applies_when"), data, parents=parents, now=now):
        return DeadlineState(did, NOT_APPLICABLE)
    start = _start_of(record, deadline, tz)
    if start is None:
        return DeadlineState(did, NOT_APPLICABLE)
    end = parse_when(data.get(deadline.get("end")), tz) if deadline.get("end") else None
    hours = deadline.get("within_hours")
    days = deadline.get("within_days")

    if isinstance(start, datetime):
        if hours is not None:
            due_at = (start.astimezone(UTC) + timedelta(hours=hours)).astimezone(tz)
        else:
            due_at = start.astimezone(tz) + timedelta(days=days or 0)  # wall-clock calendar days
        due_date = None
    else:
        n_days = days if days is not None else math.ceil((hours or 0) / 24)
        due_date = start + timedelta(days=n_days)
        due_at = datetime.combine(due_date, time.max, tzinfo=tz)

    if end is None:
        return DeadlineState(did, OVERDUE if now > due_at else PENDING, due_at, due_date)
    if isinstance(end, datetime) and due_date is None:
        on_time = end <= due_at
    else:
        # A date-only end (or a day deadline) is judged by calendar day in the deployment time zone.
        end_day = end.astimezone(tz).date() if isinstance(end, datetime) else end
        on_time = end_day <= (due_date or due_at.astimezone(tz).date())
    return DeadlineState(did, MET if on_time else LATE, due_at, due_date, end)


def record_deadlines(record, *, config=None, now=None) -> list[DeadlineState]:
    """Every deadline of the record's type, in configuration order."""
    data = config_data(config)
    parents = subform_parents(data, record.record_type)
    now = now or timezone.now()
    return [
        deadline_state(record, d, now=now, parents=parents) for d in deadlines_for(record.record_type, data)
    ]


def deadline_report(
    record_type: str,
    qs,
    *,
    deadline: str | None = None,
    states: list[str] | tuple[str, ...] | None = None,
    now: datetime | None = None,
    config=None,
    limit: int | None = None,
) -> dict:
    """Counts per deadline and state over `qs`, and the matching (record, deadline) items.

    `qs` must already be limited to what the caller may see. Items list only ids, short ids and
    dates (no personal data); `states` defaults to everything except not_applicable.
    """
    data = config_data(config)
    now = now or timezone.now()
    wanted = set(states or (PENDING, OVERDUE, MET, LATE))
    defs = [d for d in deadlines_for(record_type, data) if deadline in (None, d["id"])]
    parents = subform_parents(data, record_type)
    counts = {d["id"]: dict.fromkeys(STATES, 0) for d in defs}
    found: list[tuple[datetime, str, dict]] = []
    rows = qs.filter(record_type=record_type).only(
        "id", "short_id", "record_type", "data", "created_at", "status", "owner_id"
    )
    for record in rows.iterator(chunk_size=2000) if defs else []:
        for d in defs:
            st = deadline_state(record, d, now=now, parents=parents)
            counts[d["id"]][st.state] += 1
            if st.state in wanted:
                item = {"record_id": str(record.id), "short_id": record.short_id, **st.as_dict()}
                found.append((st.due_at or _NEVER, record.short_id, item))
    # Sort on the instants, not the ISO strings (offsets differ across DST changes).
    found.sort(key=lambda f: (f[0], f[1]))
    truncated = limit is not None and len(found) > limit
    items = [f[2] for f in (found[:limit] if limit is not None else found)]
    return {
        "record_type": record_type,
        "computed_at": now.isoformat(),
        "deadlines": [{"id": d["id"], "label": d.get("label"), "counts": counts[d["id"]]} for d in defs],
        "items": items,
        "truncated": truncated,
    }


def closed_statuses(record_type: str, config=None) -> list[str]:
    wf = config_data(config).get("workflows", {}).get(record_type) or {}
    return [s["id"] for s in wf.get("statuses") or [] if s.get("closed")]


def overdue_for(user, *, now: datetime | None = None, config=None) -> list[dict]:
    """Overdue deadlines on the open records `user` owns, oldest due first ("my work" dashboard)."""
    from .visibility import visible_records

    data = config_data(config)
    now = now or timezone.now()
    out: list[tuple[datetime, dict]] = []
    for record_type, wf in (data.get("workflows") or {}).items():
        if not (wf or {}).get("deadlines"):
            continue
        qs = visible_records(user, record_type).filter(owner=user)
        qs = qs.exclude(status__in=closed_statuses(record_type, data))
        report = deadline_report(record_type, qs, states=[OVERDUE], now=now, config=data)
        labels = {d["id"]: d["label"] for d in report["deadlines"]}
        for item in report["items"]:
            due = datetime.fromisoformat(item["due_at"]) if item["due_at"] else _NEVER
            out.append((due, {"record_type": record_type, "label": labels[item["deadline"]], **item}))
    out.sort(key=lambda pair: pair[0])
    return [item for _due, item in out]
