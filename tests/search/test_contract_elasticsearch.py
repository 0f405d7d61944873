"""The contract against a real Elasticsearch, only when ELASTICSEARCH_URL is set."""

import os

import pytest

from .contract import BackendContract

pytestmark = pytest.mark.skipif(
    not os.environ.get("ELASTICSEARCH_URL"),
    reason="ELASTICSEARCH_URL is not set: no Elasticsearch server to run the contract against",
)


class TestElasticsearchBackend(BackendContract):
    backend_name = "elasticsearch"

    @pytest.fixture(autouse=True)
    def _es_settings(self, settings):
        settings.ELASTICSEARCH_URL = os.environ.get("ELASTICSEARCH_URL", "")
        settings.KINGA_ES_INDEX = "kinga-test-records"
