import pytest


@pytest.fixture(autouse=True)
def _fresh_config_cache():
    from kinga.configpacks import runtime

    runtime._cache.clear()
    yield
    runtime._cache.clear()
