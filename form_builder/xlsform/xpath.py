"""Rewrite XLSForm (XPath-flavoured) expressions into Kinga's syntax and back.

Kinga's language *is* the XLSForm subset (docs/expressions.md); what differs is how fields are named.
XLSForm may write `/data/group/field`; Kinga writes `${field}`. In a choice_filter, XLSForm's bare
names are the choices sheet's columns (and `name` the option's code); Kinga writes an option attribute
as `${attr}` and the code as `.`. Only text outside string literals is rewritten.
"""

from __future__ import annotations

import re
from collections.abc import Callable

WORD = r"[A-Za-z_]\w*(?:[-.][A-Za-z_]\w*)*"
REF_RE = re.compile(r"\$\{([^}]*)\}")
PATH_RE = re.compile(rf"(?<![\w)\]}}.])/{WORD}(?:/{WORD})*")
RELATIVE_RE = re.compile(r"\.\./|\.\.(?![\w.])|\[|\binstance\s*\(")
BARE_RE = re.compile(rf"(?<![\w$.{{-]){WORD}(?![\w.-]*\s*\()")
OPERATORS = {"and", "or", "div", "mod"}


class Unsupported(ValueError):
    """An XPath construct Kinga's language has no equivalent for."""


def _split(text: str) -> list[tuple[bool, str]]:
    """[(is_code, piece)]: string literals ('...' or "...", doubled quotes inside) kept apart."""
    out, i, start = [], 0, 0
    while i < len(text):
        ch = text[i]
        if ch in "'\"":
            out.append((True, text[start:i]))
            j = i + 1
            while j < len(text):
                if text[j] == ch:
                    if j + 1 < len(text) and text[j + 1] == ch:
                        j += 2
                        continue
                    break
                j += 1
            out.append((False, text[i : j + 1]))
            i = start = j + 1
            continue
        i += 1
    out.append((True, text[start:]))
    return [(code, piece) for code, piece in out if piece]


def _map_code(text: str, fn: Callable[[str], str]) -> str:
    return "".join(fn(piece) if code else piece for code, piece in _split(text))


def to_kinga(
    expr: str,
    field: Callable[[str], str],
    attrs: Callable[[str], str] | None = None,
) -> str:
    """`field(name)` gives the Kinga key of an XLSForm name; `attrs` (choice_filter only) gives the
    attribute name of a choices column. Raises Unsupported for relative paths, predicates, instance()."""

    def code(piece: str) -> str:
        bad = RELATIVE_RE.search(piece)
        if bad:
            what = {"[": "predicates [...]", "../": "relative paths (../)", "..": "relative paths (..)"}.get(
                bad.group(0), "instance() lookups"
            )
            raise Unsupported(f"{what} have no equivalent in Kinga expressions")
        piece = REF_RE.sub(lambda m: "${" + field(m.group(1).strip()) + "}", piece)

        def path(m: re.Match) -> str:
            parts = m.group(0).strip("/").split("/")
            if len(parts) < 2:
                raise Unsupported(f"the path {m.group(0)} names the form itself, not a field")
            return "${" + field(parts[-1]) + "}"

        piece = PATH_RE.sub(path, piece)
        if attrs is not None:
            piece = _bare(piece, attrs)
        return piece

    return _map_code(expr, code).strip()


def _bare(piece: str, attrs: Callable[[str], str]) -> str:
    out, pos = [], 0
    for m in BARE_RE.finditer(piece):
        word = m.group(0)
        inside_ref = piece.rfind("${", 0, m.start()) > piece.rfind("}", 0, m.start())
        if word in OPERATORS or inside_ref:
            continue
        out.append(piece[pos : m.start()])
        out.append("." if word == "name" else "${" + attrs(word) + "}")
        pos = m.end()
    out.append(piece[pos:])
    return "".join(out)


def choice_filter_to_xlsform(expr: str, attrs: set[str]) -> str:
    """Kinga choice_filter → XLSForm: option attributes become bare column names, the code `name`."""

    def code(piece: str) -> str:
        piece = REF_RE.sub(
            lambda m: "name" if m.group(1) == "code" else m.group(1) if m.group(1) in attrs else m.group(0),
            piece,
        )
        return re.sub(r"(?<![\w.$])\.(?![\w.])", "name", piece)

    return _map_code(expr, code)
