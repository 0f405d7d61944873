import pytest
from kinga.configpacks import runtime


@pytest.fixture(autouse=True)
def _fresh_config_cache():
    # Rolled-back test transactions can reuse a ConfigVersion pk/number: never serve a stale config.
    runtime._cache.clear()
    yield
    runtime._cache.clear()


@pytest.fixture
def system(make_user):
    """A superuser acting as the system (sees every record)."""
    return make_user(username="system", roles=(), agency="agency-a", is_superuser=True)
