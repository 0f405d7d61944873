"""Value model and coercions (documented rule by rule in docs/expressions.md).

Values are: None, bool, int, float, str, date/datetime objects (from data only), plain lists
(a multi-select answer: a list of choice codes) and NodeSet (one field's values across subform rows,
or the rows of a subform). A plain list behaves like ODK's space-separated multi-select string; a
NodeSet behaves like an XPath node-set.
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime
from decimal import Decimal

from .dates import days_since_epoch, format_date, format_datetime, parse_temporal

MAX_SAFE_INTEGER = 2**53
_NUMBER_RE = re.compile(r"[ \t\r\n]*(-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+))[ \t\r\n]*")


class NodeSet(list):
    """Values of one field across subform rows (or the rows of a subform)."""


def is_bool(v) -> bool:
    return isinstance(v, bool)


def is_empty(v) -> bool:
    if v is None:
        return True
    if isinstance(v, str | list):
        return len(v) == 0
    if isinstance(v, float):
        return not math.isfinite(v)
    return False


def normalize(x: float | int | None) -> int | float | None:
    """Computed numbers: non-finite -> None; integral (within 2**53) -> int; -0 -> 0."""
    if x is None or isinstance(x, bool):
        return x
    if isinstance(x, int):
        return x
    if not math.isfinite(x):
        return None
    if x.is_integer() and abs(x) <= MAX_SAFE_INTEGER:
        return int(x)
    return x


def to_bool(v) -> bool:
    """XPath truthiness: empty, 0 and NaN are false; any non-empty string (even 'false') is true."""
    if v is None:
        return False
    if isinstance(v, bool):
        return v
    if isinstance(v, int):
        return v != 0
    if isinstance(v, float):
        return math.isfinite(v) and v != 0 or math.isinf(v)
    if isinstance(v, str | list):
        return len(v) > 0
    return True


def to_number(v) -> float | None:
    """A float, or None when the value is empty or not a number (where XPath would give NaN)."""
    if isinstance(v, bool):
        return 1.0 if v else 0.0
    if isinstance(v, int):
        try:
            return float(v)
        except OverflowError:
            return None
    if isinstance(v, float):
        return v if math.isfinite(v) else None
    if isinstance(v, Decimal):  # e.g. from a database numeric column
        return to_number(float(v))
    if isinstance(v, str):
        m = _NUMBER_RE.fullmatch(v)
        if m:
            return float(m[1])
        t = parse_temporal(v)
        return float(days_since_epoch(t)) if t is not None else None
    if isinstance(v, NodeSet):
        return to_number(v[0]) if v else None
    if isinstance(v, list):
        return to_number(to_str(v))
    if isinstance(v, date):
        return float(days_since_epoch(parse_temporal(v)))
    return None


def format_number(x: int | float) -> str:
    """Shortest round-trip digits in plain positional notation (no exponent), as XPath string()."""
    if isinstance(x, int):
        return str(x)
    if not math.isfinite(x):
        return ""
    if x == 0:
        return "0"
    text = format(Decimal(repr(x)), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def to_str(v) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int | float):
        return format_number(v)
    if isinstance(v, str):
        return v
    if isinstance(v, Decimal):
        return format_number(normalize(float(v))) if v.is_finite() else ""
    if isinstance(v, NodeSet):
        return to_str(v[0]) if v else ""
    if isinstance(v, list):
        return " ".join(to_str(x) for x in v)
    if isinstance(v, datetime):
        return format_datetime(parse_temporal(v))
    if isinstance(v, date):
        return format_date(v)
    return ""


def items(v) -> list:
    """The individual values an aggregate sees: a NodeSet's members, a multi-select's codes, or the
    value itself."""
    if isinstance(v, list):
        return list(v)
    return [v]


def wrap(v):
    """A data value as the evaluator sees it: a list of row objects becomes a NodeSet of rows."""
    if isinstance(v, list) and v and all(isinstance(x, dict) for x in v):
        return NodeSet(v)
    return v
