"""Applied configuration versions: immutable, content-hashed, with who/when/diff. Exactly one is active."""

from django.conf import settings
from django.db import models


class ConfigVersion(models.Model):
    number = models.PositiveIntegerField(unique=True)
    content_hash = models.CharField(max_length=64, db_index=True)
    # The effective configuration (all packs merged, expressions compiled to ASTs). Never edited.
    config = models.JSONField()
    # Which packs (id + version) produced it, outermost last.
    packs = models.JSONField(default=list)
    diff = models.JSONField(default=dict, blank=True)
    migrations = models.JSONField(default=list, blank=True)
    applied_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT)
    applied_at = models.DateTimeField(auto_now_add=True)
    note = models.TextField(blank=True, default="")
    is_active = models.BooleanField(default=False, db_index=True)
    rolled_back_from = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_active"], condition=models.Q(is_active=True), name="one_active_config"
            )
        ]

    def __str__(self) -> str:
        return f"configuration v{self.number} ({self.content_hash[:10]})"
