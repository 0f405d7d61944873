"""Kinga's XLSForm/ODK-compatible expression language.

Parse once on the server into a JSON AST (``parse``), store the AST in configuration, evaluate it in
Python (``evaluate``) or in the browser. Grammar and semantics: docs/expressions.md; conformance
vectors shared with the TypeScript evaluator: tests/formengine/expression_vectors.json.
"""

from .analysis import functions_used, references, uses_current
from .errors import ExpressionError, ExpressionSyntaxError
from .evaluator import EvalContext, evaluate
from .functions import FUNCTIONS, FunctionSpec
from .lexer import MAX_LENGTH
from .parser import MAX_DEPTH, parse
from .values import to_bool

__all__ = [
    "FUNCTIONS",
    "MAX_DEPTH",
    "MAX_LENGTH",
    "EvalContext",
    "ExpressionError",
    "ExpressionSyntaxError",
    "FunctionSpec",
    "evaluate",
    "functions_used",
    "parse",
    "references",
    "to_bool",
    "uses_current",
]
