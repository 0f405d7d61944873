"""Records: one model for every record type the packs define. Data is JSON keyed by field key."""

import uuid

from django.conf import settings
from django.db import models


class Record(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    short_id = models.CharField(max_length=32, unique=True)
    record_type = models.CharField(max_length=64, db_index=True)
    module = models.CharField(max_length=64, db_index=True)
    data = models.JSONField(default=dict)
    # Data-quality warnings from the last validation: [{field, code, message}] (non-blocking).
    warnings = models.JSONField(default=list, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="owned_records"
    )
    agency = models.ForeignKey("accounts.Agency", null=True, blank=True, on_delete=models.PROTECT)
    location = models.CharField(max_length=64, blank=True, default="", db_index=True)
    status = models.CharField(max_length=64, blank=True, default="", db_index=True)
    # The same person across records (after "link as the same person"): counted once in KPIs.
    person_id = models.UUIDField(default=uuid.uuid4, db_index=True)
    config_version = models.ForeignKey("configpacks.ConfigVersion", on_delete=models.PROTECT)
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(db_index=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(db_index=True)
    deleted_at = models.DateTimeField(null=True, blank=True, db_index=True)
    # Denormalised text for free-text search (kept by the action layer).
    search_text = models.TextField(blank=True, default="")

    class Meta:
        indexes = [models.Index(fields=["record_type", "status", "-updated_at"])]

    def __str__(self) -> str:
        return f"{self.record_type} {self.short_id}"


class RecordLink(models.Model):
    """A typed link between two records (case-incident, case-tracing_request, sibling, same_person)."""

    from_record = models.ForeignKey(Record, on_delete=models.CASCADE, related_name="links_out")
    to_record = models.ForeignKey(Record, on_delete=models.CASCADE, related_name="links_in")
    link_type = models.CharField(max_length=64)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["from_record", "to_record", "link_type"], name="unique_record_link"
            )
        ]


class Attachment(models.Model):
    """Bytes live in storage; the record's field holds the attachment id and metadata."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    record = models.ForeignKey(
        Record, null=True, blank=True, on_delete=models.CASCADE, related_name="attachments"
    )
    field_key = models.CharField(max_length=128, blank=True, default="")
    file = models.FileField(upload_to="attachments/%Y/%m/")
    file_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=128)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)


class ShortIdReservation(models.Model):
    """A short id handed to a user's device before it goes offline (see shortids.py). Used once, by
    the user it was reserved for; `used_at` is set when the record is created with it."""

    short_id = models.CharField(max_length=32, unique=True)
    record_type = models.CharField(max_length=64)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    reserved_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["user", "record_type", "used_at"])]

    def __str__(self) -> str:
        return self.short_id
