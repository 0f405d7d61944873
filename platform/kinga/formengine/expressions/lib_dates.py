"""Date functions. Dates are returned as 'YYYY-MM-DD' text and date-times as
'YYYY-MM-DDTHH:MM:SS.mmm+HH:MM' text so both evaluators produce identical values."""

from __future__ import annotations

import math
from datetime import date, datetime, timedelta

from .dates import (
    as_instant,
    date_from_days,
    datetime_from_days,
    days_since_epoch,
    format_date,
    format_datetime,
    local_now,
    parse_temporal,
    strftime_odk,
)
from .functions import register
from .values import NodeSet, normalize, to_number, to_str


def _scalar(value):
    if isinstance(value, NodeSet):
        return value[0] if value else None
    return value


def to_date(value) -> date | None:
    """A calendar date from a date, a date-time (its own calendar day) or a number of days since 1970-01-01."""
    value = _scalar(value)
    if isinstance(value, bool) or value is None:
        return None
    t = parse_temporal(value)
    if isinstance(t, datetime):
        return t.date()
    if t is not None:
        return t
    n = to_number(value)
    return None if n is None else date_from_days(n)


def to_datetime(value) -> datetime | None:
    value = _scalar(value)
    if isinstance(value, bool) or value is None:
        return None
    t = parse_temporal(value)
    if t is not None:
        return as_instant(t)
    n = to_number(value)
    return None if n is None else datetime_from_days(n)


def today(ctx) -> date:
    return local_now(ctx).date()


@register("today", 0, returns="date", description="today(): the current date in the deployment's time zone.")
def _today(ctx):
    return format_date(today(ctx))


@register(
    "now",
    0,
    returns="datetime",
    description="now(): the current date and time in the deployment's time zone.",
)
def _now(ctx):
    return format_datetime(local_now(ctx))


@register(
    "date",
    1,
    returns="date",
    description="date(x): x as a date 'YYYY-MM-DD'; x may be a date, a date-time or a number of days since 1970-01-01. Empty when x is not a date.",
)
def _date(ctx, value):
    d = to_date(value)
    return None if d is None else format_date(d)


@register(
    "date-time",
    1,
    returns="datetime",
    description="date-time(x): x as a date-time; a number counts (fractional) days since 1970-01-01 UTC, a date means midnight UTC.",
)
def _date_time(ctx, value):
    dt = to_datetime(value)
    return None if dt is None else format_datetime(dt)


@register(
    "decimal-date-time",
    1,
    returns="number",
    description="decimal-date-time(x): days since 1970-01-01T00:00Z, with a fraction for the time of day.",
)
def _decimal_date_time(ctx, value):
    dt = to_datetime(value)
    return None if dt is None else normalize(days_since_epoch(dt))


@register(
    "decimal-date",
    1,
    returns="number",
    description="decimal-date(x): whole days from 1970-01-01 to the calendar date of x (Kinga extension).",
)
def _decimal_date(ctx, value):
    d = to_date(value)
    return None if d is None else days_since_epoch(d)


def _format(value, pattern) -> str:
    value = _scalar(value)
    t = parse_temporal(value)
    if t is None:
        t = to_datetime(value)
    if t is None:
        return ""
    if not isinstance(t, datetime):
        t = datetime(t.year, t.month, t.day)
    return strftime_odk(t, to_str(pattern))


@register(
    "format-date",
    2,
    returns="string",
    description="format-date(date, format): the date as text; %Y year, %y 2-digit year, %m month 01-12, %n month 1-12, %b month name (Jan), %d day 01-31, %e day 1-31, %a weekday (Mon), %H hour, %h hour without padding, %M minute, %S second, %3 milliseconds.",
)
def _format_date(ctx, value, pattern):
    return _format(value, pattern)


@register(
    "format-date-time",
    2,
    returns="string",
    description="format-date-time(date-time, format): same as format-date; times are shown as written (in their own offset).",
)
def _format_date_time(ctx, value, pattern):
    return _format(value, pattern)


def months_between(start: date, end: date) -> int:
    """Completed months: the day of the month must have been reached. Negative iff end < start."""
    return (end.year - start.year) * 12 + (end.month - start.month) - (1 if end.day < start.day else 0)


@register(
    "age",
    1,
    returns="number",
    description="age(date_of_birth): completed years from the date to today(); negative for a date in the future. Someone born on 29 February becomes a year older on 1 March in other years.",
)
def _age(ctx, value):
    dob = to_date(value)
    return None if dob is None else months_between(dob, today(ctx)) // 12


@register(
    "age-months",
    1,
    returns="number",
    description="age-months(date_of_birth): completed months from the date to today() (the day of the month must have been reached); negative for a date in the future.",
)
def _age_months(ctx, value):
    dob = to_date(value)
    return None if dob is None else months_between(dob, today(ctx))


@register(
    "days-between",
    2,
    returns="number",
    description="days-between(from, to): whole days from the first date to the second (negative when 'to' is earlier).",
)
def _days_between(ctx, start, end):
    a, b = to_date(start), to_date(end)
    return None if a is None or b is None else (b - a).days


@register(
    "add-days",
    2,
    returns="date",
    description="add-days(date, n): the date n days later (earlier when n is negative); fractions of n are dropped.",
)
def _add_days(ctx, value, days):
    d, n = to_date(value), to_number(days)
    if d is None or n is None:
        return None
    try:
        return format_date(d + timedelta(days=math.trunc(n)))
    except (OverflowError, ValueError):
        return None
