import pytest
from access_world import build_world  # noqa: F401  (the fixture)
from kinga.configpacks import runtime


@pytest.fixture(autouse=True)
def _fresh_config_cache():
    runtime._cache.clear()
    yield
    runtime._cache.clear()
