"""Score a pair of records against a record type's duplicate rules, with a reason per field.

Rules are pack data (duplicates.yaml → effective config "duplicate_rules"):

    {"threshold": 0.8, "fields": [{"key": "name_first", "method": "name", "weight": 3}, ...]}

Each method compares one field and returns (score in [0, 1], why) or None when either side has no
value; missing fields leave the comparison rather than count against it. The total is a weighted
mean in which a clear disagreement (score < 0.5) weighs double: two siblings share a surname,
caregiver, village and often a birth year, and the one field where they differ must be able to
outweigh all of that.

The person's own name fields get two adjustments (`_adjust_person_names`): within one family a name
that only sounds alike is a different name and a clear disagreement weighs triple, and agreement on
a common name (by its share of records, `NameFrequencies`) is weaker evidence than on a rare one.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from itertools import permutations
from typing import Any

from kinga.core.registry import Registry

from . import dates, names
from .blocking import blocking_fields

DISAGREEMENT = 0.5
AGREEMENT = 0.85  # a name score from here up is agreement (same, variant, nickname, typo, sounds alike)
FAMILY_AGREEMENT = 0.9  # another of the person's names agreeing this well puts a pair in one family
SIBLING_DISAGREEMENT = 3.0  # weight of a clear name disagreement within one family (2 elsewhere)

# Name frequency (Fellegi-Sunter u-probability): the share of records carrying a name. At or below
# RARE_SHARE agreement is full evidence; from there to COMMON_SHARE (log scale) the agreeing score is
# lowered by up to COMMON_DISCOUNT. Not applied below MIN_RECORDS records (no reliable estimate).
RARE_SHARE = 0.001
COMMON_SHARE = 0.05
COMMON_DISCOUNT = 0.2
MIN_RECORDS = 1000

Comparison = tuple[float, str] | None
Compared = tuple[float, str, str, str] | None  # score, why, value compared on each side
Scored = tuple[float, str, float] | None  # score, why, weight multiplier when it disagrees
Method = Callable[[dict, dict, dict, "Context"], Comparison]
methods: Registry[Method] = Registry("duplicate method")


class NameFrequencies:
    """How many records carry each name key (the phonetic skeleton of blocking, so spellings of one
    name count together), out of `records`. Built from the stored blocking keys."""

    def __init__(self, counts: dict[str, int], records: int):
        self.counts, self.records = counts, records
        self._shares: dict[str, float | None] = {}

    @classmethod
    def from_year_keys(cls, rows: Iterable[tuple[str, int]], records: int) -> NameFrequencies:
        """From (name × birth-year key, number of records) rows: "b:<name key>:<year>" (blocking.py)."""
        counts: dict[str, int] = {}
        for key, n in rows:
            parts = key.split(":")
            if len(parts) == 3 and parts[0] == "b":
                counts[parts[1]] = counts.get(parts[1], 0) + n
        return cls(counts, records)

    def share_of(self, value: str) -> float | None:
        """Share of records carrying this name (a value of several tokens: the product)."""
        if self.records < MIN_RECORDS:
            return None
        if value in self._shares:
            return self._shares[value]
        share = None
        for key in names.name_keys(value):
            n = self.counts.get(key)
            if n:
                share = (share or 1.0) * min(1.0, n / self.records)
        if len(self._shares) < 200_000:
            self._shares[value] = share
        return share

    def share(self, a: str, b: str) -> float | None:
        """The larger share of the two values: agreeing on a misspelt common name is still agreeing
        on a common name."""
        shares = [s for s in (self.share_of(a), self.share_of(b)) if s is not None]
        return max(shares) if shares else None


def commonness_factor(share: float | None) -> float:
    """1.0 for a rare (or unknown) name, down to 1 - COMMON_DISCOUNT for a very common one."""
    if not share or share <= RARE_SHARE:
        return 1.0
    span = math.log(COMMON_SHARE / RARE_SHARE)
    return 1.0 - COMMON_DISCOUNT * min(1.0, math.log(share / RARE_SHARE) / span)


@dataclass
class Context:
    """What a method may need beyond the two data dicts."""

    location_parents: dict[str, str] = field(default_factory=dict)
    on_a: dt.date | None = None  # registration dates, for ages
    on_b: dt.date | None = None
    name_frequency: NameFrequencies | None = None  # None: every name counts as rare


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


def _identity_names(keys: list[str], a: dict, b: dict) -> dict[str, Compared]:
    """Compare the person's own name fields allowing them to be written in another order
    ("Mbuyi Isaac" / "Isaac Mbuyi"): the best one-to-one assignment of fields wins. Each result
    carries the two values compared, for the reasons."""
    va = [str(a[k]) if _present(a.get(k)) else None for k in keys]
    vb = [str(b[k]) if _present(b.get(k)) else None for k in keys]
    best: dict[str, Compared] = {}
    best_total = -1.0
    for order in permutations(range(len(keys))):
        results: dict[str, Compared] = {}
        total = 0.0
        for i, j in enumerate(order):
            if va[i] is None or vb[j] is None:
                results[keys[i]] = None
                continue
            score, why = names.compare_names(va[i], vb[j])
            if i != j:
                why = f"{why} (written as {keys[j]})"
            results[keys[i]] = (score, why, va[i], vb[j])
            total += score
        if total > best_total + 1e-9:  # ties keep the straight order (tried first)
            best, best_total = results, total
    return best


def _family_context(
    rules: dict, identity: list[str], found: dict[str, Compared], a: dict, b: dict, ctx: Context
) -> bool:
    """Another of the person's names agrees and every family name present (caregiver, inquirer:
    name rules that do not identify the person) agrees: the pair is at least from one family."""
    if not any(r is not None and r[0] >= FAMILY_AGREEMENT for r in found.values()):
        return False
    family = [r for r in rules.get("fields", []) if r.get("method") == "name" and r["key"] not in identity]
    compared = [methods.get("name")(r, a, b, ctx) for r in family]
    compared = [c for c in compared if c is not None]
    return bool(compared) and all(c[0] >= AGREEMENT for c in compared)


def _same_script(a: str, b: str) -> bool:
    """Both values Latin, or both not: across scripts a phonetic match is how transliteration shows
    ("Samira"/"سميرة"), so it stays evidence even within one family."""
    return _latin(a) == _latin(b)


def _latin(value: str) -> bool:
    return all(ord(ch) < 0x250 for ch in value if ch.isalpha())


def _compare_person_names(identity: list[str], a: dict, b: dict) -> dict[str, Compared]:
    if 1 < len(identity) <= 3:
        return _identity_names(identity, a, b)
    found: dict[str, Compared] = {}
    for key in identity:
        va, vb = a.get(key), b.get(key)
        both = _present(va) and _present(vb)
        found[key] = (*names.compare_names(str(va), str(vb)), str(va), str(vb)) if both else None
    return found


def _adjust_person_names(
    rules: dict, identity: list[str], found: dict[str, Compared], a: dict, b: dict, ctx: Context
) -> dict[str, Scored]:
    """The person's name scores, with the two adjustments names need beyond spelling:

    * between children of one family (another name and the caregiver agree), names that only sound
      alike are different names, and a clear disagreement weighs triple (SIBLING_DISAGREEMENT):
      siblings are given names like "Ayen"/"Awino", and the first name is the one field where they
      differ. Typos, variants, nicknames, cognates and other scripts still agree;
    * agreement on a common name is weaker evidence than agreement on a rare one (the
      Fellegi-Sunter u-probability): its score is lowered by up to COMMON_DISCOUNT.
    """
    out: dict[str, Scored] = {key: None if r is None else (r[0], r[1], 2.0) for key, r in found.items()}
    family: bool | None = None  # worked out when first needed
    for key, result in found.items():
        if result is None:
            continue
        score, why, va, vb = result
        double = 2.0
        doubtful = score < DISAGREEMENT or why.startswith(("sounds alike", "similar spelling"))
        if doubtful and len(found) > 1 and _same_script(va, vb):
            if family is None:
                family = _family_context(rules, identity, found, a, b, ctx)
            if family:
                strict = names.compare_names(va, vb, False)[0] if score >= DISAGREEMENT else score
                if strict < AGREEMENT:
                    out[key] = (
                        strict,
                        f"names differ: {va} vs {vb} (likely siblings: other names and caregiver agree)",
                        SIBLING_DISAGREEMENT,
                    )
                    continue
        if score >= AGREEMENT and ctx.name_frequency is not None:
            share = ctx.name_frequency.share(va, vb)
            factor = commonness_factor(share)
            if factor < 1.0:
                score *= factor
                why = f"{why}; common name (about 1 in {round(1 / share):,} records): weaker evidence"
        out[key] = (score, why, double)
    return out


@dataclass(frozen=True)
class _Plan:
    """What score_pair needs from a rules dict, worked out once per rules object."""

    identity: list[str]
    fields: list[tuple[dict, str, str, Method, float]]  # rule, key, method name, method, weight
    total: float


_plans: dict[int, tuple[dict, _Plan]] = {}


def _plan(rules: dict) -> _Plan:
    hit = _plans.get(id(rules))
    if hit is not None and hit[0] is rules:  # the cache holds `rules`, so its id is not reused
        return hit[1]
    fields = [
        (r, r["key"], r["method"], methods.get(r["method"]), float(r.get("weight", 1)))
        for r in rules.get("fields", [])
    ]
    plan = _Plan(blocking_fields(rules), fields, sum(f[4] for f in fields))
    if len(_plans) >= 64:
        _plans.clear()
    _plans[id(rules)] = (rules, plan)
    return plan


def score_pair(rules: dict, a: dict, b: dict, ctx: Context | None = None, *, cutoff: float = 0.0) -> Match:
    """Score a pair. With `cutoff`, a pair that can no longer reach the cutoff (even if every field
    not yet compared agreed) returns early with that upper bound, below the cutoff, and the reasons
    found so far: first on the names alone, then after each field."""
    ctx = ctx or Context()
    plan = _plan(rules)
    reasons: list[Reason] = []
    num = den = 0.0
    identity = plan.identity
    found = _compare_person_names(identity, a, b) if identity else {}
    if cutoff and found:
        # The adjustments only lower name scores: bound on the plain comparison first (cheap).
        bound = _upper_bound(plan, {k: None if r is None else (r[0], r[1], 2.0) for k, r in found.items()})
        if round(bound, 3) < cutoff:
            return Match(round(bound, 3), [])
    person = _adjust_person_names(rules, identity, found, a, b, ctx)
    if cutoff and person:
        bound = _upper_bound(plan, person)
        if round(bound, 3) < cutoff:
            return Match(round(bound, 3), [])
    remaining = plan.total  # weight of the fields not compared yet
    for rule, key, method, compare, weight in plan.fields:
        remaining -= weight
        double = 2.0
        if key in person:
            scored = person[key]
            result = None if scored is None else scored[:2]
            double = 2.0 if scored is None else scored[2]
        else:
            result = compare(rule, a, b, ctx)
        if result is not None:
            score, why = result
            reasons.append(Reason(key, method, round(score, 3), why, weight))
            num += weight * score
            den += weight * (double if score < DISAGREEMENT else 1)
        if cutoff and remaining and den:
            # Best case for the rest: every remaining field agrees fully (a missing field or the
            # coverage factor can only lower the total).
            bound = (num + remaining) / (den + remaining)
            if round(bound, 3) < cutoff:
                return Match(round(bound, 3), reasons)
    if not den:
        return Match(0.0, reasons)
    coverage = sum(r.weight for r in reasons) / plan.total if plan.total else 0.0
    # Little shared information means less certainty, not a worse match.
    score = num / den * min(1.0, 0.6 + 0.6 * coverage)
    return Match(round(score, 3), reasons)


_BEST: Scored = (1.0, "", 2.0)


def _upper_bound(plan: _Plan, names_done: dict[str, Scored]) -> float:
    """The best total still possible with these name scores (every other field agreeing fully)."""
    num = den = 0.0
    for _rule, key, _method, _compare, weight in plan.fields:
        result = names_done.get(key, _BEST)
        if result is None:
            continue
        num += weight * result[0]
        den += weight * (result[2] if result[0] < DISAGREEMENT else 1)
    return num / den if den else 0.0


def threshold(rules: dict) -> float:
    return float(rules.get("threshold", 0.8))


def person_name_fields(rules: dict) -> list[str]:
    return [r["key"] for r in rules.get("fields", []) if r.get("method") == "name"]


def date_fields(rules: dict) -> list[dict]:
    return [r for r in rules.get("fields", []) if r.get("method") in ("date", "age")]
