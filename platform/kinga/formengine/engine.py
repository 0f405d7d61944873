"""The record validation engine: one pass that turns submitted data into the data that is stored.

    result = validate_record(config, "case", data, user=user, existing=record)

Computation pass (dependency order, see plan.py): relevance → clear if not relevant → calculation, or
copy_from/default on create → type clean. Check pass (form order, final values): required → type
validate (options, ranges) → constraint → warnings. Semantics are documented in docs/forms.md.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _

from kinga.core.errors import FieldIssue
from kinga.formengine.expressions import EvalContext, ExpressionError, evaluate, to_bool
from kinga.formengine.fieldtypes import FieldValueError

from .plan import Node, Plan, plan_for

log = logging.getLogger(__name__)


@dataclass
class Result:
    data: dict
    errors: list[FieldIssue] = field(default_factory=list)
    warnings: list[FieldIssue] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class FieldContext:
    """What a field type's clean/validate may look at beyond the value."""

    config: Any
    now: datetime
    tz: str
    lang: str
    allowed_options: set[str] | None = None
    location_levels: dict[str, int] | None = None


def is_empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def user_context(user: Any) -> dict:
    """The user as expressions see it: user('agency'), user('location'), user('roles')..."""
    if user is None or not getattr(user, "pk", None):
        return {}
    agency = getattr(user, "agency", None)
    return {
        "username": user.username,
        "agency": getattr(agency, "code", "") if agency else "",
        "location": getattr(user, "location", ""),
        "roles": list(getattr(user, "roles", []) or []),
        "language": getattr(user, "language", "en"),
    }


class _Run:
    """State of one validation: kept off the Plan so plans stay shareable between threads."""

    def __init__(self, config, plan: Plan, *, user, existing, now, linked, lang):
        self.config = config
        self.plan = plan
        self.creating = existing is None
        self.old: dict = (getattr(existing, "data", existing) or {}) if existing is not None else {}
        self.lang = lang
        self.tz = getattr(user, "time_zone", None) or "UTC"
        self.values: dict = {}
        self.eval_ctx = EvalContext(
            data=self.values,
            parents=plan.parents,
            now=now,
            tz=self.tz,
            user=user_context(user),
            linked=linked or {},
        )
        self.field_ctx = FieldContext(
            config=config, now=now, tz=self.tz, lang=lang, location_levels=plan.location_levels or None
        )
        self.errors: list[FieldIssue] = []
        self.warnings: list[FieldIssue] = []
        self.relevant: dict[str, bool] = {}  # path -> relevance, filled by the computation pass

    # -- expressions ---------------------------------------------------------------------------
    def eval(self, expr: Any, *, row: dict | None = None, current: Any = None) -> Any:
        if not isinstance(expr, dict) or "ast" not in expr:
            return None
        ctx = self.eval_ctx
        ctx.row, ctx.current = row, current
        try:
            return evaluate(expr["ast"], ctx)
        except ExpressionError as exc:  # a malformed AST is a configuration bug: log, never block
            log.warning("expression %r failed: %s", expr.get("src"), exc)
            return None
        finally:
            ctx.row, ctx.current = None, None

    def truthy(self, expr: Any, *, row=None, current=None, default: bool = True) -> bool:
        if expr is None:
            return default
        if isinstance(expr, bool):
            return expr
        return to_bool(self.eval(expr, row=row, current=current))

    def issue(self, path: str, code: str, message: str, severity: str = "error", **params) -> None:
        target = self.errors if severity == "error" else self.warnings
        target.append(FieldIssue(path=path, code=code, message=message, severity=severity, params=params))

    # -- computation pass ----------------------------------------------------------------------
    def compute(self, raw: dict) -> None:
        for node in self.plan.order:
            value = self.compute_node(node, raw, None, node.key)
            if not is_empty(value):
                self.values[node.key] = value

    def compute_node(self, node: Node, raw: dict, row: dict | None, path: str):
        f = node.field
        relevant = self.truthy(node.section_relevant, row=row) and self.truthy(f.get("relevant"), row=row)
        self.relevant[path] = relevant
        if not node.stores:
            return None
        incoming = raw.get(node.key)
        if not relevant:
            if f.get("keep_when_irrelevant") and not is_empty(incoming):
                return self.clean(node, incoming, path, report=False)
            return None
        if f.get("calculation"):
            # Server-side only: whatever the client sent for a calculated field is ignored.
            return self.clean(node, self.eval(f["calculation"], row=row), path, report=False)
        if self.creating and is_empty(incoming):
            incoming = self.initial_value(f, row)
        if node.ftype.is_container:
            return self.compute_rows(node, incoming, path)
        return self.clean(node, incoming, path)

    def initial_value(self, f: dict, row: dict | None) -> Any:
        copy_from = f.get("copy_from")
        if copy_from and row is None:
            source = self.eval_ctx.linked.get(copy_from.get("link"))
            if isinstance(source, dict) and not is_empty(source.get(copy_from.get("key"))):
                return source[copy_from["key"]]
        if f.get("default"):
            return self.eval(f["default"], row=row)
        return None

    def clean(self, node: Node, value: Any, path: str, *, report: bool = True) -> Any:
        if is_empty(value):
            return None
        try:
            value = node.ftype.clean(value, node.field, self.field_ctx)
        except FieldValueError as exc:
            if report:
                self.issue(path, exc.code, _(exc.message), **exc.params)
            return None
        if hasattr(value, "isoformat"):  # expression results may be date objects: store ISO text
            value = value.isoformat()
        return value

    def compute_rows(self, node: Node, incoming: Any, path: str) -> list | None:
        if is_empty(incoming):
            return None
        try:
            rows = node.ftype.clean(incoming, node.field, self.field_ctx)
        except FieldValueError as exc:
            self.issue(path, exc.code, _(exc.message))
            return None
        known = {c.key for c in node.children}
        cleaned_rows = []
        for i, raw_row in enumerate(rows):
            row_path = f"{path}[{i}]"
            for key in raw_row:
                if key not in known:
                    self.issue(f"{row_path}.{key}", "unknown_field", _("Unknown field '%s'.") % key)
            out: dict = {}
            for child in node.row_order:
                value = self.compute_node(child, raw_row, out, f"{row_path}.{child.key}")
                if not is_empty(value):
                    out[child.key] = value
            # Keep form order inside the row so stored JSON reads like the form.
            cleaned_rows.append({c.key: out[c.key] for c in node.children if c.key in out})
        return cleaned_rows

    # -- check pass ----------------------------------------------------------------------------
    def check(self) -> None:
        for node in self.plan.nodes:
            self.check_node(node, self.values, None, node.key, self.old.get(node.key))

    def check_node(self, node: Node, values: dict, row: dict | None, path: str, old_value: Any) -> None:
        f = node.field
        if not self.relevant.get(path, True) or not node.stores:
            return
        value = values.get(node.key)
        hidden = f.get("hidden") or node.section_hidden
        if is_empty(value) and not hidden and not f.get("calculation"):
            if self.truthy(f.get("required"), row=row, default=False):
                self.issue(path, "required", _("This field is required."))
                return
        if node.ftype.is_container:
            self.check_rows(node, value or [], path, old_value)
        elif not is_empty(value):
            self.field_ctx.allowed_options = (
                self.allowed_options(node, value, row, old_value) if node.ftype.uses_options else None
            )
            for exc in node.ftype.validate(value, f, self.field_ctx):
                self.issue(path, exc.code, _(exc.message), **exc.params)
            if f.get("constraint") and not self.truthy(f["constraint"], row=row, current=value):
                message = self.config.text(f.get("constraint_message"), self.lang) or _(
                    "The value is not valid."
                )
                self.issue(path, "constraint", message)
        for warning in f.get("warnings") or []:
            if self.truthy(warning.get("expr"), row=row, current=value, default=False):
                message = self.config.text(warning.get("message"), self.lang) or warning.get("id", "")
                self.issue(path, warning.get("id") or "warning", message, severity="warning")

    def check_rows(self, node: Node, rows: list, path: str, old_rows: Any) -> None:
        for exc in node.ftype.validate(rows, node.field, self.field_ctx):
            self.issue(path, exc.code, _(exc.message), **exc.params)
        old_rows = old_rows if isinstance(old_rows, list) else []
        for i, row in enumerate(rows):
            for child in node.children:
                # Retired options are judged against every value the column held before.
                held = [r.get(child.key) for r in old_rows if isinstance(r, dict)]
                self.check_node(child, row, row, f"{path}[{i}].{child.key}", held)

    def options_by_code(self, field: dict) -> dict[str, dict]:
        def build() -> dict[str, dict]:
            return {o["code"]: o for o in self.config.options(field)}

        derived = getattr(self.config, "derived", None)
        if derived is None:  # a plain configuration object (tests, previews)
            return build()
        # The field dict belongs to the (immutable) configuration, so its id is stable while it lives.
        return derived(("options_by_code", field.get("lookup") or id(field)), build)

    def allowed_options(self, node: Node, value: Any, row: dict | None, old_value: Any) -> set[str]:
        """Codes the value may hold: active options passing the choice_filter, plus retired codes the
        record already held. Only the submitted codes are tested, so long lookups stay cheap."""
        chosen = value if isinstance(value, list) else [value]
        held = _flatten_codes(old_value)
        options = self.options_by_code(node.field)
        allowed = set()
        cf = node.field.get("choice_filter")
        for code in chosen:
            option = options.get(code)
            if option is None or (option.get("retired") and code not in held):
                continue
            if cf:
                # Option attributes (and `code`) shadow field keys; `.` is the option code.
                scope = {**(row or {}), **(option.get("attrs") or {}), "code": code}
                if not self.truthy(cf, row=scope, current=code) and code not in held:
                    continue
            allowed.add(code)
        return allowed


def _flatten_codes(value: Any) -> set[str]:
    out: set[str] = set()
    for v in value if isinstance(value, list) else [value]:
        if isinstance(v, list):
            out |= {x for x in v if isinstance(x, str)}
        elif isinstance(v, str):
            out.add(v)
    return out


def validate_record(
    config: Any,
    record_type: str,
    data: dict,
    *,
    user: Any,
    existing: Any = None,
    now: datetime | None = None,
    linked: dict[str, dict] | None = None,
    lang: str | None = None,
) -> Result:
    """Clean, compute and check one record's data under `config` (an ActiveConfig).

    `existing` is the stored record (or its data) on update, None on create: defaults and copy_from
    apply only on create, and retired option codes stay valid when the record already held them.
    `linked` maps link type -> the linked record's data (for linked() and copy_from)."""
    plan = plan_for(config, record_type)
    lang = lang or getattr(user, "language", None) or config.default_language
    run = _Run(
        config, plan, user=user, existing=existing, now=now or datetime.now(UTC), linked=linked, lang=lang
    )
    with translation.override(lang):
        if not isinstance(data, dict):
            run.issue("", "invalid", _("The record data must be an object."))
            return Result(data={}, errors=run.errors)
        kept: dict = {}
        for key in data:
            if key not in plan.by_key or plan.by_key[key].parent is not None:
                # Keys the record already held but the configuration no longer has (archived fields,
                # fields of an older version) are kept as stored, never edited; new ones are refused.
                if key in run.old and data[key] == run.old[key]:
                    kept[key] = run.old[key]
                    continue
                run.issue(key, "unknown_field", _("Unknown field '%s'.") % key)
        run.compute(data)
        run.check()
    out = {n.key: run.values[n.key] for n in plan.nodes if n.key in run.values}
    out.update(kept)
    return Result(data=out, errors=run.errors, warnings=run.warnings)


def warning_message(config: Any, record_type: str, path: str, code: str, lang: str) -> str | None:
    """Re-translate a stored warning for the reader's language (warnings are stored by code)."""
    key = path.rsplit(".", 1)[-1].split("[", 1)[0]
    f = config.field(record_type, key)
    for warning in (f or {}).get("warnings") or []:
        if warning.get("id") == code:
            return config.text(warning.get("message"), lang)
    return None
