"""Aggregates: what a KPI kind does with the units records contribute. One per result shape.

Each has `add(unit)`, `n` (how many units the cell is made of, for small-cell suppression) and
`result() -> (value, detail)`. A unit is added once per record (or row) to the total and once to
every breakdown cell it falls in, so set-based counts stay unique in the total even when one record
sits in several cells (a case with two concerns).
"""

from __future__ import annotations

import statistics
from collections import Counter
from typing import Any


def _round(x: float | None, places: int = 1) -> float | None:
    return None if x is None else round(x, places)


class Aggregate:
    def add(self, unit: Any) -> None:
        raise NotImplementedError

    @property
    def n(self) -> int:
        raise NotImplementedError

    def result(self) -> tuple[Any, dict]:
        raise NotImplementedError


class DistinctCount(Aggregate):
    """Counts distinct units: record ids, person ids (unique children) or (record, row) pairs."""

    def __init__(self) -> None:
        self.seen: set = set()

    def add(self, unit) -> None:
        self.seen.add(unit)

    @property
    def n(self) -> int:
        return len(self.seen)

    def result(self):
        return len(self.seen), {}


class Percent(Aggregate):
    """Units are booleans (numerator true/false) over the denominator population."""

    def __init__(self) -> None:
        self.numerator = 0
        self.denominator = 0

    def add(self, unit: bool) -> None:
        self.denominator += 1
        self.numerator += bool(unit)

    @property
    def n(self) -> int:
        return self.denominator

    def result(self):
        value = _round(100.0 * self.numerator / self.denominator) if self.denominator else None
        return value, {"numerator": self.numerator, "denominator": self.denominator}


class DeadlineCompliance(Aggregate):
    """Units are deadline states; on time = met / (met + late + overdue). Pending is not counted."""

    def __init__(self) -> None:
        self.states: Counter = Counter()

    def add(self, unit: str) -> None:
        self.states[unit] += 1

    @property
    def n(self) -> int:
        return self.states["met"] + self.states["late"] + self.states["overdue"]

    def result(self):
        value = _round(100.0 * self.states["met"] / self.n) if self.n else None
        return value, {s: self.states[s] for s in ("met", "late", "overdue", "pending")}


class Days(Aggregate):
    """Units are numbers of days; the value is the median (mean and n in the detail)."""

    def __init__(self) -> None:
        self.values: list[float] = []

    def add(self, unit: float) -> None:
        self.values.append(unit)

    @property
    def n(self) -> int:
        return len(self.values)

    def result(self):
        if not self.values:
            return None, {"median": None, "mean": None, "n": 0}
        median = _round(statistics.median(self.values))
        return median, {
            "median": median,
            "mean": _round(statistics.fmean(self.values)),
            "n": len(self.values),
        }


class Caseload(Aggregate):
    """Units are owner ids (one per record); the value is the mean number of records per owner."""

    def __init__(self) -> None:
        self.per_owner: Counter = Counter()

    def add(self, unit) -> None:
        self.per_owner[unit] += 1

    @property
    def n(self) -> int:
        return sum(self.per_owner.values())

    def result(self):
        owners = len(self.per_owner)
        value = _round(self.n / owners) if owners else None
        counts = sorted(self.per_owner.values())
        return value, {
            "owners": owners,
            "records": self.n,
            "median": _round(statistics.median(counts)) if counts else None,
            "max": counts[-1] if counts else None,
        }
