import pytest
from kinga.configpacks import runtime


@pytest.fixture(autouse=True)
def _fresh_config_cache():
    runtime._cache.clear()
    yield
    runtime._cache.clear()


@pytest.fixture
def standard(db):
    from pathlib import Path

    from kinga.configpacks.apply import apply_pack

    apply_pack(Path(__file__).resolve().parents[2] / "config_packs" / "standard")
    runtime._cache.clear()
    return runtime.get_active()
