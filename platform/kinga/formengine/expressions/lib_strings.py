"""Text functions, including regex() and its safety checks."""

from __future__ import annotations

import functools
import math
import re

from .functions import register
from .values import NodeSet, to_number, to_str

MAX_PATTERN_LENGTH = 500
MAX_REGEX_SUBJECT = 2_000
_ESCAPE_LETTERS = set("dDwWsSbBtnrfvux")
_XPATH_SPACE = re.compile(r"[ \t\r\n]+")


@register(
    "string",
    1,
    returns="string",
    description="string(x): x as text (numbers without exponent, booleans as 'true'/'false', empty as '').",
)
def _string(ctx, value):
    return to_str(value)


@register(
    "concat",
    1,
    None,
    returns="string",
    description="concat(a, b, ...): the arguments joined into one text; a subform column contributes all its values.",
)
def _concat(ctx, *values):
    parts = []
    for v in values:
        if isinstance(v, NodeSet):
            parts.extend(to_str(x) for x in v)
        else:
            parts.append(to_str(v))
    return "".join(parts)


@register(
    "string-length",
    1,
    returns="number",
    description="string-length(s): number of characters (Unicode code points) in s.",
)
def _string_length(ctx, value):
    return len(to_str(value))


@register(
    "contains", 2, returns="boolean", description="contains(s, t): true when t occurs in s (case-sensitive)."
)
def _contains(ctx, s, t):
    return to_str(t) in to_str(s)


@register("starts-with", 2, returns="boolean", description="starts-with(s, t): true when s begins with t.")
def _starts_with(ctx, s, t):
    return to_str(s).startswith(to_str(t))


@register("ends-with", 2, returns="boolean", description="ends-with(s, t): true when s ends with t.")
def _ends_with(ctx, s, t):
    return to_str(s).endswith(to_str(t))


def _index(value, length: int) -> int | None:
    n = to_number(value)
    if n is None:
        return None
    i = math.trunc(n)
    if i < 0:
        i += length
    return min(max(i, 0), length)


@register(
    "substr",
    2,
    3,
    returns="string",
    description="substr(s, start[, end]): characters from 0-based 'start' up to (not including) 'end'; negative positions count from the end.",
)
def _substr(ctx, s, start, end=None):
    text = to_str(s)
    a = _index(start, len(text))
    b = len(text) if end is None else _index(end, len(text))
    if a is None or b is None:
        return ""
    return text[a:b]


def _xpath_round(x: float) -> float:
    return math.floor(x + 0.5)


@register(
    "substring",
    2,
    3,
    returns="string",
    description="substring(s, start[, length]): XPath 1.0 substring, 1-based (positions are rounded half up).",
)
def _substring(ctx, s, start, length=None):
    text = to_str(s)
    a = to_number(start)
    if a is None:
        return ""
    first = _xpath_round(a)
    if length is None:
        last = math.inf
    else:
        n = to_number(length)
        if n is None:
            return ""
        last = first + _xpath_round(n)
    return "".join(ch for pos, ch in enumerate(text, 1) if first <= pos < last)


@register(
    "substring-before",
    2,
    returns="string",
    description="substring-before(s, t): the part of s before the first t ('' when t does not occur).",
)
def _substring_before(ctx, s, t):
    text, sep = to_str(s), to_str(t)
    i = text.find(sep)
    return "" if i < 0 else text[:i]


@register(
    "substring-after",
    2,
    returns="string",
    description="substring-after(s, t): the part of s after the first t ('' when t does not occur).",
)
def _substring_after(ctx, s, t):
    text, sep = to_str(s), to_str(t)
    i = text.find(sep)
    return "" if i < 0 else text[i + len(sep) :]


@register(
    "translate",
    3,
    returns="string",
    description="translate(s, from, to): replaces each character of s found in 'from' by the character at the same position in 'to' (removes it when 'to' is shorter).",
)
def _translate(ctx, s, src, dst):
    src_text, dst_text = to_str(src), to_str(dst)
    out = []
    for ch in to_str(s):
        i = src_text.find(ch)
        if i < 0:
            out.append(ch)
        elif i < len(dst_text):
            out.append(dst_text[i])
    return "".join(out)


@register(
    "normalize-space",
    1,
    returns="string",
    description="normalize-space(s): s with leading/trailing spaces removed and inner runs of spaces, tabs and line breaks replaced by one space.",
)
def _normalize_space(ctx, s):
    return _XPATH_SPACE.sub(" ", to_str(s)).strip(" ")


@register(
    "lower", 1, returns="string", description="lower(s): s in lower case (Kinga extension; not in ODK)."
)
def _lower(ctx, s):
    return to_str(s).lower()


@register(
    "upper", 1, returns="string", description="upper(s): s in upper case (Kinga extension; not in ODK)."
)
def _upper(ctx, s):
    return to_str(s).upper()


# -- regex ---------------------------------------------------------------------------------------

_QUANT_RE = re.compile(r"\{(\d+)(,(\d*))?\}")


def _quantifier(p: str, i: int) -> tuple[str, int] | None:
    """('many'|'opt', index after it) when a quantifier starts at p[i]."""
    if i >= len(p):
        return None
    c = p[i]
    if c in "*+":
        kind, j = "many", i + 1
    elif c == "?":
        kind, j = "opt", i + 1
    elif c == "{":
        m = _QUANT_RE.match(p, i)
        if not m:
            return None
        upper = m[1] if m[2] is None else m[3]
        kind = "opt" if upper and int(upper) <= 1 else "many"
        j = m.end()
    else:
        return None
    if j < len(p) and p[j] == "?":
        j += 1
    return kind, j


def pattern_problem(p: str) -> str | None:
    """Why a pattern is refused (portability between Python and JavaScript, or run-away matching),
    or None when it is acceptable."""
    if len(p) > MAX_PATTERN_LENGTH:
        return f"The regular expression is too long ({len(p)} characters; the limit is {MAX_PATTERN_LENGTH})"
    if "{," in p:
        return "Write a repetition as {0,n}, not {,n}"
    groups: list[bool] = []  # per open group: does it contain a quantifier?
    i, n = 0, len(p)
    while i < n:
        c = p[i]
        if c == "\\":
            nxt = p[i + 1] if i + 1 < n else ""
            if nxt.isdigit() and nxt != "0":
                return "Back-references like \\1 are not supported in regular expressions"
            if nxt.isalpha() and nxt not in _ESCAPE_LETTERS:
                return f"'\\{nxt}' is not supported in regular expressions"
            i += 2
            continue
        if c == "[":
            j = i + 1
            if j < n and p[j] == "^":
                j += 1
            if j < n and p[j] == "]":
                return "Write ']' inside [...] as '\\]' (a leading ']' means different things in Python and JavaScript)"
            while j < n and p[j] != "]":
                j += 2 if p[j] == "\\" else 1
            i = j + 1
            continue
        if c == "(":
            if p.startswith("(?", i):
                if i + 2 >= n or p[i + 2] not in ":=!":
                    return (
                        "Only (...), (?:...), (?=...) and (?!...) groups are supported in regular expressions"
                    )
                i += 3
            else:
                i += 1
            groups.append(False)
            continue
        if c == ")":
            inner = groups.pop() if groups else False
            q = _quantifier(p, i + 1)
            if q is not None:
                if inner and q[0] == "many":
                    return "A repeated group may not itself contain a repetition, e.g. (a+)+; it can take too long to check"
                inner = True
                i = q[1]
            else:
                i += 1
            if groups and inner:
                groups[-1] = True
            if i < n and p[i] == "+" and q is not None:
                return "Possessive quantifiers like a++ are not supported"
            continue
        q = _quantifier(p, i)
        if q is not None:
            if groups:
                groups[-1] = True
            i = q[1]
            if i < n and p[i] == "+":
                return "Possessive quantifiers like a++ are not supported"
            continue
        i += 1
    try:
        re.compile(p, re.ASCII)
    except re.error as exc:
        return f"The regular expression is not valid: {exc.msg}"
    return None


def python_pattern(p: str) -> str:
    """ECMAScript's ``$`` matches only at the very end; Python's also before a final newline.
    Rewrite each unescaped ``$`` outside a character class to ``\\Z`` for identical behaviour."""
    out: list[str] = []
    i, n, in_class = 0, len(p), False
    while i < n:
        c = p[i]
        if c == "\\":
            out.append(p[i : i + 2])
            i += 2
            continue
        if in_class:
            in_class = c != "]"  # a leading ']' is refused by pattern_problem
        elif c == "[":
            in_class = True
            if p.startswith("[^", i):
                out.append("[^")
                i += 2
                continue
        elif c == "$":
            c = "\\Z"
        out.append(c)
        i += 1
    return "".join(out)


@functools.lru_cache(maxsize=256)
def _compiled(p: str) -> re.Pattern | None:
    if pattern_problem(p) is not None:
        return None
    return re.compile(python_pattern(p), re.ASCII)


def _validate_regex(args: list[dict]):
    pattern = args[1]
    if pattern.get("op") == "lit" and isinstance(pattern.get("value"), str):
        problem = pattern_problem(pattern["value"])
        if problem:
            return 1, problem, "regex"
    return None


@register(
    "regex",
    2,
    returns="boolean",
    validate=_validate_regex,
    description="regex(s, pattern): true when the regular expression matches somewhere in s (anchor with ^ and $ to match the whole value).",
)
def _regex(ctx, s, pattern):
    compiled = _compiled(to_str(pattern))
    text = to_str(s)
    if compiled is None or len(text) > MAX_REGEX_SUBJECT:
        return False
    return compiled.search(text) is not None
