"""THE access seam: every record queryset the API serves, every permission question and every outward
record payload goes through these functions. The rules come from the roles of the active
configuration (kinga.accounts.policy); this module applies them to the database and to payloads.

    records_visible_to(user, record_type)   queryset: scope of the roles granting `view` (union),
                                            plus explicit RecordAccess grants ("own") and active
                                            break-glass grants
    can(user, action, record_type, record)  the action is granted and the record is in the scope of
                                            a role granting it
    redact(user, record_type, data)         hidden fields dropped, masked fields masked
    check_changes(user, record_type, ...)   fields the user may not change -> 400 naming them
    visible_config(config, user)            configuration without hidden record types/forms/fields

Superusers see and may do everything (still audited). A user under break-glass sees the whole
record and may view and edit it until the grant expires.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils import timezone

from kinga.accounts import policy
from kinga.accounts.models import BreakGlassGrant, RecordAccess, User
from kinga.configpacks.runtime import NoActiveConfig, get_active
from kinga.core.errors import KingaError, PermissionDenied

from .models import Record

ACTIONS = policy.RECORD_ACTIONS + tuple(policy.ALIASES)
# What a break-glass grant allows on its record (not export, refer, transfer: emergency reading
# and recording only).
BREAK_GLASS_ACTIONS = frozenset({"view", "edit", "link"})
RESTRICTED_MESSAGE = "A field you cannot see needs attention; ask your supervisor."


def _config() -> dict | None:
    try:
        return get_active().data
    except NoActiveConfig:
        return None


def _authenticated(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and getattr(user, "is_active", True)


def active_grants(user: Any):
    """Record ids the user holds an explicit, unexpired RecordAccess grant for (a subquery)."""
    now = timezone.now()
    return (
        RecordAccess.objects.filter(user_id=user.pk, revoked_at__isnull=True)
        .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))
        .values("record_id")
    )


def break_glass_ids(user: Any) -> set:
    """Ids of records the user has open break-glass access to now."""
    if not _authenticated(user) or getattr(user, "pk", None) is None:
        return set()
    return set(
        BreakGlassGrant.objects.filter(user_id=user.pk, expires_at__gt=timezone.now()).values_list(
            "record_id", flat=True
        )
    )


def _scope_q(user: Any, scopes: set[str], config: dict) -> Q | None:
    """Records within any of `scopes` for `user`; None when no scope gives anything."""
    if "all" in scopes:
        return Q()
    parts: list[Q] = []
    if "own" in scopes:
        parts.append(Q(owner_id=user.pk) | Q(pk__in=active_grants(user)))
    if "group" in scopes:
        peers = User.objects.filter(groups_kinga__members=user).values("pk")
        parts.append(Q(owner_id=user.pk) | Q(owner_id__in=peers) | Q(pk__in=active_grants(user)))
    if "agency" in scopes and user.agency_id is not None:
        parts.append(Q(agency_id=user.agency_id))
    if "location" in scopes and getattr(user, "location", ""):
        parts.append(Q(location__in=sorted(policy.location_subtree(user.location, config))))
    if not parts:
        return None
    out = parts[0]
    for part in parts[1:]:
        out |= part
    return out


def records_visible_to(user: Any, record_type: str | None = None):
    """Non-deleted records `user` may see (of one record type, or all)."""
    qs = Record.objects.filter(deleted_at__isnull=True)
    if record_type is not None:
        qs = qs.filter(record_type=record_type)
    if not _authenticated(user):
        return qs.none()
    config = _config()
    if config is None:
        return qs if user.is_superuser and getattr(user, "integration_scopes", None) is None else qs.none()
    if user.is_superuser and getattr(user, "integration_scopes", None) is None:
        return qs  # also records of types a later configuration dropped
    types = [record_type] if record_type is not None else list(config.get("record_types") or {})
    condition: Q | None = None
    for rt in types:
        type_policy = policy.type_policy(user, rt, config)
        if type_policy.unrestricted:
            scope = Q()
        else:
            scope = _scope_q(user, type_policy.scopes_for("view"), config)
            if scope is None:
                continue
        part = Q(record_type=rt) & scope
        condition = part if condition is None else condition | part
    glass = Q(
        pk__in=BreakGlassGrant.objects.filter(user_id=user.pk, expires_at__gt=timezone.now()).values(
            "record_id"
        )
    )
    if getattr(user, "integration_scopes", None) is None:
        condition = glass if condition is None else condition | glass
    if condition is None:
        return qs.none()
    return qs.filter(condition)


def _in_scope(user: Any, scope: str, record: Record, config: dict) -> bool:
    if scope == "all":
        return True
    if scope in ("own", "group"):
        if record.owner_id is not None and record.owner_id == user.pk:
            return True
        if active_grants(user).filter(record_id=record.pk).exists():
            return True
        if scope == "group" and record.owner_id is not None:
            return User.objects.filter(pk=record.owner_id, groups_kinga__members=user).exists()
        return False
    if scope == "agency":
        return user.agency_id is not None and record.agency_id == user.agency_id
    if scope == "location":
        return bool(user.location) and record.location in policy.location_subtree(user.location, config)
    return False


def can(user: Any, action: str, record_type: str, record: Record | None = None) -> bool:
    """May `user` do `action` on records of `record_type` (or on `record`)?"""
    if not _authenticated(user) or action not in ACTIONS:
        return False
    config = _config()
    if config is None:
        return bool(user.is_superuser)
    type_policy = policy.type_policy(user, record_type, config)
    if record is None:
        return type_policy.allows(action)
    if record.deleted_at is not None or record.record_type != record_type:
        return False
    if type_policy.unrestricted:
        return True
    if type_policy.allows(action) and any(
        _in_scope(user, scope, record, config) for scope in type_policy.scopes_for(action)
    ):
        return True
    return action in BREAK_GLASS_ACTIONS and record.pk in break_glass_ids(user)


def can_anywhere(user: Any, action: str) -> bool:
    """Does the user hold `action` on any record type (view_audit, manage_users...)?"""
    if not _authenticated(user):
        return False
    config = _config()
    if config is None:
        return bool(user.is_superuser)
    return policy.has_permission_anywhere(user, action, config)


def _redact_rows(type_policy, rows: list) -> list:
    out = []
    for row in rows:
        if not isinstance(row, dict):
            out.append(row)
            continue
        out.append(_redact_dict(type_policy, row))
    return out


def _redact_dict(type_policy, data: dict) -> dict:
    out = {}
    for key, value in data.items():
        level = type_policy.field_level(key)
        if level == "hidden":
            continue
        if level == "masked":
            out[key] = policy.mask(value)
        elif isinstance(value, list) and any(isinstance(v, dict) for v in value):
            out[key] = _redact_rows(type_policy, value)
        else:
            out[key] = value
    return out


def redact(
    user: Any, record_type: str, data: dict | None, record: Record | None = None, *, glass: set | None = None
) -> dict:
    """Record data as `user` may see it: hidden fields dropped, masked ones masked. No `view`
    permission: nothing (a community notifier gets an acknowledgement, not the record back)."""
    data = dict(data or {})
    config = _config()
    if config is None:
        return data if getattr(user, "is_superuser", False) else {}
    type_policy = policy.type_policy(user, record_type, config)
    if type_policy.unrestricted:
        return data
    if record is not None:
        glass = break_glass_ids(user) if glass is None else glass
        if record.pk in glass:
            return data
    if not type_policy.allows("view"):
        return {}
    if not type_policy.redacts:
        return data
    return _redact_dict(type_policy, data)


def field_level(user: Any, record_type: str, key: str, record: Record | None = None) -> str:
    config = _config() or {}
    if record is not None and record.pk in break_glass_ids(user):
        return "edit"
    return policy.type_policy(user, record_type, config).field_level(key)


def check_changes(user: Any, record_type: str, changes: dict, record: Record | None = None) -> dict:
    """The changes the user may make; refuses (400, naming the fields) any change to a field they
    may only read, see masked, or not see. Sending a read-only field's current value (or a masked
    field's mask) back unchanged is allowed and dropped."""
    if not isinstance(changes, dict):
        return changes
    config = _config() or {}
    type_policy = policy.type_policy(user, record_type, config)
    if type_policy.unrestricted or (record is not None and record.pk in break_glass_ids(user)):
        return changes
    current = (record.data or {}) if record is not None else {}
    allowed, refused = {}, []
    for key, value in changes.items():
        level = type_policy.field_level(key)
        if level == "edit":
            allowed[key] = value
        elif record is None and value in (None, "", []):
            continue  # an empty read-only field on a new record: nothing to refuse
        elif level == "read" and record is not None and current.get(key) == value:
            continue
        elif level == "masked" and record is not None and policy.mask(current.get(key)) == value:
            continue
        else:
            refused.append(key)
    if refused:
        raise KingaError(
            f"You may not change these fields: {', '.join(sorted(refused))}.",
            code="field_not_editable",
            details=[
                {"field": key, "code": "field_not_editable", "message": "You may not change this field."}
                for key in sorted(refused)
            ],
        )
    return allowed


def _path_keys(path: str) -> list[str]:
    """ "household[2].age" -> ["household", "age"]."""
    keys = []
    for part in (path or "").split("."):
        keys.append(part.split("[")[0])
    return [k for k in keys if k]


def redact_issues(user: Any, record_type: str, issues: Any, record: Record | None = None) -> Any:
    """Validation issues without anything about fields the user may not see."""
    if not isinstance(issues, list):
        return issues
    config = _config() or {}
    type_policy = policy.type_policy(user, record_type, config)
    if type_policy.unrestricted or (record is not None and record.pk in break_glass_ids(user)):
        return issues
    out = []
    for issue in issues:
        if not isinstance(issue, dict):
            continue
        keys = _path_keys(str(issue.get("field", "")))
        if any(type_policy.field_level(k) in ("hidden", "masked") for k in keys):
            out.append({"field": "", "code": "restricted_field", "message": RESTRICTED_MESSAGE,
                        "severity": issue.get("severity", "error")})  # fmt: skip
        else:
            out.append(issue)
    return out


def _visible_fields(fields: list, type_policy) -> list:
    out = []
    for field in fields:
        level = type_policy.field_level(field["key"])
        if level == "hidden":
            continue
        shown = dict(field)
        shown["access"] = level
        if level != "edit":
            shown["read_only"] = True
        if field.get("fields"):
            shown["fields"] = _visible_fields(field["fields"], type_policy)
        out.append(shown)
    return out


def visible_config(config: dict, user: Any) -> dict:
    """The part of the effective configuration `user` may see: record types they may view or create,
    their forms and fields minus hidden ones (fields marked with `access` and read_only), their own
    roles only, and `access`: the actions they hold per record type."""
    if getattr(user, "is_superuser", False) and getattr(user, "integration_scopes", None) is None:
        return config
    out = dict(config)
    record_types, forms, access = {}, {}, {}
    field_index: dict = {}
    readable: set[str] = set()
    for rt_id, rt in (config.get("record_types") or {}).items():
        type_policy = policy.type_policy(user, rt_id, config)
        if not (type_policy.allows("view") or type_policy.allows("create")):
            continue
        if type_policy.allows("view"):
            readable.add(rt_id)
        access[rt_id] = sorted(type_policy.actions)
        shown_forms = []
        for form_id in rt.get("forms") or []:
            form = (config.get("forms") or {}).get(form_id)
            if form is None or type_policy.forms.get(form_id, type_policy.default_level) == "hidden":
                continue
            sections = []
            for section in form.get("sections") or []:
                fields = _visible_fields(section.get("fields") or [], type_policy)
                if fields:
                    sections.append({**section, "fields": fields})
                    for field in fields:
                        field_index[field["key"]] = {"form": form_id, "section": section.get("id")}
            forms[form_id] = {**form, "sections": sections}
            shown_forms.append(form_id)
        record_types[rt_id] = {**rt, "forms": shown_forms}
    out["record_types"] = record_types
    out["forms"] = forms
    index = config.get("fields") or {}
    if index and all(isinstance(v, dict) and "form" not in v for v in index.values()):
        out["fields"] = {rt: {k: v for k, v in keys.items() if k in field_index}
                         for rt, keys in index.items() if rt in record_types}  # fmt: skip
    else:
        out["fields"] = {k: v for k, v in index.items() if k in field_index}
    roles = config.get("roles") or {}
    out["roles"] = {r: roles[r] for r in getattr(user, "roles", None) or [] if r in roles}
    for section in ("workflows", "duplicate_rules"):
        out[section] = {rt: v for rt, v in (config.get(section) or {}).items() if rt in readable}
    out["kpis"] = {k: v for k, v in (config.get("kpis") or {}).items() if v.get("record_type") in readable}
    if not policy.has_permission_anywhere(user, "manage_configuration", config):
        out["archived_fields"] = {}
    out["access"] = access
    return out


def restricted_fields(user: Any, record_type: str) -> set[str]:
    """Field keys the user sees masked or not at all: never filter, sort or free-text search on them
    (each would be an oracle for the hidden value)."""
    config = _config() or {}
    type_policy = policy.type_policy(user, record_type, config)
    if type_policy.unrestricted:
        return set()
    out = {k for k, level in type_policy.fields.items() if level in ("hidden", "masked")}
    if type_policy.default_level in ("hidden", "masked"):
        out.add("*")  # keys no form defines
    return out


def visible_ids(user: Any, ids) -> set:
    """Which of these record ids the user may see (one query): for links to other records."""
    ids = [i for i in ids if i is not None]
    if not ids:
        return set()
    return set(records_visible_to(user).filter(pk__in=ids).values_list("pk", flat=True))


class ConsentRefused(KingaError):
    code = "consent_required"
    status = 409


def enforce_consent(
    user: Any,
    record: Record,
    purpose: str,
    *,
    receiver: str | None = None,
    override: bool = False,
    reason: str = "",
) -> list[str]:
    """Refuse sharing `record` for `purpose` when its consent or sharing wishes forbid it
    (kinga.accounts.consent), unless `override` with a reason by a user holding `override_consent`
    on the record: then the override is audited ('consent.override') and the problems returned."""
    from kinga.accounts.consent import problems as consent_problems
    from kinga.audit.chain import record_event

    config = get_active()
    defined = {f["key"] for _form, _section, f in config.iter_fields(record.record_type)}
    found = consent_problems(record.record_type, record.data, purpose, receiver, defined)
    if not found:
        return []
    if not override:
        raise ConsentRefused(
            " ".join(found) + " It cannot be shared without an override (override: true, reason).",
            details={"record": record.short_id, "purpose": purpose, "problems": found},
        )
    if not can(user, "override_consent", record.record_type, record):
        raise PermissionDenied(
            "Your roles do not allow overriding consent or sharing wishes (override_consent).",
            code="override_not_allowed",
        )
    if len((reason or "").strip()) < 10:
        raise KingaError(
            "Give the reason for overriding consent (at least 10 characters).", code="reason_required"
        )
    record_event(
        "consent.override",
        user=user,
        record=record,
        reason=reason.strip(),
        details={"purpose": purpose, "receiver": receiver, "problems": found},
    )
    return found
