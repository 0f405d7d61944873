"""Score a pair of records against a record type's duplicate rules, with a reason per field.

Rules are pack data (duplicates.yaml → effective config "duplicate_rules"):

    {"threshold": 0.8, "fields": [{"key": "name_first", "method": "name", "weight": 3}, ...]}

Each method compares one field and returns (score in [0, 1], why) or None when either side has no
value; missing fields leave the comparison rather than count against it. The total is a weighted
mean in which a clear disagreement (score < 0.5) weighs double: two siblings share a surname,
caregiver, village and often a birth year, and the one field where they differ must be able to
outweigh all of that.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import permutations
from typing import Any

from kinga.core.registry import Registry

from . import dates, names
from .blocking import blocking_fields

DISAGREEMENT = 0.5

Comparison = tuple[float, str] | None
Method = Callable[[dict, dict, dict, "Context"], Comparison]
methods: Registry[Method] = Registry("duplicate method")


@dataclass
class Context:
    """What a method may need beyond the two data dicts."""

    location_parents: dict[str, str] = field(default_factory=dict)
    on_a: dt.date | None = None  # registration dates, for ages
    on_b: dt.date | None = None


@dataclass
class Reason:
    field: str
    method: str
    score: float
    detail: str
    weight: float

    def as_dict(self) -> dict:
        return {"field": self.field, "method": self.method, "score": self.score, "detail": self.detail}


@dataclass
class Match:
    score: float
    reasons: list[Reason]

    def reasons_dicts(self) -> list[dict]:
        return [r.as_dict() for r in self.reasons]


def _present(value: Any) -> bool:
    return value not in (None, "", [], {})


@methods.register("name")
def _name(rule: dict, a: dict, b: dict, ctx: Context) -> Comparison:
    va, vb = a.get(rule["key"]), b.get(rule["key"])
    if not (_present(va) and _present(vb)):
        return None
    return names.compare_names(str(va), str(vb))


def _estimated(rule: dict, data: dict) -> bool:
    return bool(data.get(rule.get("estimated_field") or f"{rule['key']}_estimated"))


@methods.register("date")
def _date(rule: dict, a: dict, b: dict, ctx: Context) -> Comparison:
    """A date of birth; when one side has only an age, compare that age with the other side."""
    key, age_key = rule["key"], rule.get("age_field", "age")
    va, vb = a.get(key), b.get(key)
    if _present(va) and _present(vb):
        return dates.compare_dates(va, vb, estimated_a=_estimated(rule, a), estimated_b=_estimated(rule, b))
    if _present(va) and _present(b.get(age_key)):
        return dates.compare_age_with_dob(b[age_key], va, ctx.on_b)
    if _present(vb) and _present(a.get(age_key)):
        return dates.compare_age_with_dob(a[age_key], vb, ctx.on_a)
    if _present(a.get(age_key)) and _present(b.get(age_key)):
        return dates.compare_ages(a[age_key], b[age_key])
    return None


@methods.register("age")
def _age(rule: dict, a: dict, b: dict, ctx: Context) -> Comparison:
    key, dob_key = rule["key"], rule.get("dob_field", "date_of_birth")
    va, vb = a.get(key), b.get(key)
    if _present(va) and _present(vb):
        return dates.compare_ages(va, vb)
    if _present(va) and _present(b.get(dob_key)):
        return dates.compare_age_with_dob(va, b[dob_key], ctx.on_a)
    if _present(vb) and _present(a.get(dob_key)):
        return dates.compare_age_with_dob(vb, a[dob_key], ctx.on_b)
    return None


def _norm(value: Any) -> Any:
    if isinstance(value, list):
        return frozenset(_norm(v) for v in value)
    if isinstance(value, str):
        return names.fold(value) or value.strip().lower()
    return value


@methods.register("exact")
def _exact(rule: dict, a: dict, b: dict, ctx: Context) -> Comparison:
    va, vb = a.get(rule["key"]), b.get(rule["key"])
    if not (_present(va) and _present(vb)):
        return None
    return (1.0, "same") if _norm(va) == _norm(vb) else (0.0, "different")


def _ancestors(code: str, parents: dict[str, str]) -> list[str]:
    chain, seen = [code], {code}
    while (code := parents.get(code)) and code not in seen:
        chain.append(code)
        seen.add(code)
    return chain


@methods.register("location")
def _location(rule: dict, a: dict, b: dict, ctx: Context) -> Comparison:
    """Location codes in the pack's hierarchy: the same place, one inside the other, or neighbours."""
    va, vb = a.get(rule["key"]), b.get(rule["key"])
    if not (_present(va) and _present(vb)):
        return None
    va, vb = str(va), str(vb)
    if va == vb:
        return 1.0, "same place"
    ca, cb = _ancestors(va, ctx.location_parents), _ancestors(vb, ctx.location_parents)
    if va in cb or vb in ca:
        return 0.8, "one place lies within the other"
    common = next((i for i, code in enumerate(ca) if code in cb), None)
    if common == 1 and cb.index(ca[1]) == 1:
        return 0.6, "neighbouring places (same parent area)"
    if common is not None and common <= 2:
        return 0.4, "same wider area"
    # A moved family is common in displacement; a different place is weak evidence either way.
    return 0.3, "different places"


def _identity_names(keys: list[str], a: dict, b: dict) -> dict[str, Comparison]:
    """Compare the person's own name fields allowing them to be written in another order
    ("Mbuyi Isaac" / "Isaac Mbuyi"): the best one-to-one assignment of fields wins."""
    va = [str(a[k]) if _present(a.get(k)) else None for k in keys]
    vb = [str(b[k]) if _present(b.get(k)) else None for k in keys]
    best: dict[str, Comparison] = {}
    best_total = -1.0
    for order in permutations(range(len(keys))):
        results: dict[str, Comparison] = {}
        total = 0.0
        for i, j in enumerate(order):
            if va[i] is None or vb[j] is None:
                results[keys[i]] = None
                continue
            score, why = names.compare_names(va[i], vb[j])
            if i != j:
                why = f"{why} (written as {keys[j]})"
            results[keys[i]] = (score, why)
            total += score
        if total > best_total + 1e-9:  # ties keep the straight order (tried first)
            best, best_total = results, total
    return best


def score_pair(rules: dict, a: dict, b: dict, ctx: Context | None = None, *, cutoff: float = 0.0) -> Match:
    """Score a pair. With `cutoff`, a pair whose names alone already keep it below the cutoff (even if
    every other field agreed) returns early with that upper bound and the name reasons only."""
    ctx = ctx or Context()
    reasons: list[Reason] = []
    num = den = total = 0.0
    identity = blocking_fields(rules)
    swapped = _identity_names(identity, a, b) if 1 < len(identity) <= 3 else {}
    if cutoff and swapped:
        bound = _upper_bound(rules, swapped)
        if bound < cutoff:
            return Match(round(bound, 3), [])
    for rule in rules.get("fields", []):
        weight = float(rule.get("weight", 1))
        total += weight
        if rule["key"] in swapped:
            result = swapped[rule["key"]]
        else:
            result = methods.get(rule["method"])(rule, a, b, ctx)
        if result is None:
            continue
        score, why = result
        reasons.append(Reason(rule["key"], rule["method"], round(score, 3), why, weight))
        num += weight * score
        den += weight * (2 if score < DISAGREEMENT else 1)
    if not den:
        return Match(0.0, reasons)
    coverage = sum(r.weight for r in reasons) / total if total else 0.0
    # Little shared information means less certainty, not a worse match.
    score = num / den * min(1.0, 0.6 + 0.6 * coverage)
    return Match(round(score, 3), reasons)


def _upper_bound(rules: dict, names_done: dict[str, Comparison]) -> float:
    num = den = 0.0
    for rule in rules.get("fields", []):
        weight = float(rule.get("weight", 1))
        result = names_done[rule["key"]] if rule["key"] in names_done else (1.0, "")  # others: best case
        if result is None:
            continue
        num += weight * result[0]
        den += weight * (2 if result[0] < DISAGREEMENT else 1)
    return num / den if den else 0.0


def threshold(rules: dict) -> float:
    return float(rules.get("threshold", 0.8))


def person_name_fields(rules: dict) -> list[str]:
    return [r["key"] for r in rules.get("fields", []) if r.get("method") == "name"]


def date_fields(rules: dict) -> list[dict]:
    return [r for r in rules.get("fields", []) if r.get("method") in ("date", "age")]
