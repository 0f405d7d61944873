"""Fixtures for config-pack tests: fixture pack paths, a pack copier/editor, and record creation."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

PACKS = Path(__file__).resolve().parent / "packs"
BASE = PACKS / "good_base"
OVERLAY = PACKS / "good_overlay"


class PackCopy:
    """A writable copy of a fixture pack, edited through small helpers."""

    def __init__(self, path: Path):
        self.path = path

    def load(self, name: str):
        return yaml.safe_load((self.path / name).read_text(encoding="utf-8"))

    def save(self, name: str, data) -> None:
        target = self.path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")

    def edit(self, name: str, fn) -> None:
        data = self.load(name)
        self.save(name, fn(data) or data)

    def set_version(self, version: str) -> None:
        self.edit("pack.yaml", lambda d: d.update(version=version))


@pytest.fixture
def pack_copy(tmp_path):
    def _copy(src: Path = BASE, name: str | None = None) -> PackCopy:
        dest = tmp_path / (name or src.name)
        shutil.copytree(src, dest)
        return PackCopy(dest)

    return _copy


@pytest.fixture
def make_case(db):
    """Create a record through the action layer (the active configuration must allow the data)."""

    def _make(data: dict, record_type: str = "case"):
        from kinga.records.actions import create_record

        return create_record(user=None, record_type=record_type, data=data)

    return _make
