"""A draft is a pack's source files held in the database ({relative path: text}). It lives only in the
builder (STYLE.md: published configuration is immutable; drafts live only in the builder)."""

from django.conf import settings
from django.db import models


class Draft(models.Model):
    OPEN, PUBLISHED, DISCARDED = "open", "published", "discarded"
    STATUSES = [(OPEN, "open"), (PUBLISHED, "published"), (DISCARDED, "discarded")]

    name = models.CharField(max_length=200)
    # The active version the draft started from: locked fields are judged against it, and
    # publishing refuses (unless forced) when another version became active in the meantime.
    base_version = models.ForeignKey(
        "configpacks.ConfigVersion", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    files = models.JSONField(default=dict)
    # Prefix that keys, lookups and option codes added in this draft must carry (kv -> kv_school), so
    # a later standard field never clashes; empty when the draft adds no namespace rule.
    namespace = models.CharField(max_length=16, blank=True, default="")
    status = models.CharField(max_length=16, choices=STATUSES, default=OPEN)
    # Bumped by every edit; a client may send the revision it saw to avoid overwriting another edit.
    revision = models.PositiveIntegerField(default=0)
    published_version = models.ForeignKey(
        "configpacks.ConfigVersion", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at"]

    def __str__(self) -> str:
        return f"draft {self.pk} ({self.name})"
