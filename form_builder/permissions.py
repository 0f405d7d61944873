"""Who may use the builder: superusers, and users holding a role that the ACTIVE configuration grants
`manage_configuration` on any record type (the standard pack's im_admin). Judged against the active
configuration, never a draft, so a draft cannot grant its author new powers."""

from __future__ import annotations

from kinga.configpacks.runtime import NoActiveConfig, get_active
from kinga.core.errors import PermissionDenied

PERMISSION = "manage_configuration"


def can_manage_configuration(user) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    try:
        roles = get_active().data.get("roles", {})
    except NoActiveConfig:
        return False
    for role_id in user.roles or []:
        role = roles.get(role_id) or {}
        if any(PERMISSION in (actions or []) for actions in (role.get("permissions") or {}).values()):
            return True
    return False


def require_admin(user) -> None:
    if not can_manage_configuration(user):
        raise PermissionDenied(
            "Only an information-management administrator (a role with the manage_configuration "
            "permission, such as im_admin) may change the configuration."
        )
