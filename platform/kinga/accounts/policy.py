"""Who may do what, resolved from the roles of the active configuration (pack data).

Pure functions over (user, configuration dict): this module never reads the database or the active
configuration itself, so it sits below configpacks/records in the layering. The ONE enforcement
point that applies it to querysets and payloads is kinga.records.access.

A user holds role ids (User.roles). A role applies to a record type when its `module` is null or
the record type's module. Multiple roles are a union: the most permissive wins, per action, per
scope and per field.

Field access levels, weakest first: hidden < masked < read < edit. A role that may edit or create
a record type defaults to edit, otherwise read; a form level caps the fields in it; a subform
whose rows hold a field the user may not change is itself read-only (replacing the rows would
overwrite what the user cannot see).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

from django.conf import settings

LEVELS = ("hidden", "masked", "read", "edit")
RANK = {name: i for i, name in enumerate(LEVELS)}
SCOPES = ("own", "group", "agency", "location", "all")
RECORD_ACTIONS = (
    "view",
    "create",
    "edit",
    "delete",
    "export",
    "assign",
    "refer",
    "transfer",
    "approve",
    "view_audit",
    "manage_configuration",
    "manage_users",
    "override_consent",
)
# Actions kernel code asks about that packs do not name: linking changes the record.
ALIASES = {"link": "edit"}
MASK = "***"


@dataclass(frozen=True)
class Grant:
    """One role as it applies to one record type."""

    role_id: str
    scope: str
    actions: frozenset[str]


@dataclass(frozen=True)
class TypePolicy:
    record_type: str
    unrestricted: bool  # superuser: everything, unredacted (still audited)
    grants: tuple[Grant, ...]
    fields: dict[str, str]  # field key (top-level and subform children) -> level
    forms: dict[str, str]  # form id -> level
    default_level: str  # for keys no form defines (archived fields)

    @property
    def actions(self) -> frozenset[str]:
        if self.unrestricted:
            return frozenset(RECORD_ACTIONS)
        out: set[str] = set()
        for grant in self.grants:
            out |= grant.actions
        return frozenset(out)

    def allows(self, action: str) -> bool:
        return ALIASES.get(action, action) in self.actions

    def scopes_for(self, action: str) -> set[str]:
        if self.unrestricted:
            return {"all"}
        action = ALIASES.get(action, action)
        return {g.scope for g in self.grants if action in g.actions}

    def field_level(self, key: str) -> str:
        if self.unrestricted:
            return "edit"
        return self.fields.get(key, self.default_level)

    @cached_property  # frozen dataclass: cached_property writes the instance dict, not __setattr__
    def redacts(self) -> bool:
        """Does any field (or a key no form defines) come out hidden or masked? When not, payloads
        pass through unchanged, which keeps lists of wide records cheap."""
        visible = ("read", "edit")
        return not self.unrestricted and (
            self.default_level not in visible or any(level not in visible for level in self.fields.values())
        )


def config_dict(config: Any) -> dict:
    """Accept an ActiveConfig (has .data) or the plain configuration dict."""
    return getattr(config, "data", config) or {}


def _min(a: str, b: str) -> str:
    return a if RANK[a] <= RANK[b] else b


def _max(a: str, b: str) -> str:
    return a if RANK[a] >= RANK[b] else b


def _fallback_grant(data: dict) -> Grant | None:
    """A configuration that defines no roles at all (a bare test configuration): deny, unless the
    server explicitly opts in (KINGA_ACCESS_WITHOUT_ROLES = "agency", the test settings only)."""
    if data.get("roles") or getattr(settings, "KINGA_ACCESS_WITHOUT_ROLES", "deny") != "agency":
        return None
    return Grant("*", "agency", frozenset(RECORD_ACTIONS))


def user_roles(user: Any, config: Any) -> list[dict]:
    """The role definitions of the user's role ids; ids the configuration does not define are
    ignored (a role removed from the pack takes its powers with it)."""
    roles = config_dict(config).get("roles") or {}
    return [roles[r] for r in (getattr(user, "roles", None) or []) if isinstance(r, str) and r in roles]


def _integration_filter(user: Any, record_type: str, actions: set[str]) -> set[str]:
    """An integration token narrows the user's powers to its scopes ("case:view", "case:*")."""
    scopes = getattr(user, "integration_scopes", None)
    if scopes is None:
        return actions
    if f"{record_type}:*" in scopes:
        return actions
    return {a for a in actions if f"{record_type}:{a}" in scopes}


def _role_levels(role: dict, record_type: str, data: dict, default: str) -> tuple[dict, dict]:
    forms_conf = role.get("forms") or {}
    fields_conf = role.get("fields") or {}
    forms: dict[str, str] = {}
    fields: dict[str, str] = {}
    for form_id in (data.get("record_types", {}).get(record_type) or {}).get("forms") or []:
        form = (data.get("forms") or {}).get(form_id) or {}
        form_level = _min(forms_conf.get(form_id, default), default)
        forms[form_id] = form_level
        for section in form.get("sections") or []:
            for field in section.get("fields") or []:
                level = _min(form_level, fields_conf.get(field["key"], default))
                children = field.get("fields") or []
                child_levels = {}
                for child in children:
                    child_levels[child["key"]] = _min(level, fields_conf.get(child["key"], default))
                if level == "edit" and any(v != "edit" for v in child_levels.values()):
                    level = "read"
                fields[field["key"]] = level
                fields.update(child_levels)
    return forms, fields


def type_policy(user: Any, record_type: str, config: Any) -> TypePolicy:
    """What `user` may do with records of `record_type` under `config`. Cached on the user object,
    which lives for one request."""
    data = config_dict(config)
    scopes = getattr(user, "integration_scopes", None)
    key = (
        id(data),
        record_type,
        tuple(getattr(user, "roles", None) or []),
        bool(getattr(user, "is_superuser", False)),
        frozenset(scopes) if scopes is not None else None,
    )
    cache = getattr(user, "_kinga_policy", None)
    if cache is None:
        cache = {}
        try:
            user._kinga_policy = cache
        except AttributeError:  # AnonymousUser and friends
            pass
    hit = cache.get(key)
    # The entry keeps its configuration alive, so id(data) cannot be reused while it is cached.
    if hit is not None and hit[0] is data:
        return hit[1]
    policy = _compute(user, record_type, data)
    cache[key] = (data, policy)
    return policy


def _compute(user: Any, record_type: str, data: dict) -> TypePolicy:
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", True):
        return TypePolicy(record_type, False, (), {}, {}, "hidden")
    if getattr(user, "is_superuser", False) and getattr(user, "integration_scopes", None) is None:
        return TypePolicy(record_type, True, (), {}, {}, "edit")
    module = (data.get("record_types", {}).get(record_type) or {}).get("module")
    grants: list[Grant] = []
    forms: dict[str, str] = {}
    fields: dict[str, str] = {}
    default_level = "hidden"
    fallback = _fallback_grant(data)
    applicable: list[tuple[str, str, set[str], dict]] = []
    if fallback is not None:
        applicable.append((fallback.role_id, fallback.scope, set(fallback.actions), {}))
    for role in user_roles(user, data):
        if role.get("module") and module and role["module"] != module:
            continue
        actions = {a for a in (role.get("permissions") or {}).get(record_type) or [] if isinstance(a, str)}
        scope = role.get("scope") or "own"
        applicable.append((role["id"], scope if scope in SCOPES else "own", actions, role))
    for role_id, scope, actions, role in applicable:
        actions = _integration_filter(user, record_type, actions)
        if not actions:
            continue
        grants.append(Grant(role_id, scope, frozenset(actions)))
        if not actions & {"view", "create", "edit"}:
            continue  # e.g. view_audit alone: no say over record data
        default = "edit" if actions & {"edit", "create"} else "read"
        role_forms, role_fields = _role_levels(role, record_type, data, default)
        default_level = _max(default_level, default)
        for form_id, level in role_forms.items():
            forms[form_id] = _max(forms.get(form_id, "hidden"), level)
        for key, level in role_fields.items():
            fields[key] = _max(fields.get(key, "hidden"), level)
    return TypePolicy(record_type, False, tuple(grants), fields, forms, default_level)


def permissions(user: Any, record_type: str, config: Any) -> set[str]:
    """Actions the user's roles grant on a record type ({"*"} for a superuser)."""
    policy = type_policy(user, record_type, config)
    return {"*"} if policy.unrestricted else set(policy.actions)


def has_permission_anywhere(user: Any, action: str, config: Any) -> bool:
    """Does any role of the user grant `action` on any record type (e.g. view_audit, manage_users)?"""
    data = config_dict(config)
    return any(type_policy(user, rt, data).allows(action) for rt in data.get("record_types") or {})


def requires_2fa(user: Any, config: Any) -> bool:
    if getattr(user, "is_superuser", False) and getattr(settings, "KINGA_SUPERUSER_REQUIRE_2FA", True):
        return True
    return any(role.get("require_2fa") for role in user_roles(user, config))


def may_break_glass(user: Any, config: Any) -> bool:
    """Only a role marked break_glass: true (the standard pack's im_admin); never via a token
    scoped for an integration."""
    if getattr(user, "integration_scopes", None) is not None:
        return False
    return any(role.get("break_glass") for role in user_roles(user, config))


def mask(value: Any) -> Any:
    """First letter + *** for text (a worker can still tell records apart), *** for the rest."""
    if isinstance(value, str) and value:
        return value[0] + MASK
    if value in (None, "", [], {}):
        return value
    return MASK


def location_subtree(code: str, config: Any) -> set[str]:
    """The code and every location below it in the configuration's hierarchy."""
    if not code:
        return set()
    children: dict[str, list[str]] = {}
    for item in (config_dict(config).get("locations") or {}).get("items") or []:
        children.setdefault(item.get("parent") or "", []).append(item["code"])
    out, stack = {code}, [code]
    while stack:
        for child in children.get(stack.pop(), []):
            if child not in out:
                out.add(child)
                stack.append(child)
    return out
