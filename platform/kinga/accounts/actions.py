"""Writes about users: creation (with the password policy), role and group changes, record grants.
Each is audited; role ids are checked against the active configuration by the caller."""

from __future__ import annotations

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from kinga.audit.chain import record_event
from kinga.core.errors import Conflict, FieldIssue, KingaError, ValidationFailed

from .models import Agency, RecordAccess, User, UserGroup


def _check_password(password: str, user: User) -> None:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationFailed(
            [FieldIssue("password", "weak_password", message) for message in exc.messages],
            message="The password does not meet the password policy.",
        ) from None


def create_user(
    *,
    by,
    username: str,
    password: str,
    roles: list[str],
    known_roles: set[str],
    agency: str | None = None,
    location: str = "",
    groups: list[str] | None = None,
    email: str = "",
    language: str = "en",
) -> User:
    _check_roles(roles, known_roles)
    if User.objects.filter(username__iexact=username).exists():
        raise Conflict(f"A user called '{username}' already exists.", code="username_taken")
    user = User(username=username, email=email, location=location, roles=list(roles), language=language)
    if agency:
        user.agency = _agency(agency)
    _check_password(password, user)
    user.set_password(password)
    with transaction.atomic():
        user.save()
        if groups:
            user.groups_kinga.set(_groups(groups))
        record_event(
            "user.create",
            user=by,
            details={"username": username, "roles": list(roles), "agency": agency, "groups": groups or []},
        )
    return user


def change_user(
    *,
    by,
    user: User,
    known_roles: set[str],
    roles: list[str] | None = None,
    groups: list[str] | None = None,
    agency: str | None = None,
    location: str | None = None,
    is_active: bool | None = None,
) -> User:
    """Role, group, agency, location or active-state changes: each change is audited with its
    before and after, since a permission change is as sensitive as a data change."""
    changes: dict[str, dict] = {}
    with transaction.atomic():
        if roles is not None:
            _check_roles(roles, known_roles)
            if sorted(roles) != sorted(user.roles or []):
                changes["roles"] = {"from": list(user.roles or []), "to": list(roles)}
                user.roles = list(roles)
        if agency is not None:
            new = _agency(agency) if agency else None
            if new != user.agency:
                changes["agency"] = {"from": getattr(user.agency, "code", None), "to": agency or None}
                user.agency = new
        if location is not None and location != user.location:
            changes["location"] = {"from": user.location, "to": location}
            user.location = location
        if is_active is not None and is_active != user.is_active:
            changes["is_active"] = {"from": user.is_active, "to": is_active}
            user.is_active = is_active
        user.save()
        if groups is not None:
            before = sorted(user.groups_kinga.values_list("code", flat=True))
            if sorted(groups) != before:
                user.groups_kinga.set(_groups(groups))
                changes["groups"] = {"from": before, "to": sorted(groups)}
        if changes:
            record_event(
                "user.permissions_change", user=by, details={"username": user.username, "changes": changes}
            )
    return user


def grant_record_access(*, by, user: User, record, reason: str = "", expires_at=None) -> RecordAccess:
    """Share one record with one user (assignment, referral to a named worker): it joins their
    "own" scope."""
    with transaction.atomic():
        grant = RecordAccess.objects.create(
            user=user,
            record_id=record.pk,
            record_type=record.record_type,
            reason=reason,
            granted_by=by if getattr(by, "pk", None) else None,
            expires_at=expires_at,
        )
        record_event(
            "record.access_grant", user=by, record=record, reason=reason, details={"to": user.username}
        )
    return grant


def revoke_record_access(*, by, grant: RecordAccess) -> None:
    RecordAccess.objects.filter(pk=grant.pk).update(revoked_at=timezone.now())
    record_event("record.access_revoke", user=by, details={"grant": grant.pk, "to": grant.user.username})


def _check_roles(roles: list[str], known: set[str]) -> None:
    unknown = sorted(set(roles) - known)
    if unknown:
        raise KingaError(
            f"Unknown role(s): {', '.join(unknown)}. Known: {', '.join(sorted(known))}.", code="unknown_role"
        )


def _agency(code: str) -> Agency:
    agency = Agency.objects.filter(code=code).first()
    if agency is None:
        raise KingaError(f"Unknown agency '{code}'.", code="unknown_agency")
    return agency


def _groups(codes: list[str]) -> list[UserGroup]:
    found = list(UserGroup.objects.filter(code__in=codes))
    missing = sorted(set(codes) - {g.code for g in found})
    if missing:
        raise KingaError(f"Unknown user group(s): {', '.join(missing)}.", code="unknown_group")
    return found
