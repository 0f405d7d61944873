"""Blocking keys: which records are worth comparing at all.

Comparing a new registration with every record is O(n); scanning all pairs is O(n²). Records are
compared only when they share a key built from the phonetic skeletons of the person's names:

* ``b:<skeleton>:<birth year>``      a name and the birth year (from the date of birth or the age);
* ``d:<skeleton>:<year>:<dd-mm>``    a name and the full date of birth, day and month sorted so a
                                     swapped day/month still meets;
* ``q:<skeleton>|<prefix>``          a name and the first three letters of another name's skeleton,
                                     in both directions: survives a missing date of birth, names
                                     written in another order, and a typo late in either name.

`kinga dedup scan` uses the narrow d and q keys (b blocks grow with the data set); a check also uses
b keys one year either side, ranked by how many keys a record shares.
"""

from __future__ import annotations

import datetime as dt
from itertools import permutations

from . import dates, names

MAX_TOKENS = 4  # more tokens add keys, not recall
PREFIX = 3  # 2 doubles the pairs a scan compares at 100k records for ~1 % more recall


def blocking_fields(rules: dict) -> list[str]:
    """Name fields that identify the person: by default those of the highest weight among name
    rules (first and last name; a caregiver's name joins siblings, not duplicates). A rule may
    override with `blocking: true/false`."""
    name_rules = [r for r in rules.get("fields", []) if r.get("method") == "name"]
    top = max((float(r.get("weight", 1)) for r in name_rules), default=0)
    return [r["key"] for r in name_rules if r.get("blocking", float(r.get("weight", 1)) >= top)]


def _birth_year(rules: dict, data: dict, on: dt.date | None) -> int | None:
    for rule in rules.get("fields", []):
        if rule.get("method") == "date":
            year = dates.birth_year(
                dob=data.get(rule["key"]), age=data.get(rule.get("age_field", "age")), on=on
            )
            if year:
                return year
        if rule.get("method") == "age":
            year = dates.birth_year(
                dob=data.get(rule.get("dob_field", "date_of_birth")), age=data.get(rule["key"]), on=on
            )
            if year:
                return year
    return None


def _full_date(rules: dict, data: dict) -> str | None:
    for rule in rules.get("fields", []):
        if rule.get("method") == "date":
            parts = dates.parse(data.get(rule["key"]))
            if parts and parts[1] and parts[2]:
                lo, hi = sorted((parts[1], parts[2]))
                return f"{parts[0]}:{lo:02d}-{hi:02d}"
    return None


def record_keys(
    rules: dict, data: dict, *, on: dt.date | None = None, spread: int = 0
) -> list[tuple[str, str]]:
    """(field, key) pairs for a record's data. `spread` adds birth years either side (for queries)."""
    out: list[tuple[str, str]] = []
    skeletons: list[tuple[str, str]] = []
    for key in blocking_fields(rules):
        value = data.get(key)
        if not isinstance(value, str):
            continue
        for skel in names.name_keys(value):
            if skel not in {s for _k, s in skeletons} and len(skeletons) < MAX_TOKENS:
                skeletons.append((key, skel))
    year = _birth_year(rules, data, on)
    full = _full_date(rules, data)
    for key, skel in skeletons:
        if year:
            out.extend((key, f"b:{skel}:{y}") for y in range(year - spread, year + spread + 1))
        if full:
            out.append((key, f"d:{skel}:{full}"))
    for (key, s1), (_key2, s2) in permutations(skeletons, 2):
        out.append((key, f"q:{s1}|{s2[:PREFIX]}"))
    return out


SCAN_PREFIXES = ("d:", "q:")
