import pytest
from kinga.configpacks import runtime

from tests.records.factories import install_case_config


@pytest.fixture(autouse=True)
def _fresh_config_cache():
    # Test transactions roll back, so SQLite can hand the next ConfigVersion the same pk and number
    # as a previous test's: the per-process cache must not serve that test's configuration.
    runtime._cache.clear()
    yield
    runtime._cache.clear()


@pytest.fixture
def case_config(db):
    return install_case_config()


@pytest.fixture
def worker(make_user):
    return make_user(username="worker", agency="agency-a")
