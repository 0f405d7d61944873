"""Every deliberately broken pack gives its own clear message, exit code 1 and no traceback."""

from __future__ import annotations

import pytest
from kinga.cli import main

from .conftest import PACKS

BROKEN = sorted(p for p in (PACKS / "broken").iterdir() if p.is_dir())


def test_there_are_at_least_twelve_distinct_broken_packs():
    expected = {(p / "expected.txt").read_text().strip() for p in BROKEN}
    assert len(BROKEN) >= 12 and len(expected) == len(BROKEN)


@pytest.mark.parametrize("pack", BROKEN, ids=[p.name for p in BROKEN])
def test_broken_pack(pack, capsys):
    code = main(["pack", "validate", str(pack), "--base", str(PACKS)])
    out, err = capsys.readouterr()
    assert code == 1
    assert "Traceback" not in out + err and "internal_error" not in out
    assert (pack / "expected.txt").read_text().strip() in out
    assert out.strip().splitlines()[-1].endswith("warning(s).")


@pytest.mark.parametrize(
    "path", ["/no/such/path", str(PACKS), str(PACKS / "broken" / "no_pack_yaml" / "x.zip")]
)
def test_paths_that_are_not_packs(path, capsys):
    assert main(["pack", "validate", path]) == 1
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err and "internal_error" not in out
