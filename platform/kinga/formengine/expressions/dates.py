"""Date and date-time conversions shared by coercion and the date functions.

Canonical text forms (identical in the Python and TypeScript evaluators):
  date      YYYY-MM-DD
  date-time YYYY-MM-DDTHH:MM:SS.mmm+HH:MM   (always milliseconds, always a numeric offset)
A date on its own stands for midnight UTC when it has to become an instant or a number of days.
"""

from __future__ import annotations

import math
import re
from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .errors import ExpressionError

EPOCH = date(1970, 1, 1)
EPOCH_DT = datetime(1970, 1, 1, tzinfo=UTC)

_DATE_RE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_DATETIME_RE = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?"
)


def parse_temporal(value) -> date | datetime | None:
    """A date or an aware datetime from a date/datetime object or an ISO string; None otherwise."""
    if isinstance(value, datetime):
        return value if value.tzinfo is not None else value.replace(tzinfo=UTC)
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or len(value) < 10 or len(value) > 40:
        return None
    m = _DATE_RE.fullmatch(value)
    if m:
        try:
            return date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            return None
    m = _DATETIME_RE.fullmatch(value)
    if not m:
        return None
    micro = int((m[7] or "0")[:6].ljust(6, "0"))
    tz = _offset(m[8])
    if tz is None:
        return None
    try:
        return datetime(int(m[1]), int(m[2]), int(m[3]), int(m[4]), int(m[5]), int(m[6] or 0), micro, tz)
    except ValueError:
        return None


def _offset(text: str | None):
    if text is None or text == "Z":
        return UTC
    text = text.replace(":", "")
    hours, minutes = int(text[1:3]), int(text[3:5])
    if hours > 23 or minutes > 59:
        return None
    delta = timedelta(hours=hours, minutes=minutes)
    return timezone(-delta if text[0] == "-" else delta)


def as_instant(t: date | datetime) -> datetime:
    if isinstance(t, datetime):
        return t
    return datetime(t.year, t.month, t.day, tzinfo=UTC)


def days_since_epoch(t: date | datetime) -> float | int:
    if isinstance(t, datetime):
        return (t - EPOCH_DT) / timedelta(days=1)
    return (t - EPOCH).days


def date_from_days(days: float) -> date | None:
    try:
        return EPOCH + timedelta(days=math.floor(days))
    except (OverflowError, ValueError):
        return None


def datetime_from_days(days: float) -> datetime | None:
    try:
        return EPOCH_DT + timedelta(days=days)
    except (OverflowError, ValueError):
        return None


def format_date(d: date) -> str:
    return f"{d.year:04d}-{d.month:02d}-{d.day:02d}"


def format_datetime(dt: datetime) -> str:
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    off = dt.utcoffset() or timedelta(0)
    sign = "-" if off < timedelta(0) else "+"
    minutes = abs(int(off.total_seconds())) // 60
    return (
        f"{format_date(dt)}T{dt.hour:02d}:{dt.minute:02d}:{dt.second:02d}.{dt.microsecond // 1000:03d}"
        f"{sign}{minutes // 60:02d}:{minutes % 60:02d}"
    )


def local_now(ctx) -> datetime:
    """ctx.now seen in ctx.tz. A naive ctx.now is taken to be UTC."""
    now = ctx.now if ctx.now.tzinfo is not None else ctx.now.replace(tzinfo=UTC)
    try:
        zone = ZoneInfo(ctx.tz or "UTC")
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ExpressionError(f"Unknown time zone '{ctx.tz}'", "bad_timezone") from exc
    return now.astimezone(zone)


_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
_DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]


def strftime_odk(dt: datetime, pattern: str) -> str:
    """ODK format-date directives; English names; unknown directives are copied as written."""
    out: list[str] = []
    i = 0
    while i < len(pattern):
        ch = pattern[i]
        if ch != "%" or i + 1 >= len(pattern):
            out.append(ch)
            i += 1
            continue
        d = pattern[i + 1]
        i += 2
        table = {
            "Y": f"{dt.year:04d}",
            "y": f"{dt.year % 100:02d}",
            "m": f"{dt.month:02d}",
            "n": str(dt.month),
            "b": _MONTHS[dt.month - 1],
            "d": f"{dt.day:02d}",
            "e": str(dt.day),
            "H": f"{dt.hour:02d}",
            "h": str(dt.hour),
            "M": f"{dt.minute:02d}",
            "S": f"{dt.second:02d}",
            "3": f"{dt.microsecond // 1000:03d}",
            "a": _DAYS[dt.weekday()],
            "%": "%",
        }
        out.append(table.get(d, "%" + d))
    return "".join(out)
