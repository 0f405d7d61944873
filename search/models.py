"""Search and duplicate-detection state. None of it is the record itself: every row here can be
rebuilt from records (SearchDocument, SearchKey via `kinga search reindex`) or is a decision people
made about records (DuplicateDecision, MergeRecord)."""

from django.conf import settings
from django.db import models


class SearchDocument(models.Model):
    """Folded, transliterated text of one record for the database backend's full-text search.

    The integer id is the SQLite FTS5 rowid, so updates and deletes there are index lookups.
    PostgreSQL indexes `text` with GIN (tsvector and trigram) in migration 0002.
    """

    record = models.OneToOneField("records.Record", on_delete=models.CASCADE, related_name="search_document")
    record_type = models.CharField(max_length=64)
    text = models.TextField(blank=True, default="")


class SearchKey(models.Model):
    """Blocking keys for duplicate detection (see matching/blocking.py): name × birth year
    ("b:MT:2015"), name × date of birth ("d:MT:2015:03-04"), name × another name's prefix ("q:MT|AL").
    Only records sharing a key are ever compared."""

    record = models.ForeignKey("records.Record", on_delete=models.CASCADE, related_name="search_keys")
    record_type = models.CharField(max_length=64)
    field = models.CharField(max_length=128)
    key = models.CharField(max_length=64)

    class Meta:
        indexes = [
            models.Index(fields=["record_type", "key"], name="kinga_search_key_rt_key"),
        ]


class DuplicateDecision(models.Model):
    """A person's decision about a pair, so the pair is not proposed again. record_a < record_b (by id)."""

    NOT_DUPLICATE = "not_duplicate"
    SAME_PERSON = "same_person"
    DECISIONS = [(NOT_DUPLICATE, "Not the same person"), (SAME_PERSON, "Same person (linked)")]

    record_a = models.ForeignKey("records.Record", on_delete=models.CASCADE, related_name="+")
    record_b = models.ForeignKey("records.Record", on_delete=models.CASCADE, related_name="+")
    decision = models.CharField(max_length=32, choices=DECISIONS)
    note = models.TextField(blank=True, default="")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["record_a", "record_b"], name="kinga_search_one_decision")
        ]


class MergeRecord(models.Model):
    """One merge of `source` into `target`, with everything needed to undo it."""

    target = models.ForeignKey("records.Record", on_delete=models.PROTECT, related_name="+")
    source = models.ForeignKey("records.Record", on_delete=models.PROTECT, related_name="+")
    # {field key: "target" | "source"}: where each differing field's merged value came from.
    choices = models.JSONField(default=dict)
    # Pre-merge snapshots: {"data", "version", "person_id", "deleted_at"} of each record.
    target_before = models.JSONField()
    source_before = models.JSONField()
    target_version_after = models.PositiveIntegerField()
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    merged_at = models.DateTimeField(auto_now_add=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    undone_at = models.DateTimeField(null=True, blank=True)
