"""Helpers shared by several field types (the leading underscore keeps it out of the type registry)."""

from __future__ import annotations

import math
import re
from datetime import UTC, date, datetime
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from .base import FieldValueError

_INT_RE = re.compile(r"-?\d+")
_DEC_RE = re.compile(r"-?(\d+(\.\d*)?|\.\d+)")
_DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")


def is_empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def params(field: dict) -> dict:
    return field.get("params") or {}


def to_number(raw: Any, *, integer: bool) -> int | float:
    """JSON numbers, or strings holding one exactly (offline clients and CSV back-entry send strings)."""
    if isinstance(raw, bool):
        raise FieldValueError("invalid_number", "Enter a number.")
    if isinstance(raw, str):
        text = raw.strip()
        if integer and _INT_RE.fullmatch(text):
            return int(text)
        if not integer and _DEC_RE.fullmatch(text):
            value = float(text)
            return int(value) if value.is_integer() and "." not in text else value
        raise FieldValueError("invalid_integer" if integer else "invalid_number", "Enter a number.")
    if isinstance(raw, int):
        return raw
    if isinstance(raw, float) and math.isfinite(raw):
        if integer:
            if raw.is_integer():
                return int(raw)
            raise FieldValueError("invalid_integer", "Enter a whole number.")
        return raw
    raise FieldValueError("invalid_integer" if integer else "invalid_number", "Enter a number.")


def check_range(value: int | float, field: dict) -> list[FieldValueError]:
    p = params(field)
    issues = []
    if p.get("min") is not None and value < p["min"]:
        issues.append(FieldValueError("min_value", f"Must be at least {p['min']}.", min=p["min"]))
    if p.get("max") is not None and value > p["max"]:
        issues.append(FieldValueError("max_value", f"Must be at most {p['max']}.", max=p["max"]))
    return issues


def parse_date(raw: Any) -> date:
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    if isinstance(raw, str) and _DATE_RE.fullmatch(raw.strip()):
        try:
            return date.fromisoformat(raw.strip())
        except ValueError:
            pass
    raise FieldValueError("invalid_date", "Enter a date as YYYY-MM-DD.")


def parse_datetime(raw: Any, tz: str = "UTC") -> datetime:
    """ISO 8601; a value without an offset is read in the user's time zone. Stored in UTC."""
    if isinstance(raw, datetime):
        value = raw
    elif isinstance(raw, str) and len(raw.strip()) >= 16:
        try:
            value = datetime.fromisoformat(raw.strip().replace("z", "Z"))
        except ValueError:
            raise FieldValueError("invalid_datetime", "Enter a date and time (ISO 8601).") from None
    else:
        raise FieldValueError("invalid_datetime", "Enter a date and time (ISO 8601).")
    if value.tzinfo is None:
        value = value.replace(tzinfo=zone(tz))
    return value.astimezone(UTC)


def format_datetime(value: datetime) -> str:
    return value.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


@lru_cache(maxsize=64)
def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name or "UTC")
    except Exception:  # unknown zone names fall back to UTC rather than failing a save
        return ZoneInfo("UTC")


def ctx_now(ctx: Any) -> datetime:
    now = getattr(ctx, "now", None)
    return now if now is not None else datetime.now(UTC)


def ctx_today(ctx: Any) -> date:
    return ctx_now(ctx).astimezone(zone(getattr(ctx, "tz", "UTC") or "UTC")).date()


@lru_cache(maxsize=256)
def compiled_pattern(pattern: str) -> re.Pattern:
    return re.compile(pattern)


def check_text(value: str, field: dict) -> list[FieldValueError]:
    p = params(field)
    issues = []
    if p.get("min_length") is not None and len(value) < p["min_length"]:
        issues.append(
            FieldValueError(
                "min_length", f"Enter at least {p['min_length']} characters.", min=p["min_length"]
            )
        )
    if p.get("max_length") is not None and len(value) > p["max_length"]:
        issues.append(
            FieldValueError("max_length", f"Enter at most {p['max_length']} characters.", max=p["max_length"])
        )
    if p.get("pattern") and not compiled_pattern(p["pattern"]).fullmatch(value):
        issues.append(FieldValueError("pattern", "The value does not have the expected format."))
    return issues


def clean_text(raw: Any) -> str | None:
    if isinstance(raw, bool) or not isinstance(raw, str | int | float):
        raise FieldValueError("invalid_text", "Enter text.")
    text = str(raw).strip()
    return text or None


def option_label(value: str, field: dict, lang: str) -> str:
    """Label of an option for exports: inline options, else the active configuration's lookup."""
    options = field.get("options")
    if options is None and field.get("lookup"):
        try:
            from kinga.configpacks.runtime import get_active

            config = get_active()
            options = config.lookup(field["lookup"])["options"]
        except Exception:  # no active configuration (e.g. offline export tooling): codes still export
            return value
        for option in options:
            if option["code"] == value:
                return config.text(option.get("label"), lang) or value
        return value
    for option in options or []:
        if option["code"] == value:
            label = option.get("label")
            if isinstance(label, dict):
                return label.get(lang) or next(iter(label.values()), value)
            return label or value
    return value


NUMBER_PARAMS = {
    "type": "object",
    "additionalProperties": False,
    "properties": {"min": {"type": "number"}, "max": {"type": "number"}},
}

# Date limits are literals or "today"/"now" (evaluated at save time in the user's time zone).
DATE_LIMIT = {"type": "string", "pattern": r"^(today|\d{4}-\d{2}-\d{2})$"}
DATETIME_LIMIT = {"type": "string", "pattern": r"^(now|\d{4}-\d{2}-\d{2}T.+)$"}
