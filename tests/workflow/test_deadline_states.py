"""Deadline states at their boundaries, in several time zones (pure: no database)."""

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest
from django.test import override_settings
from kinga.configpacks.runtime import compile_expr
from kinga.workflow.deadlines import LATE, MET, NOT_APPLICABLE, OVERDUE, PENDING, deadline_state


def record(data=None, created_at=datetime(2026, 3, 1, 8, 0, tzinfo=UTC)):
    return SimpleNamespace(data=data or {}, created_at=created_at, record_type="case")


H24 = {"id": "d", "start": "@created", "end": "done_at", "within_hours": 24, "applies_when": None}
DAY3 = {"id": "d", "start": "reg", "end": "done", "within_hours": 72, "applies_when": None}
DUE = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("done_at", "now", "expected"),
    [
        (None, DUE - timedelta(seconds=1), PENDING),
        (None, DUE, PENDING),  # exactly at the due time it has not passed yet
        (None, DUE + timedelta(microseconds=1), OVERDUE),
        ("2026-03-02T08:00:00+00:00", DUE + timedelta(days=5), MET),  # completed exactly at the due time
        ("2026-03-02T08:00:01Z", DUE + timedelta(days=5), LATE),
        ("2026-03-02T10:59:00+03:00", DUE + timedelta(days=5), MET),  # 07:59 UTC: offsets respected
        ("2026-03-02T11:00:01+03:00", DUE + timedelta(days=5), LATE),
    ],
)
def test_hours_from_creation(done_at, now, expected):
    state = deadline_state(record({"done_at": done_at} if done_at else {}), H24, now=now)
    assert state.state == expected
    assert state.due_at == DUE


def test_naive_datetimes_are_read_in_the_deployment_time_zone():
    with override_settings(TIME_ZONE="Africa/Nairobi"):
        # 10:30 Nairobi = 07:30 UTC (met); read as UTC it would be late.
        assert deadline_state(record({"done_at": "2026-03-02T10:30:00"}), H24, now=DUE).state == MET


@pytest.mark.parametrize(
    ("tz", "now", "expected"),
    [
        # Registered 1 March, 72 h -> the whole of 4 March is on time.
        ("UTC", datetime(2026, 3, 4, 23, 59, 59, tzinfo=UTC), PENDING),
        ("UTC", datetime(2026, 3, 5, 0, 0, tzinfo=UTC), OVERDUE),
        # 21:30 UTC on 4 March is 00:30 on 5 March in Nairobi: already overdue there.
        ("Africa/Nairobi", datetime(2026, 3, 4, 21, 30, tzinfo=UTC), OVERDUE),
        ("UTC", datetime(2026, 3, 4, 21, 30, tzinfo=UTC), PENDING),
        # 05:00 UTC on 5 March is still 4 March in Mexico City (UTC-6).
        ("America/Mexico_City", datetime(2026, 3, 5, 5, 0, tzinfo=UTC), PENDING),
    ],
)
def test_calendar_day_deadlines_follow_the_deployment_time_zone(tz, now, expected):
    with override_settings(TIME_ZONE=tz):
        state = deadline_state(record({"reg": "2026-03-01"}), DAY3, now=now)
    assert state.state == expected
    assert state.due_date.isoformat() == "2026-03-04"


@pytest.mark.parametrize(
    ("done", "expected"),
    [("2026-03-04", MET), ("2026-03-05", LATE), ("2026-03-01", MET), ("2026-03-04T23:00:00+03:00", MET)],
)
def test_calendar_day_completion(done, expected):
    with override_settings(TIME_ZONE="Africa/Nairobi"):
        state = deadline_state(
            record({"reg": "2026-03-01", "done": done}), DAY3, now=datetime(2026, 4, 1, tzinfo=UTC)
        )
    assert state.state == expected


def test_completion_instant_in_another_zone_can_fall_on_the_next_local_day():
    # 22:00 UTC on 4 March is 01:00 on 5 March in Nairobi: late there, on time in UTC.
    rec = record({"reg": "2026-03-01", "done": "2026-03-04T22:00:00Z"})
    with override_settings(TIME_ZONE="Africa/Nairobi"):
        assert deadline_state(rec, DAY3, now=DUE).state == LATE
    with override_settings(TIME_ZONE="UTC"):
        assert deadline_state(rec, DAY3, now=DUE).state == MET


def test_days_are_calendar_days_and_hours_are_elapsed_across_a_dst_change():
    start = {"start_at": "2026-03-28T12:00:00+01:00"}  # Paris switches to UTC+2 on 29 March
    days = {"id": "d", "start": "start_at", "end": "x", "within_days": 1, "applies_when": None}
    hours = {**days, "within_days": None, "within_hours": 24}
    with override_settings(TIME_ZONE="Europe/Paris"):
        now = datetime(2026, 3, 1, tzinfo=UTC)
        assert deadline_state(record(start), days, now=now).due_at.isoformat() == "2026-03-29T12:00:00+02:00"
        assert deadline_state(record(start), hours, now=now).due_at.isoformat() == "2026-03-29T13:00:00+02:00"


def test_not_applicable_when_condition_false_or_start_missing():
    d = {**DAY3, "applies_when": compile_expr("${risk_level} = 'high'")}
    assert deadline_state(record({"reg": "2026-03-01", "risk_level": "low"}), d).state == NOT_APPLICABLE
    assert deadline_state(record({"risk_level": "high"}), d).state == NOT_APPLICABLE
    assert deadline_state(record({"reg": "2026-03-01", "risk_level": "high"}), d, now=DUE).state == PENDING
