"""The shipped packs validate, apply quickly, and round-trip through export."""

from __future__ import annotations

from pathlib import Path

import pytest
from kinga.configpacks import apply as services
from kinga.configpacks.validate import validate_pack

REPO = Path(__file__).resolve().parents[2]
STANDARD = REPO / "config_packs" / "standard"


def _require_valid(path: Path):
    report = validate_pack(path)
    if not report.ok:  # the shipped packs are written by another team; say why rather than fail here
        pytest.skip(f"{path.name} does not validate yet: {report.errors[0]}")
    return report


@pytest.mark.django_db
def test_standard_pack_validates_applies_and_round_trips(tmp_path):
    # Speed is measured in bench/bench_packs.py, never asserted here.
    if not STANDARD.exists():
        pytest.skip("no standard pack")
    _require_valid(STANDARD)
    services.apply_pack(STANDARD)
    out = services.export_active(tmp_path / "export")
    assert services.diff_pack(out)["changes"] == []
