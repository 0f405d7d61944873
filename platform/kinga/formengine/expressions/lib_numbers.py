"""Number functions. Rounding works on the shortest decimal form of the number so that, e.g.,
round(2.675, 2) is 2.68 in Python, TypeScript and ODK alike (binary floating point would say 2.67)."""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal, localcontext

from .functions import register
from .values import normalize, to_number


@register(
    "number",
    1,
    returns="number",
    description="number(x): x as a number; empty when x is empty or not a number. Dates become days since 1970-01-01.",
)
def _number(ctx, value):
    return normalize(to_number(value))


@register(
    "int", 1, returns="number", description="int(x): x with its fractional part removed (towards zero)."
)
def _int(ctx, value):
    n = to_number(value)
    return None if n is None else normalize(float(math.trunc(n)))


def round_half_away(x: float, digits: int = 0) -> float:
    digits = max(-400, min(400, digits))
    with localcontext() as dc:
        dc.prec = 1000
        dc.Emax, dc.Emin = 10_000, -10_000
        rounded = Decimal(repr(x)).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
    return float(rounded)


@register(
    "round",
    1,
    2,
    returns="number",
    description="round(x[, digits]): x rounded to 'digits' decimal places (default 0; negative rounds to tens, hundreds...), halves away from zero: round(2.5) = 3, round(-2.5) = -3.",
)
def _round(ctx, value, digits=0):
    x = to_number(value)
    d = to_number(digits)
    if x is None or d is None:
        return None
    return normalize(round_half_away(x, math.trunc(d)))


@register("abs", 1, returns="number", description="abs(x): the absolute value of x.")
def _abs(ctx, value):
    x = to_number(value)
    return None if x is None else normalize(abs(x))


@register("floor", 1, returns="number", description="floor(x): the largest whole number not greater than x.")
def _floor(ctx, value):
    x = to_number(value)
    return None if x is None else normalize(float(math.floor(x)))


@register(
    "ceiling", 1, returns="number", description="ceiling(x): the smallest whole number not less than x."
)
def _ceiling(ctx, value):
    x = to_number(value)
    return None if x is None else normalize(float(math.ceil(x)))


@register(
    "pow",
    2,
    returns="number",
    description="pow(x, y): x to the power y; empty when undefined (e.g. pow(-8, 0.5)).",
)
def _pow(ctx, base, exponent):
    x, y = to_number(base), to_number(exponent)
    if x is None or y is None:
        return None
    try:
        return normalize(math.pow(x, y))
    except (OverflowError, ValueError):
        return None
