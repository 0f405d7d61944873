"""Statuses and transitions of a record type, read from `workflows[record_type]` in the active config.

    statuses:    [{id, label, initial: bool, closed: bool}]
    transitions: [{id, label?, from: [status ids] | "*" | null (= any status), to: status id,
                   requires_approval: bool, permission: str | null (default "edit")}]

A transition is allowed for a user when the record's current status is in `from` and the user's
roles grant `permission` on the record type; `requires_approval` additionally needs the "approve"
permission (the supervisor performs or signs off the step: closures, case plans), and the audit
event records it as an approval.
"""

from __future__ import annotations

from kinga.core.errors import Conflict, KingaError, PermissionDenied

from .deadlines import config_data

DEFAULT_PERMISSION = "edit"
APPROVE = "approve"


def workflow_for(record_type: str, config=None) -> dict:
    return (config_data(config).get("workflows") or {}).get(record_type) or {}


def statuses(record_type: str, config=None) -> list[dict]:
    return list(workflow_for(record_type, config).get("statuses") or [])


def initial_status(record_type: str, config=None) -> str:
    """The status a new record starts in: the one marked initial, else the first; "" without workflow."""
    all_statuses = statuses(record_type, config)
    for status in all_statuses:
        if status.get("initial"):
            return status["id"]
    return all_statuses[0]["id"] if all_statuses else ""


def status_label(record_type: str, status_id: str, config=None):
    for status in statuses(record_type, config):
        if status["id"] == status_id:
            return status.get("label") or status_id
    return status_id


def user_permissions(user, record_type: str, config=None) -> set[str]:
    """Actions the user's roles grant on a record type ({"*"} for a superuser). The rules live in
    one place, kinga.accounts.policy (roles are pack data)."""
    from kinga.accounts.policy import permissions

    if user is None or not getattr(user, "is_authenticated", False):
        return set()
    return permissions(user, record_type, config_data(config))


def _grants(perms: set[str], action: str) -> bool:
    return "*" in perms or action in perms


def _from_matches(transition: dict, status: str) -> bool:
    sources = transition.get("from")
    return sources in (None, "*") or status in (sources if isinstance(sources, list) else [sources])


def _user_may(transition: dict, perms: set[str]) -> bool:
    if not _grants(perms, transition.get("permission") or DEFAULT_PERMISSION):
        return False
    return not transition.get("requires_approval") or _grants(perms, APPROVE)


def allowed_transitions(record, user=None, config=None) -> list[dict]:
    """Transitions available from the record's current status; filtered by the user's permissions
    when a user is given."""
    data = config_data(config)
    out = [
        t
        for t in workflow_for(record.record_type, data).get("transitions") or []
        if _from_matches(t, record.status)
    ]
    if user is not None:
        perms = user_permissions(user, record.record_type, data)
        out = [t for t in out if _user_may(t, perms)]
    return out


def check_transition(*, user, record, transition_id: str, config=None) -> dict:
    """The transition definition if `user` may apply it to `record` now; raises a KingaError saying why not."""
    data = config_data(config)
    wf = workflow_for(record.record_type, data)
    transition = next((t for t in wf.get("transitions") or [] if t["id"] == transition_id), None)
    if transition is None:
        known = ", ".join(t["id"] for t in wf.get("transitions") or []) or "none"
        raise KingaError(
            f"'{transition_id}' is not a transition of {record.record_type} records (known: {known}).",
            code="unknown_transition",
        )
    if transition["to"] not in {s["id"] for s in wf.get("statuses") or []}:
        raise KingaError(
            f"Transition '{transition_id}' leads to status '{transition['to']}', which the configuration does not define.",
            code="invalid_workflow",
        )
    if not _from_matches(transition, record.status):
        raise Conflict(
            f"'{transition_id}' cannot be applied to a record whose status is '{record.status or 'none'}'.",
            code="transition_not_allowed",
        )
    perms = user_permissions(user, record.record_type, data)
    needed = transition.get("permission") or DEFAULT_PERMISSION
    if not _grants(perms, needed):
        raise PermissionDenied(
            f"Your roles do not allow '{transition_id}' (needs the '{needed}' permission)."
        )
    if transition.get("requires_approval") and not _grants(perms, APPROVE):
        raise PermissionDenied(
            f"'{transition_id}' needs a supervisor's approval: ask someone with the 'approve' permission.",
            code="approval_required",
        )
    return transition


def transition(*, user, record, transition_id: str, reason: str = ""):
    """Apply a workflow transition (validated, versioned, audited). See workflow.actions.transition."""
    from .actions import transition as apply_transition

    return apply_transition(user=user, record=record, transition_id=transition_id, reason=reason)
