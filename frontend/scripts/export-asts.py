"""Export the JSON AST of every conformance vector for the TypeScript evaluator's tests.

The browser has no parser: the server compiles expressions. This script runs the Python parser over
tests/formengine/expression_vectors.json and writes frontend/src/expressions/vectors.ast.json:
{"source": <sha256 of the vector file>, "asts": {id: {"ast": ...} | {"error": code, "column", "expected"}}}.

Run from the repository root:  PYTHONPATH=platform .venv/bin/python frontend/scripts/export-asts.py
(tests/formengine/test_ast_export_current.py fails when the committed file is out of date.)
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
VECTORS = REPO / "tests" / "formengine" / "expression_vectors.json"
OUTPUT = REPO / "frontend" / "src" / "expressions" / "vectors.ast.json"


def build() -> str:
    from kinga.formengine.expressions import ExpressionSyntaxError, parse

    raw = VECTORS.read_bytes()
    asts: dict[str, dict] = {}
    for vec in json.loads(raw)["vectors"]:
        try:
            asts[vec["id"]] = {"ast": parse(vec["expr"])}
        except ExpressionSyntaxError as exc:
            asts[vec["id"]] = {"error": exc.code, "column": exc.column, "expected": exc.expected}
    doc = {"source": hashlib.sha256(raw).hexdigest(), "asts": asts}
    return json.dumps(doc, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def main() -> int:
    sys.path.insert(0, str(REPO / "platform"))
    text = build()
    OUTPUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUTPUT.relative_to(REPO)} ({len(json.loads(text)['asts'])} vectors)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
