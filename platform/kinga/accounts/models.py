"""Users, agencies and user groups. Roles are pack data: a user holds role ids from the active config."""

from django.contrib.auth.models import AbstractUser
from django.db import models


class Agency(models.Model):
    code = models.SlugField(max_length=64, unique=True)
    name = models.CharField(max_length=200)

    def __str__(self) -> str:
        return self.name


class UserGroup(models.Model):
    code = models.SlugField(max_length=64, unique=True)
    name = models.CharField(max_length=200)
    agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.PROTECT)

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="users")
    groups_kinga = models.ManyToManyField(UserGroup, blank=True, related_name="members")
    # Location code from the pack's hierarchy; scopes by location subtree use it.
    location = models.CharField(max_length=64, blank=True, default="")
    # Role ids defined by the active configuration's roles (pack data).
    roles = models.JSONField(default=list, blank=True)
    language = models.CharField(max_length=16, default="en")
    time_zone = models.CharField(max_length=64, default="UTC")


# Access grants and security state. Records are referred to by id (no foreign key): accounts sits
# below records in the layering, as the audit trail does.


class RecordAccess(models.Model):
    """An explicit grant of one record to one user (assigned or referred to them): part of the
    "own" scope alongside the records they own."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="record_access")
    record_id = models.UUIDField(db_index=True)
    record_type = models.CharField(max_length=64)
    reason = models.CharField(max_length=500, blank=True, default="")
    granted_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    granted_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["user", "record_id"])]


class BreakGlassGrant(models.Model):
    """Emergency access to one record for a short time: justified, alerted and audited."""

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="break_glass_grants")
    record_id = models.UUIDField(db_index=True)
    record_type = models.CharField(max_length=64)
    record_short_id = models.CharField(max_length=32, blank=True, default="")
    reason = models.TextField()
    opened_at = models.DateTimeField(db_index=True)
    expires_at = models.DateTimeField(db_index=True)
    ip = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["-opened_at"]


class Alert(models.Model):
    """A message to one person (break-glass opened, consent overridden). Kept in the database so the
    alert exists even when mail or SMS is down."""

    recipient = models.ForeignKey(User, on_delete=models.CASCADE, related_name="alerts")
    kind = models.CharField(max_length=64, db_index=True)
    message = models.TextField()
    record_id = models.UUIDField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]


class IntegrationToken(models.Model):
    """An API key for another system, limited to `scopes` ("case:view", "notification:create",
    "case:*") and to an expiry. Only a hash of the key is stored; the key is shown once."""

    name = models.CharField(max_length=100)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="integration_tokens")
    scopes = models.JSONField(default=list)
    prefix = models.CharField(max_length=16, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)


class EnrolmentToken(models.Model):
    """A short-lived key issued at login to a user who must enrol in two-factor authentication:
    accepted by the 2FA set-up endpoints only."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    key_hash = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField()


class LoginFailure(models.Model):
    """One failed login (wrong password or code) per row; lockout counts recent rows per
    username + IP address."""

    username = models.CharField(max_length=150, db_index=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    at = models.DateTimeField(db_index=True)
