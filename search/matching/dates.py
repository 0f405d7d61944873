"""Date-of-birth comparison for duplicate detection.

Dates of birth in the field are often unknown, estimated ("about 8"), written day-first by one worker
and month-first by another, or only a year. Each comparison returns (score, why) so the reviewer sees
the reason, not just a number.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

_ISO = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?")


@lru_cache(maxsize=65536)
def parse(value) -> tuple[int, int | None, int | None] | None:
    """(year, month, day) from an ISO date, datetime, "YYYY-MM" or "YYYY"; None when unusable."""
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.year, value.month, value.day
    if isinstance(value, int):
        return (value, None, None) if 1900 <= value <= 2100 else None
    m = _ISO.match(str(value).strip())
    if not m:
        return None
    year = int(m.group(1))
    month = int(m.group(2)) if m.group(2) else None
    day = int(m.group(3)) if m.group(3) else None
    if month is not None and not 1 <= month <= 12:
        return None
    return year, month, day


def _as_date(parts) -> dt.date | None:
    year, month, day = parts
    if month is None or day is None:
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def birth_year(dob=None, age=None, on: dt.date | None = None) -> int | None:
    """The birth year from a date of birth, else estimated from an age at `on` (registration day)."""
    parts = parse(dob)
    if parts:
        return parts[0]
    try:
        years = int(float(age))
    except (TypeError, ValueError):
        return None
    if not 0 <= years <= 120:
        return None
    return (on or dt.date.today()).year - years


def compare_dates(a, b, *, estimated_a: bool = False, estimated_b: bool = False) -> tuple[float, str]:
    pa, pb = parse(a), parse(b)
    if not pa or not pb:
        return 0.0, "missing"
    if pa == pb and pa[1] is not None and pa[2] is not None:
        return (0.9, "same (estimated)") if estimated_a or estimated_b else (1.0, "same")
    ya, yb = pa[0], pb[0]
    da, db = _as_date(pa), _as_date(pb)
    if da and db:
        if ya == yb and pa[1] == pb[2] and pa[2] == pb[1]:
            return 0.9, "day and month swapped"
        days = abs((da - db).days)
        if estimated_a or estimated_b:
            # An estimated date is usually 1 January or mid-year of a guessed year.
            if days <= 366:
                return 0.75, "within a year (estimated)"
            if days <= 731:
                return 0.45, "within two years (estimated)"
            return 0.0, f"{days // 365} years apart"
        if days <= 3:
            return 0.85, f"{days} days apart"
        if days <= 31:
            return 0.7, f"{days} days apart"
        if ya == yb and pa[2] == pb[2]:
            return 0.6, "same day and year, month differs"
        if pa[1:] == pb[1:] and abs(ya - yb) == 1:
            return 0.55, "same day and month, year differs by one"
        if days <= 366:
            return 0.35, "within a year"
        return 0.0, f"{days // 365} years apart"
    # At least one side is a year (or year-month) only.
    if ya == yb:
        return 0.7, "same year (one date is partial)"
    if abs(ya - yb) == 1:
        return 0.4, "year differs by one (one date is partial)"
    return 0.0, "different years"


def compare_ages(age_a, age_b) -> tuple[float, str]:
    try:
        a, b = float(age_a), float(age_b)
    except (TypeError, ValueError):
        return 0.0, "missing"
    diff = abs(a - b)
    if diff < 0.5:
        return 0.8, "same age"  # an age alone is weak: many children share it
    if diff <= 1:
        return 0.6, "age differs by one year"
    if diff <= 2:
        # Estimated ages are often two years out: not agreement, but not evidence against either.
        return 0.5, "age differs by two years"
    return 0.0, f"ages {int(diff)} years apart"


def compare_age_with_dob(age, dob, on: dt.date | None = None) -> tuple[float, str]:
    """An estimated age on one record against a date of birth on the other."""
    year = birth_year(dob=dob)
    if year is None:
        return 0.0, "missing"
    try:
        years = float(age)
    except (TypeError, ValueError):
        return 0.0, "missing"
    on = on or dt.date.today()
    parts = parse(dob)
    implied = on.year - year
    if parts and parts[1] and parts[2] and (on.month, on.day) < (parts[1], parts[2]):
        implied -= 1  # birthday not reached yet that year
    score, _ = compare_ages(years, implied)
    return min(score, 0.7), f"age {int(years)} vs date of birth (age {implied})"
