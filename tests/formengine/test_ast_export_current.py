"""The TypeScript evaluator's tests read frontend/src/expressions/vectors.ast.json, exported by
frontend/scripts/export-asts.py from the Python parser. This fails when the export is out of date
(after a change to the vectors or to the parser): rerun the script and commit the file."""

from __future__ import annotations

import importlib.util
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / "frontend" / "scripts" / "export-asts.py"
EXPORT = REPO / "frontend" / "src" / "expressions" / "vectors.ast.json"


def test_ast_export_is_current():
    spec = importlib.util.spec_from_file_location("export_asts", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert EXPORT.exists(), "run: PYTHONPATH=platform .venv/bin/python frontend/scripts/export-asts.py"
    assert EXPORT.read_text(encoding="utf-8") == module.build(), (
        "frontend/src/expressions/vectors.ast.json is stale; "
        "run: PYTHONPATH=platform .venv/bin/python frontend/scripts/export-asts.py"
    )
