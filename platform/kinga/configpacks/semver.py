"""A tiny semantic-version matcher for `extends: "<pack id> <range>"` (no dependency needed).

Ranges: comma- or space-separated comparators (>=1.0,<2), caret ^1.2 (same major; same minor when
major is 0), tilde ~1.2 (same minor), wildcards 1.x / 1.2.* / *, and exact versions (1.2.3 or =1.2.3).
"""

from __future__ import annotations

import re

_VERSION = re.compile(r"^(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:[-+][0-9A-Za-z.-]+)?$")
_PART = re.compile(r"^(>=|<=|>|<|=|\^|~)?\s*v?(\d+|[xX*])(?:\.(\d+|[xX*]))?(?:\.(\d+|[xX*]))?$")

Version = tuple[int, int, int]


class RangeError(ValueError):
    pass


def parse_version(text: str) -> Version:
    m = _VERSION.match(str(text).strip())
    if not m:
        raise RangeError(text)
    return tuple(int(g or 0) for g in m.groups()[:3])  # type: ignore[return-value]


def _comparators(part: str) -> list[tuple[str, Version]]:
    m = _PART.match(part)
    if not m:
        raise RangeError(part)
    op, *raw = m.groups()
    wild = [p is None or p in "xX*" for p in raw]
    nums = [0 if w else int(p) for p, w in zip(raw, wild, strict=True)]
    major, minor, patch = nums
    # How many leading parts were given as numbers: 1.x -> 1, 1.2 -> 2, 1.2.3 -> 3.
    given = next((i for i, w in enumerate(wild) if w), 3)
    if op in (None, "="):
        if given == 3:
            return [("=", (major, minor, patch))]
        if given == 0:
            return []
        upper = (major + 1, 0, 0) if given == 1 else (major, minor + 1, 0)
        return [(">=", (major, minor, 0)), ("<", upper)]
    if op == "^":
        if major > 0 or given == 1:
            upper = (major + 1, 0, 0)
        elif minor > 0 or given == 2:
            upper = (0, minor + 1, 0)
        else:
            upper = (0, 0, patch + 1)
        return [(">=", (major, minor, patch)), ("<", upper)]
    if op == "~":
        upper = (major + 1, 0, 0) if given == 1 else (major, minor + 1, 0)
        return [(">=", (major, minor, patch)), ("<", upper)]
    return [(op, (major, minor, patch))]


def parse_range(text: str) -> list[tuple[str, Version]]:
    text = str(text).strip()
    if not text:
        raise RangeError(text)
    # Allow ">= 1.0" (space after the operator) as well as "a,b" and "a b".
    text = re.sub(r"(>=|<=|>|<|=|\^|~)\s+", r"\1", text)
    parts = [p for p in re.split(r"[,\s]+", text) if p]
    out: list[tuple[str, Version]] = []
    for part in parts:
        out.extend(_comparators(part))
    return out


_OPS = {
    "=": lambda a, b: a == b,
    ">=": lambda a, b: a >= b,
    "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b,
    "<": lambda a, b: a < b,
}


def satisfies(version: str | Version, range_text: str) -> bool:
    v = parse_version(version) if isinstance(version, str) else version
    return all(_OPS[op](v, bound) for op, bound in parse_range(range_text))
