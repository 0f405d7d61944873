"""Tokenizer for the XLSForm/ODK expression syntax.

Columns are 1-based character positions. The lexer knows nothing about which words are operators:
``and``/``or``/``div``/``mod`` are plain ``name`` tokens and the parser decides from their position
(XPath does the same), so ``count-selected`` and ``mod`` need no special casing here.
"""

from __future__ import annotations

from dataclasses import dataclass

from .errors import ExpressionSyntaxError

MAX_LENGTH = 10_000

# Characters people paste from word processors or other languages, with the fix to suggest.
_HINTS = {
    "==": ("Use a single '=' to compare values", "'='"),
    "&&": ("Use the word 'and' to combine conditions", "'and'"),
    "||": ("Use the word 'or' to combine conditions", "'or'"),
    "<>": ("Use '!=' for 'not equal'", "'!='"),
    "..": ("'..' (parent node) is not supported; refer to fields with ${name}", "${name}"),
    "/": ("Use the word 'div' to divide ('/' is not supported)", "'div'"),
    "!": ("Use not(...) to negate a condition", "not(...)"),
    "%": ("Use the word 'mod' for the remainder", "'mod'"),
    "\u2018": ("Curly quote found; type a straight quote ' instead", "straight quote"),
    "\u2019": ("Curly quote found; type a straight quote ' instead", "straight quote"),
    "\u201c": ('Curly quote found; type a straight quote " instead', "straight quote"),
    "\u201d": ('Curly quote found; type a straight quote " instead', "straight quote"),
}

_SINGLE = {"(": "lparen", ")": "rparen", ",": "comma"}
_OPERATORS = ("!=", "<=", ">=", "=", "<", ">", "+", "-", "*")


@dataclass(frozen=True)
class Token:
    kind: str  # num, str, ref, dot, name, op, lparen, rparen, comma, eof
    value: object
    col: int
    text: str

    def describe(self) -> str:
        """How the token is named in error messages."""
        if self.kind == "eof":
            return "end of expression"
        if self.kind == "str":
            return f"text {self.text}"
        if self.kind == "num":
            return f"number {self.text}"
        if self.kind == "ref":
            return f"field {self.text}"
        if self.kind == "name":
            return f"word '{self.text}'"
        return f"'{self.text}'"


def _is_name_start(ch: str) -> bool:
    return ch.isalpha() or ch == "_"


def _is_name_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def tokenize(source: str) -> list[Token]:
    if not isinstance(source, str):
        raise ExpressionSyntaxError("The expression must be text", 1, None, "syntax")
    if len(source) > MAX_LENGTH:
        raise ExpressionSyntaxError(
            f"The expression is too long ({len(source)} characters; the limit is {MAX_LENGTH})",
            MAX_LENGTH + 1,
            None,
            "too_long",
        )
    tokens: list[Token] = []
    i, n = 0, len(source)
    while i < n:
        ch = source[i]
        col = i + 1
        if ch.isspace():
            i += 1
            continue
        two = source[i : i + 2]
        if two in _HINTS:
            msg, expected = _HINTS[two]
            raise ExpressionSyntaxError(msg, col, expected)
        if ch == "$":
            i = _lex_ref(source, i, tokens)
            continue
        if ch in "'\"":
            i = _lex_string(source, i, tokens)
            continue
        if ch.isdigit() or (ch == "." and i + 1 < n and source[i + 1].isdigit()):
            i = _lex_number(source, i, tokens)
            continue
        if ch == ".":
            tokens.append(Token("dot", None, col, "."))
            i += 1
            continue
        if ch in _SINGLE:
            tokens.append(Token(_SINGLE[ch], None, col, ch))
            i += 1
            continue
        op = next((o for o in _OPERATORS if source.startswith(o, i)), None)
        if op:
            tokens.append(Token("op", op, col, op))
            i += len(op)
            continue
        if _is_name_start(ch):
            i = _lex_name(source, i, tokens)
            continue
        if ch in _HINTS:
            msg, expected = _HINTS[ch]
            raise ExpressionSyntaxError(msg, col, expected)
        raise ExpressionSyntaxError(f"Unexpected character '{ch}'", col)
    tokens.append(Token("eof", None, n + 1, ""))
    return tokens


def _lex_ref(source: str, i: int, tokens: list[Token]) -> int:
    col = i + 1
    n = len(source)
    if i + 1 >= n or source[i + 1] != "{":
        raise ExpressionSyntaxError("A '$' must start a field reference like ${age}", col, "'{' after '$'")
    j = i + 2
    if j >= n or not _is_name_start(source[j]):
        found = "end of expression" if j >= n else f"'{source[j]}'"
        raise ExpressionSyntaxError(
            f"Expected a field name after '${{', found {found}; field names start with a letter or '_'",
            j + 1,
            "field name",
        )
    k = j + 1
    while k < n and (_is_name_char(source[k]) or source[k] in "-."):
        k += 1
    if k >= n or source[k] != "}":
        found = "end of expression" if k >= n else f"'{source[k]}'"
        raise ExpressionSyntaxError(
            f"Expected '}}' to close the field reference opened at column {col}, found {found}",
            k + 1,
            "'}'",
        )
    key = source[j:k]
    tokens.append(Token("ref", key, col, source[i : k + 1]))
    return k + 1


def _lex_string(source: str, i: int, tokens: list[Token]) -> int:
    # XPath has no backslash escapes (a backslash is an ordinary character, which keeps regex patterns
    # readable). As in XPath 2.0, a doubled quote inside a literal stands for one quote character.
    quote = source[i]
    n = len(source)
    parts: list[str] = []
    j = i + 1
    while True:
        k = source.find(quote, j)
        if k < 0:
            raise ExpressionSyntaxError(
                f"The text starting at column {i + 1} has no closing {quote}", n + 1, quote
            )
        parts.append(source[j:k])
        if k + 1 < n and source[k + 1] == quote:
            parts.append(quote)
            j = k + 2
            continue
        tokens.append(Token("str", "".join(parts), i + 1, source[i : k + 1]))
        return k + 1


def _lex_number(source: str, i: int, tokens: list[Token]) -> int:
    n = len(source)
    j = i
    while j < n and source[j].isdigit():
        j += 1
    if j < n and source[j] == ".":
        j += 1
        while j < n and source[j].isdigit():
            j += 1
    text = source[i:j]
    if not text.isascii():
        raise ExpressionSyntaxError("Numbers must be written with the digits 0-9", i + 1, "number")
    value: int | float = float(text) if "." in text else int(text)
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        value = int(value)
    tokens.append(Token("num", value, i + 1, text))
    return j


def _lex_name(source: str, i: int, tokens: list[Token]) -> int:
    # A hyphen belongs to the name only when a letter follows it, so "count-selected" is one word
    # but "div-1" is the operator div, a minus and 1.
    n = len(source)
    j = i + 1
    while j < n:
        ch = source[j]
        if _is_name_char(ch):
            j += 1
        elif ch in "-:" and j + 1 < n and _is_name_start(source[j + 1]):
            j += 2
        else:
            break
    text = source[i:j]
    tokens.append(Token("name", text, i + 1, text))
    return j
