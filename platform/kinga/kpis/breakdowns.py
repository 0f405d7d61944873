"""Breakdowns: how a KPI's units are split into cells. Only closed, de-identifying dimensions are
allowed (option codes, yes/no, status, location, agency, staff owner, age groups, months): never a
free-text or other identifying field.

Pack syntax (items of a definition's `breakdowns`):
    "sex"                                   a select_one / select_multiple / yes_no / tick_box /
                                            location field (a row field for subform-row kinds)
    "@status" | "@location" | "@agency" | "@owner"
    {"@location": {"location_level": 1}}    roll locations up to an admin level (e.g. province)
    {"age_group": {"field": "age", "buckets": [0, 5, 12, 18]}}   -> 0-4, 5-11, 12-17, 18+, unknown
    {"month": "registration_date"}          -> 2026-03 (or "@created")
A dict item may carry "id" to name the breakdown; default names: the string itself, "age_group",
"month", "@location" / "@location:<level>".

A select_multiple record counts in every selected option's cell; an empty value falls in the
cell with key null ("Not recorded"), except age groups, which use "unknown".
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from kinga.workflow.deadlines import parse_when

from .text import local_date, translate

NOT_RECORDED = {"en": "Not recorded", "fr": "Non renseigné", "ar": "غير مسجل"}
YES_NO_LABELS = {
    "yes": {"en": "Yes", "fr": "Oui", "ar": "نعم"},
    "no": {"en": "No", "fr": "Non", "ar": "لا"},
    "unknown": {"en": "Unknown", "fr": "Inconnu", "ar": "غير معروف"},
}
OPTION_TYPES = {"select_one", "select_multiple"}
ALLOWED_FIELD_TYPES = OPTION_TYPES | {"yes_no", "tick_box", "location"}
SPECIAL = ("@status", "@location", "@agency", "@owner")


def breakdown_name(spec: Any) -> str:
    if isinstance(spec, str):
        return spec
    if spec.get("id"):
        return spec["id"]
    if "@location" in spec:
        level = (spec["@location"] or {}).get("location_level")
        return "@location" if level is None else f"@location:{level}"
    return "age_group" if "age_group" in spec else "month"


def breakdown_fields(spec: Any) -> set[str]:
    """Field keys a breakdown reads (for the definition's `fields` list)."""
    if isinstance(spec, str):
        return set() if spec.startswith("@") else {spec}
    if "age_group" in spec:
        return {spec["age_group"]["field"]}
    if "month" in spec and spec["month"] != "@created":
        return {spec["month"]}
    return set()


def check_breakdown(spec: Any, config_data: dict, record_type: str, kind) -> list[str]:
    """Configuration problems with one breakdown (field types that could identify people...)."""
    from .registry import record_type_fields

    if not isinstance(spec, str) or spec.startswith("@"):
        return []
    field, _parent = record_type_fields(config_data, record_type).get(spec, (None, None))
    if field is None:
        return []  # reported as an unknown field by the caller
    if field.get("type") not in ALLOWED_FIELD_TYPES:
        return [
            f"'{spec}' is a {field.get('type')} field; breakdowns use only "
            f"{', '.join(sorted(ALLOWED_FIELD_TYPES))} fields (age_group and month for numbers and dates)."
        ]
    return []


class Breakdown:
    """Splits units into cells. `keys` returns the cell keys of one record (or row)."""

    def prime(self, keys) -> None:
        """Called once with every cell key before labelling (to batch database look-ups)."""

    def __init__(self, name: str, config_data: dict):
        self.name = name
        self.config = config_data

    def keys(self, record, row: dict | None) -> list:
        raise NotImplementedError

    def preset_keys(self) -> list:
        """Cells always shown, in this order, even when empty (options, statuses, age groups)."""
        return []

    def label(self, key, lang: str | None) -> str:
        return translate(NOT_RECORDED, lang, self.config) if key is None else str(key)

    def public_key(self, key):
        """The key shown to API users (e.g. an agency code instead of a database id)."""
        return key

    def ordered(self, keys) -> list:
        preset = self.preset_keys()
        rest = sorted((k for k in keys if k not in preset and k is not None), key=str)
        tail = [None] if None in keys and None not in preset else []
        return preset + rest + tail


def _value_getter(key: str, row_field: bool) -> Callable:
    if row_field:
        return lambda record, row: (row or {}).get(key)
    return lambda record, row: (record.data or {}).get(key)


class FieldOptionsBreakdown(Breakdown):
    def __init__(self, name, config_data, field: dict, getter: Callable):
        super().__init__(name, config_data)
        self.getter = getter
        self.field = field
        if field.get("type") in OPTION_TYPES:
            lookup = field.get("lookup")
            options = (config_data.get("lookups", {}).get(lookup) or {}).get("options") if lookup else None
            self.options = {o["code"]: o for o in options or field.get("options") or []}
        else:  # yes_no / tick_box
            codes = (
                ("yes", "no", "unknown")
                if (field.get("params") or {}).get("allow_unknown")
                else ("yes", "no")
            )
            self.options = {c: {"code": c, "label": YES_NO_LABELS[c]} for c in codes}

    def keys(self, record, row):
        value = self.getter(record, row)
        if value is True or value is False:
            value = "yes" if value else "no"
        if isinstance(value, list):
            return [v for v in dict.fromkeys(value) if v not in (None, "")] or [None]
        return [None if value in (None, "") else value]

    def preset_keys(self):
        return [code for code, o in self.options.items() if not o.get("retired")]

    def label(self, key, lang):
        if key in self.options:
            return translate(self.options[key].get("label"), lang, self.config) or str(key)
        return super().label(key, lang)


class StatusBreakdown(Breakdown):
    def __init__(self, name, config_data, record_type: str):
        super().__init__(name, config_data)
        wf = (config_data.get("workflows") or {}).get(record_type) or {}
        self.statuses = {s["id"]: s for s in wf.get("statuses") or []}

    def keys(self, record, row):
        return [record.status or None]

    def preset_keys(self):
        return list(self.statuses)

    def label(self, key, lang):
        if key in self.statuses:
            return translate(self.statuses[key].get("label"), lang, self.config) or key
        return super().label(key, lang)


class LocationBreakdown(Breakdown):
    def __init__(self, name, config_data, level: int | None, getter: Callable):
        super().__init__(name, config_data)
        self.level = level
        self.getter = getter
        self.items = {i["code"]: i for i in (config_data.get("locations") or {}).get("items") or []}
        self._rollup: dict[str, str | None] = {}

    def _at_level(self, code: str) -> str | None:
        if code not in self._rollup:
            current, seen = self.items.get(code), set()
            while (
                current is not None and current.get("level", 0) > self.level and current["code"] not in seen
            ):
                seen.add(current["code"])
                current = self.items.get(current.get("parent"))
            # A record placed above the requested level (e.g. only a province) has no cell at that level.
            ok = current is not None and current.get("level") == self.level
            self._rollup[code] = current["code"] if ok else None
        return self._rollup[code]

    def keys(self, record, row):
        code = self.getter(record, row)
        if not code:
            return [None]
        return [code if self.level is None else self._at_level(code)]

    def label(self, key, lang):
        item = self.items.get(key)
        if item is not None:
            return translate(item.get("name"), lang, self.config) or key
        return super().label(key, lang)


class _RowBreakdown(Breakdown):
    """Cells keyed by a foreign key on the record; shown by a stable public key (code, username)."""

    attribute = ""

    def __init__(self, name, config_data):
        super().__init__(name, config_data)
        self._objects: dict | None = None

    def load(self, keys) -> dict:
        raise NotImplementedError

    def prime(self, keys) -> None:
        """Fetch the objects behind the cell keys once, before labelling."""
        self._objects = self.load([k for k in keys if k is not None])

    def show(self, obj) -> tuple[str, str]:
        """(public key, label) of one object."""
        raise NotImplementedError

    def _get(self, key):
        if self._objects is None:
            self._objects = {}
        return self._objects.get(key)

    def keys(self, record, row):
        return [getattr(record, self.attribute)]

    def public_key(self, key):
        obj = self._get(key)
        return self.show(obj)[0] if obj else None

    def label(self, key, lang):
        obj = self._get(key)
        return self.show(obj)[1] if obj else super().label(None, lang)

    def ordered(self, keys):
        return sorted(keys, key=lambda k: (k is None, self.public_key(k) or ""))


class AgencyBreakdown(_RowBreakdown):
    attribute = "agency_id"

    def load(self, keys):
        from kinga.accounts.models import Agency

        return {a.pk: a for a in Agency.objects.filter(pk__in=keys).only("id", "code", "name")}

    def show(self, obj):
        return obj.code, obj.name


class OwnerBreakdown(_RowBreakdown):
    """Per worker (staff data). Keys are usernames, never beneficiary data."""

    attribute = "owner_id"

    def load(self, keys):
        from django.contrib.auth import get_user_model

        return {u.pk: u for u in get_user_model().objects.filter(pk__in=keys).only("id", "username")}

    def show(self, obj):
        return obj.username, obj.username


class AgeGroupBreakdown(Breakdown):
    UNKNOWN = "unknown"

    def __init__(self, name, config_data, getter: Callable, buckets: list[float]):
        super().__init__(name, config_data)
        self.getter = getter
        self.bounds = sorted(buckets)
        self.names = [
            f"{_num(lo)}-{_num(hi - 1)}" if _is_int(lo) and _is_int(hi) else f"{_num(lo)}-<{_num(hi)}"
            for lo, hi in zip(self.bounds, self.bounds[1:], strict=False)
        ] + [f"{_num(self.bounds[-1])}+"]

    def _age(self, record, row) -> float | None:
        value = self.getter(record, row)
        if isinstance(value, bool) or value in (None, ""):
            return None
        if isinstance(value, int | float):
            return float(value)
        when = parse_when(value)
        if when is not None:  # a date of birth: whole years at registration (record creation)
            born, at = local_date(when), local_date(record.created_at)
            return float(at.year - born.year - ((at.month, at.day) < (born.month, born.day)))
        try:
            return float(value)
        except (TypeError, ValueError):
            return None

    def keys(self, record, row):
        age = self._age(record, row)
        if age is None or age < self.bounds[0]:
            return [self.UNKNOWN]
        index = sum(1 for b in self.bounds if age >= b) - 1
        return [self.names[index]]

    def preset_keys(self):
        return [*self.names, self.UNKNOWN]

    def label(self, key, lang):
        return translate(YES_NO_LABELS["unknown"], lang, self.config) if key == self.UNKNOWN else key


class MonthBreakdown(Breakdown):
    def __init__(self, name, config_data, source: str):
        super().__init__(name, config_data)
        self.source = source

    def keys(self, record, row):
        when = (
            record.created_at
            if self.source == "@created"
            else parse_when((record.data or {}).get(self.source))
        )
        return [local_date(when).strftime("%Y-%m") if when else None]


def _is_int(x) -> bool:
    return float(x).is_integer()


def _num(x) -> str:
    return str(int(x)) if _is_int(x) else f"{x:g}"


def make_breakdown(spec: Any, config_data: dict, record_type: str, subform: str | None = None) -> Breakdown:
    """Build a breakdown from its pack spec. `subform`: the rows the kind counts (row fields allowed)."""
    from kinga.core.errors import KingaError

    from .registry import record_type_fields

    name = breakdown_name(spec)
    fields = record_type_fields(config_data, record_type)

    def getter(key: str) -> Callable:
        _field, parent = fields.get(key, (None, None))
        return _value_getter(key, row_field=subform is not None and parent == subform)

    if spec == "@status":
        return StatusBreakdown(name, config_data, record_type)
    if spec == "@agency":
        return AgencyBreakdown(name, config_data)
    if spec == "@owner":
        return OwnerBreakdown(name, config_data)
    if spec == "@location":
        return LocationBreakdown(name, config_data, None, lambda record, row: record.location)
    if isinstance(spec, dict) and "@location" in spec:
        level = (spec["@location"] or {}).get("location_level")
        return LocationBreakdown(name, config_data, level, lambda record, row: record.location)
    if isinstance(spec, dict) and "age_group" in spec:
        return AgeGroupBreakdown(
            name, config_data, getter(spec["age_group"]["field"]), spec["age_group"]["buckets"]
        )
    if isinstance(spec, dict) and "month" in spec:
        return MonthBreakdown(name, config_data, spec["month"])
    field, _parent = fields.get(spec, (None, None)) if isinstance(spec, str) else (None, None)
    if field is None or field.get("type") not in ALLOWED_FIELD_TYPES:
        raise KingaError(
            f"'{name}' cannot be used as a breakdown of {record_type} records.", code="invalid_breakdown"
        )
    if field["type"] == "location":
        return LocationBreakdown(name, config_data, None, getter(spec))
    return FieldOptionsBreakdown(name, config_data, field, getter(spec))
