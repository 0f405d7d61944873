"""Request/response shapes of the records API. Record data is validated by the form engine, not here:
these serializers only check the envelope (and document it in OpenAPI)."""

from __future__ import annotations

from django.db.models import Q
from rest_framework import serializers

from kinga.formengine.engine import warning_message
from kinga.records.models import RecordLink


class IssueSerializer(serializers.Serializer):
    field = serializers.CharField()
    code = serializers.CharField()
    message = serializers.CharField()
    severity = serializers.ChoiceField(choices=["error", "warning"])


class LinkSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    link_type = serializers.CharField()
    direction = serializers.ChoiceField(choices=["out", "in"])
    record_id = serializers.UUIDField()
    short_id = serializers.CharField()
    record_type = serializers.CharField()


class RecordSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    short_id = serializers.CharField()
    record_type = serializers.CharField()
    module = serializers.CharField()
    status = serializers.CharField()
    data = serializers.DictField(help_text="Field key → value, as the record type's forms define.")
    warnings = IssueSerializer(many=True)
    version = serializers.IntegerField()
    config_version = serializers.IntegerField()
    owner = serializers.CharField(allow_null=True, help_text="Username")
    agency = serializers.CharField(allow_null=True, help_text="Agency code")
    location = serializers.CharField()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    links = LinkSerializer(many=True)


class RecordPageSerializer(serializers.Serializer):
    count = serializers.IntegerField(
        help_text="Matches: exact up to 1,000, else a lower bound (see count_exact)."
    )
    count_exact = serializers.BooleanField(help_text="False when there are more than `count` matches.")
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = RecordSerializer(many=True)


class RecordCreateSerializer(serializers.Serializer):
    data = serializers.DictField(help_text="Field key → value.")
    status = serializers.CharField(required=False, max_length=64)
    location = serializers.CharField(required=False, allow_blank=True, max_length=64)
    short_id = serializers.CharField(required=False, max_length=32, help_text="An id minted offline.")


class RecordPatchSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=1, help_text="The version you edited (optimistic locking).")
    data = serializers.DictField(help_text="Only the fields that change; null clears a field.")


class LinkCreateSerializer(serializers.Serializer):
    to = serializers.CharField(max_length=64, help_text="Target record id or short id.")
    link_type = serializers.CharField(max_length=64)
    override = serializers.BooleanField(
        required=False, default=False, help_text="Link despite consent (needs override_consent)."
    )
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


def attach_links(records) -> None:
    """Load the links of many records in one query, as `record.link_rows`, which `_links` reads.
    (prefetch_related did the same with two queries but cloned a queryset per record, which cost
    more than the queries on a page of 50.) Only what a link shows of the other record is read."""
    by_id = {record.pk: record for record in records}
    for record in records:
        record.link_rows = []
    if not by_id:
        return
    rows = (
        RecordLink.objects.filter(Q(from_record_id__in=list(by_id)) | Q(to_record_id__in=list(by_id)))
        .order_by("id")
        .values_list(
            "id", "link_type", "from_record_id", "to_record_id",
            "from_record__short_id", "from_record__record_type", "from_record__deleted_at",
            "to_record__short_id", "to_record__record_type", "to_record__deleted_at",
        )
    )  # fmt: skip
    outgoing, incoming = [], []
    for pk, link_type, src, dst, src_short, src_type, src_deleted, dst_short, dst_type, dst_deleted in rows:
        if src in by_id and dst_deleted is None:
            outgoing.append((src, {"id": pk, "link_type": link_type, "direction": "out",
                                   "record_id": str(dst), "short_id": dst_short, "record_type": dst_type}))  # fmt: skip
        if dst in by_id and src_deleted is None:
            incoming.append((dst, {"id": pk, "link_type": link_type, "direction": "in",
                                   "record_id": str(src), "short_id": src_short, "record_type": src_type}))  # fmt: skip
    for owner, link in outgoing + incoming:  # outgoing first, as _links lists them
        by_id[owner].link_rows.append(link)


def _links(record) -> list[dict]:
    rows = getattr(record, "link_rows", None)
    if rows is not None:
        return list(rows)
    out = []
    for link in record.links_out.all():
        other = link.to_record
        if other.deleted_at is None:
            out.append(_link(link, "out", other))
    for link in record.links_in.all():
        other = link.from_record
        if other.deleted_at is None:
            out.append(_link(link, "in", other))
    return out


def _link(link, direction: str, other) -> dict:
    return {
        "id": link.id,
        "link_type": link.link_type,
        "direction": direction,
        "record_id": str(other.id),
        "short_id": other.short_id,
        "record_type": other.record_type,
    }


def record_to_dict(record, config, lang: str) -> dict:
    """The record as the API returns it; stored warnings are re-translated for `lang`."""
    warnings = []
    for w in record.warnings or []:
        message = warning_message(config, record.record_type, w.get("field", ""), w.get("code", ""), lang)
        warnings.append({**w, "message": message or w.get("message", ""), "severity": "warning"})
    return {
        "id": str(record.id),
        "short_id": record.short_id,
        "record_type": record.record_type,
        "module": record.module,
        "status": record.status,
        "data": record.data,
        "warnings": warnings,
        "version": record.version,
        "config_version": getattr(record, "config_number", None) or record.config_version.number,
        "owner": record.owner.username if record.owner_id else None,
        "agency": record.agency.code if record.agency_id else None,
        "location": record.location,
        "created_at": record.created_at.isoformat(),
        "updated_at": record.updated_at.isoformat(),
        "links": _links(record),
    }


class ShortIdReserveSerializer(serializers.Serializer):
    count = serializers.IntegerField(
        min_value=1, max_value=500, help_text="How many ids to reserve (a device's offline stock)."
    )


class ShortIdBlockSerializer(serializers.Serializer):
    record_type = serializers.CharField()
    short_ids = serializers.ListField(child=serializers.CharField())
