"""Errors raised by the expression language.

Evaluation of a well-formed expression almost never raises: invalid arguments produce an empty
value instead (see docs/expressions.md). Errors are for authoring mistakes (found by ``parse``)
and for programming mistakes (a corrupted AST, a bad time zone name).
"""

from __future__ import annotations


class ExpressionError(Exception):
    """Base error. ``code`` is a stable machine-readable string, ``message`` a sentence for people."""

    def __init__(self, message: str, code: str = "error"):
        super().__init__(message)
        self.message = message
        self.code = code

    def __str__(self) -> str:
        return self.message


class ExpressionSyntaxError(ExpressionError):
    """The source text is not a valid expression.

    ``column`` is 1-based and counts characters (code points) of the source.
    ``expected`` is a short phrase naming what would have been valid there, or None.
    ``code`` is one of: syntax, unknown_function, arity, regex, too_long, too_deep.
    """

    def __init__(self, message: str, column: int, expected: str | None = None, code: str = "syntax"):
        super().__init__(message, code)
        self.column = column
        self.expected = expected

    def __str__(self) -> str:
        return f"{self.message} (column {self.column})"
