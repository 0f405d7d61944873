"""The Elasticsearch backend (elasticsearch-dsl 8). Optional: for large deployments that want
fuzzy multi-field search without loading the database.

Verified here only by unit tests of the mapping and query building (tests/search/test_elasticsearch.py)
unless ELASTICSEARCH_URL was set when the contract suite ran — see search/README.md.

One index (an alias, KINGA_ES_INDEX, default "kinga-records") holds every record type. Field
mappings are generated from the active pack: text types get an ASCII-folding analyzer, codes are
keywords, dates are dates. A full reindex builds a new concrete index and swaps the alias, so search
keeps working during it.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from typing import Any

from django.conf import settings
from django.db.models import Case, FloatField, QuerySet, Value, When
from elasticsearch_dsl import Index, Mapping, Q, Search, analyzer
from elasticsearch_dsl import field as es
from kinga.configpacks.runtime import get_active
from kinga.records.models import Record

from ..rules import all_rules
from .base import SearchBackend, document_text, query_keys, query_terms, record_keys
from .registry import backends

FOLDING = analyzer("kinga_folding", tokenizer="standard", filter=["lowercase", "asciifolding"])
MAX_HITS = 1000  # search() results are capped: free text is for finding, lists are for browsing

# Field type (formengine registry name) → mapping factory. Unknown types map as folded text.
_TEXT = lambda: es.Text(analyzer=FOLDING, fields={"raw": es.Keyword(ignore_above=256)})  # noqa: E731
TYPE_MAP = {
    "text": _TEXT,
    "textarea": lambda: es.Text(analyzer=FOLDING),
    "select_one": es.Keyword,
    "select_multiple": es.Keyword,
    "yes_no": es.Keyword,
    "tick_box": es.Keyword,
    "location": es.Keyword,
    "date": lambda: es.Date(format="strict_date_optional_time||yyyy-MM||yyyy"),
    "datetime": es.Date,
    "integer": es.Long,
    "decimal": es.Double,
    "calculated": es.Keyword,
    # Rows are searchable through all_text; mapping them would let a pack explode the mapping.
    "subform": lambda: es.Object(enabled=False),
    "attachment": lambda: es.Object(enabled=False),
}
SKIP_TYPES = {"note", "section"}


def index_alias() -> str:
    return getattr(settings, "KINGA_ES_INDEX", "kinga-records")


def build_mapping(config_data: dict) -> Mapping:
    """The index mapping for an effective configuration (all record types in one index)."""
    m = Mapping()
    for name, factory in [
        ("record_id", es.Keyword),
        ("short_id", es.Keyword),
        ("record_type", es.Keyword),
        ("agency", es.Keyword),
        ("location", es.Keyword),
        ("status", es.Keyword),
        ("updated_at", es.Date),
        ("name_keys", es.Keyword),
    ]:
        m.field(name, factory())
    m.field("all_text", es.Text(analyzer=FOLDING))
    data_props: dict[str, Any] = {}
    seen_types: dict[str, str] = {}
    for form in (config_data.get("forms") or {}).values():
        for section in form.get("sections", []):
            for field in section.get("fields", []):
                ftype = field.get("type", "text")
                if ftype in SKIP_TYPES:
                    continue
                key = field["key"]
                if key in seen_types and seen_types[key] != ftype:
                    data_props[key] = _TEXT()  # two record types disagree: keep it searchable as text
                    continue
                seen_types[key] = ftype
                data_props[key] = TYPE_MAP.get(ftype, _TEXT)()
    m.field("data", es.Object(dynamic=False, properties=data_props))
    return m


def build_index(config_data: dict, name: str) -> Index:
    index = Index(name)
    index.settings(number_of_shards=1, number_of_replicas=0)
    index.mapping(build_mapping(config_data))
    return index


def build_document(record: Record, rules: dict | None) -> dict:
    return {
        "record_id": str(record.pk),
        "short_id": record.short_id,
        "record_type": record.record_type,
        "agency": str(record.agency_id or ""),
        "location": record.location,
        "status": record.status,
        "updated_at": record.updated_at.isoformat() if record.updated_at else None,
        "name_keys": sorted({k for _f, k in record_keys(rules, record)}) if rules else [],
        "all_text": document_text(record),
        "data": record.data,
    }


def build_search(q: str, index: str | None = None) -> Search | None:
    terms = query_terms(q)
    if not terms:
        return None
    text = " ".join(terms)
    query = Q(
        "bool",
        should=[
            Q("match", all_text={"query": text, "operator": "and", "boost": 2}),
            Q("match", all_text={"query": text, "operator": "and", "fuzziness": "AUTO", "prefix_length": 1}),
            Q("match_phrase_prefix", all_text={"query": text}),
        ],
        minimum_should_match=1,
    )
    return Search(index=index or index_alias()).query(query).source(["record_id"])[:MAX_HITS]


def build_candidates_search(
    record_type: str, keys: list[str], exclude: Sequence[Any], limit: int, index=None
):
    """Each shared blocking key adds 1 to the score: the same ranking as the database backend."""
    should = [Q("constant_score", filter=Q("term", name_keys=k), boost=1.0) for k in keys]
    s = Search(index=index or index_alias()).filter("term", record_type=record_type)
    s = s.query(Q("bool", should=should, minimum_should_match=1))
    if exclude:
        s = s.exclude("ids", values=[str(e) for e in exclude if e])
    return s.source(["record_id"])[:limit]


@backends.register("elasticsearch")
class ElasticsearchBackend(SearchBackend):
    name = "elasticsearch"
    transactional = False

    def __init__(self, client=None):
        self._client = client

    @property
    def client(self):
        if self._client is None:
            from elasticsearch import Elasticsearch

            url = getattr(settings, "ELASTICSEARCH_URL", "")
            if not url:
                raise RuntimeError(
                    "KINGA_SEARCH_BACKEND is 'elasticsearch' but ELASTICSEARCH_URL is not set."
                )
            self._client = Elasticsearch(url, request_timeout=10)
        return self._client

    def ensure_index(self) -> None:
        alias = index_alias()
        if not self.client.indices.exists_alias(name=alias):
            name = f"{alias}-{int(time.time() * 1000)}"
            build_index(get_active().data, name).create(using=self.client)
            self.client.indices.put_alias(index=name, name=alias)

    def index_many(self, records: Iterable[Record], *, fresh: bool = False, index: str | None = None) -> int:
        from elasticsearch.helpers import bulk

        rules = all_rules()
        target = index or index_alias()
        if index is None:
            self.ensure_index()
        actions, removed = [], []
        for r in records:
            if r.deleted_at is not None:
                removed.append(r.pk)
                continue
            actions.append(
                {
                    "_op_type": "index",
                    "_index": target,
                    "_id": str(r.pk),
                    "_source": build_document(r, rules.get(r.record_type)),
                }
            )
        if removed:
            self.remove(removed)
        ok, _errors = bulk(self.client, actions, chunk_size=1000, refresh="wait_for")
        return ok

    def remove(self, record_ids: Sequence[Any]) -> None:
        from elasticsearch.helpers import bulk

        actions = [{"_op_type": "delete", "_index": index_alias(), "_id": str(i)} for i in record_ids]
        bulk(self.client, actions, raise_on_error=False, refresh="wait_for")

    def clear(self) -> None:
        alias = index_alias()
        if self.client.indices.exists_alias(name=alias):
            for name in self.client.indices.get_alias(name=alias):
                self.client.indices.delete(index=name)

    def reindex(self, records: Iterable[Record]) -> int:
        """Build a fresh index from `records`, then point the alias at it and drop the old one."""
        alias = index_alias()
        name = f"{alias}-{int(time.time() * 1000)}"
        build_index(get_active().data, name).create(using=self.client)
        count = self.index_many(records, index=name)
        old = (
            list(self.client.indices.get_alias(name=alias))
            if self.client.indices.exists_alias(name=alias)
            else []
        )
        actions = [{"remove": {"index": o, "alias": alias}} for o in old] + [
            {"add": {"index": name, "alias": alias}}
        ]
        self.client.indices.update_aliases(actions=actions)
        for o in old:
            self.client.indices.delete(index=o)
        return count

    def search(self, qs: QuerySet, q: str) -> QuerySet:
        s = build_search(q)
        if s is None:
            return qs
        hits = s.using(self.client).execute()
        scores = {h.record_id: h.meta.score for h in hits}
        if not scores:
            return qs.none()
        rank = Case(
            *[When(pk=pk, then=Value(score)) for pk, score in scores.items()], output_field=FloatField()
        )
        return qs.filter(pk__in=list(scores)).annotate(search_rank=rank).order_by("-search_rank", "pk")

    def candidates(
        self,
        record_type: str,
        data: dict,
        *,
        limit: int = 100,
        exclude: Sequence[Any] = (),
        rules: dict | None = None,
    ) -> list[Any]:
        rules = rules or all_rules().get(record_type)
        keys = query_keys(rules, data) if rules else []
        if not keys:
            return []
        s = build_candidates_search(record_type, keys, exclude, limit)
        return [h.record_id for h in s.using(self.client).execute()]

    def check_health(self) -> str:
        info = self.client.info()
        return f"elasticsearch {info['version']['number']} at {getattr(settings, 'ELASTICSEARCH_URL', '')}"
