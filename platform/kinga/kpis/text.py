"""Translatable text and date helpers shared by KPI kinds and breakdowns."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.utils import timezone


def translate(value: Any, lang: str | None, config_data: dict | None = None) -> str:
    """Pick a translation with fallback: requested language → pack default → English → any
    (the same rule as ActiveConfig.text, for callers holding a config dict)."""
    if value is None:
        return ""
    if not isinstance(value, dict):
        return str(value)
    default = (config_data or {}).get("default_language", "en")
    for candidate in (lang, default, "en"):
        if candidate and value.get(candidate):
            return value[candidate]
    return next((v for v in value.values() if v), "")


def local_date(value: date | datetime) -> date:
    if isinstance(value, datetime):
        return timezone.localtime(value, timezone.get_default_timezone()).date()
    return value


def days_between(start: date | datetime | None, end: date | datetime | None) -> float | None:
    """Elapsed days; exact (fractional) between two date-times, whole calendar days (deployment time
    zone) as soon as one side is a date only."""
    if start is None or end is None:
        return None
    if isinstance(start, datetime) and isinstance(end, datetime):
        return (end - start).total_seconds() / 86400.0
    return float((local_date(end) - local_date(start)).days)
