"""Elasticsearch backend: mapping and query building (no server needed)."""

import datetime as dt
import uuid
from types import SimpleNamespace

from kinga_search.backends import elasticsearch as esb

from .conftest import CASE_RULES, build_config


def test_mapping_is_generated_from_the_pack():
    body = esb.build_index(build_config(), "kinga-test").to_dict()
    analyzer = body["settings"]["analysis"]["analyzer"]["kinga_folding"]
    assert analyzer["filter"] == ["lowercase", "asciifolding"]
    props = body["mappings"]["properties"]
    data = props["data"]["properties"]
    assert data["name_first"]["type"] == "text" and data["name_first"]["analyzer"] == "kinga_folding"
    assert data["name_first"]["fields"]["raw"]["type"] == "keyword"
    assert data["sex"]["type"] == "keyword"
    assert data["location"]["type"] == "keyword"
    assert data["date_of_birth"]["type"] == "date"
    assert data["age"]["type"] == "long"
    assert props["data"]["dynamic"] is False  # unknown keys never grow the mapping
    for meta in ("record_id", "short_id", "record_type", "agency", "name_keys"):
        assert props[meta]["type"] == "keyword"
    assert props["all_text"]["analyzer"] == "kinga_folding"


def test_conflicting_field_types_fall_back_to_text():
    config = build_config()
    config["forms"]["tr"]["sections"][0]["fields"][0] = {
        **config["forms"]["tr"]["sections"][0]["fields"][0],
        "type": "integer",
    }
    props = esb.build_mapping(config).to_dict()["properties"]["data"]["properties"]
    assert props["name_first"]["type"] == "text"


def test_search_query_folds_and_canonicalises():
    body = esb.build_search("Mohamed  Ali", index="i").to_dict()
    should = body["query"]["bool"]["should"]
    assert should[0] == {"match": {"all_text": {"query": "muhammad ali", "operator": "and", "boost": 2}}}
    assert should[1]["match"]["all_text"]["fuzziness"] == "AUTO"
    assert body["size"] == esb.MAX_HITS
    assert esb.build_search("  ") is None
    assert (
        esb.build_search("محمد").to_dict()["query"]["bool"]["should"][0]["match"]["all_text"]["query"]
        == "muhammad"
    )


def test_candidates_query_counts_shared_keys():
    body = esb.build_candidates_search("case", ["q:MT|AL", "b:MT:2015"], ["abc"], 50, index="i").to_dict()
    assert {"term": {"record_type": "case"}} in body["query"]["bool"]["filter"]
    query = body["query"]["bool"]
    assert {"bool": {"must_not": [{"ids": {"values": ["abc"]}}]}} in query["filter"]
    assert query["minimum_should_match"] == 1
    assert query["should"][0] == {
        "constant_score": {"filter": {"term": {"name_keys": "q:MT|AL"}}, "boost": 1.0}
    }
    assert body["size"] == 50


def test_document_carries_folded_text_and_blocking_keys():
    record = SimpleNamespace(
        pk=uuid.uuid4(), short_id="CP-AAAA-BBBB-C", record_type="case", agency_id=3, location="KE0101",
        status="open", updated_at=dt.datetime(2024, 1, 1, tzinfo=dt.UTC), created_at=dt.datetime(2024, 1, 1, tzinfo=dt.UTC),
        search_text="", data={"name_first": "محمد", "name_last": "Ali", "date_of_birth": "2015-03-04"},
    )  # fmt: skip
    doc = esb.build_document(record, CASE_RULES)
    assert "muhammad" in doc["all_text"].split() and "cp" in doc["all_text"].split()
    assert {"b:MMT:2015", "d:MMT:2015:03-04", "q:MMT|AL", "q:AL|MMT"} <= set(doc["name_keys"])


def test_index_many_sends_bulk_actions(monkeypatch, search_config):
    sent = []
    monkeypatch.setattr(
        "elasticsearch.helpers.bulk", lambda client, actions, **kw: sent.extend(actions) or (len(sent), [])
    )
    backend = esb.ElasticsearchBackend(client=object())  # never called: bulk() is replaced
    record = SimpleNamespace(
        pk=uuid.uuid4(), short_id="CP-1", record_type="case", agency_id=None, location="", status="",
        updated_at=None, created_at=None, deleted_at=None, search_text="Grace", data={"name_first": "Grace", "name_last": "Akinyi"},
    )  # fmt: skip
    assert backend.index_many([record], index="kinga-x") == 1
    assert sent[0]["_index"] == "kinga-x" and sent[0]["_id"] == str(record.pk)
    assert sent[0]["_source"]["name_keys"] == ["q:AKN|GRS", "q:GRS|AKN"]
