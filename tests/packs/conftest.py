"""Fixtures for pack tests: throw-away copies of packs to mutate."""

import shutil
from pathlib import Path

import pytest


@pytest.fixture
def pack_copy(tmp_path):
    """Copy a pack folder into tmp_path; returns its new path."""

    def _copy(src: Path, name: str | None = None) -> Path:
        dest = tmp_path / (name or src.name)
        shutil.copytree(src, dest)
        return dest

    return _copy
