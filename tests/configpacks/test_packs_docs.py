"""docs/packs.md embeds the generated file-kind reference and rule table verbatim."""

from __future__ import annotations

from pathlib import Path

from kinga.configpacks import schemadoc
from kinga.configpacks.problems import RULES

DOC = Path(__file__).resolve().parents[2] / "docs" / "packs.md"


def test_docs_contain_generated_reference():
    text = DOC.read_text(encoding="utf-8")
    assert schemadoc.render() in text, (
        "run: python -m kinga.configpacks.schemadoc and paste it into docs/packs.md"
    )


def test_every_rule_is_documented():
    text = DOC.read_text(encoding="utf-8")
    assert all(f"`{code}`" in text for code in RULES)
