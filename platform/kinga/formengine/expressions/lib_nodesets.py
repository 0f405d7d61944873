"""Multi-select and aggregate (subform column) functions."""

from __future__ import annotations

from .functions import register
from .values import NodeSet, is_empty, items, normalize, to_number, to_str


def selection(value) -> list[str]:
    """The codes of a multi-select answer: a list of codes or ODK's space-separated text."""
    if isinstance(value, NodeSet):
        value = value[0] if value else None
    if isinstance(value, list):
        return [to_str(x) for x in value if not is_empty(x)]
    return to_str(value).split()


@register(
    "selected",
    2,
    returns="boolean",
    description="selected(answer, code): true when the multi-select answer includes the choice code.",
)
def _selected(ctx, value, code):
    return to_str(code).strip() in selection(value)


@register(
    "count-selected",
    1,
    returns="number",
    description="count-selected(answer): how many choices the multi-select answer includes.",
)
def _count_selected(ctx, value):
    return len(selection(value))


@register(
    "selected-at",
    2,
    returns="string",
    description="selected-at(answer, n): the code of the n-th selected choice, counting from 0; '' when there is none.",
)
def _selected_at(ctx, value, index):
    codes = selection(value)
    n = to_number(index)
    if n is None or not n.is_integer() or not 0 <= n < len(codes):
        return ""
    return codes[int(n)]


@register(
    "count",
    1,
    returns="number",
    description="count(x): the number of rows of a subform, or of values of a subform field; 1 for any other non-empty value, 0 for empty.",
)
def _count(ctx, value):
    if isinstance(value, NodeSet):
        return len(value)
    return 0 if is_empty(value) else 1


@register(
    "count-non-empty",
    1,
    returns="number",
    description="count-non-empty(x): the number of non-empty values of a subform field.",
)
def _count_non_empty(ctx, value):
    return sum(1 for v in items(value) if not is_empty(v))


def _numbers(values) -> list[float] | None:
    """Non-empty values as numbers; None if any of them is not a number."""
    out = []
    for arg in values:
        for v in items(arg):
            if is_empty(v):
                continue
            n = to_number(v)
            if n is None:
                return None
            out.append(n)
    return out


@register(
    "sum",
    1,
    returns="number",
    description="sum(x): the total of the non-empty values of a subform field (0 when there are none); empty if a value is not a number.",
)
def _sum(ctx, value):
    numbers = _numbers([value])
    if numbers is None:
        return None
    total = 0.0
    for n in numbers:
        total += n
    return normalize(total)


@register(
    "max",
    1,
    None,
    returns="number",
    description="max(x, ...): the largest non-empty value among the arguments (subform fields contribute all their values); empty when there is none.",
)
def _max(ctx, *values):
    numbers = _numbers(values)
    return normalize(max(numbers)) if numbers else None


@register(
    "min",
    1,
    None,
    returns="number",
    description="min(x, ...): the smallest non-empty value among the arguments; empty when there is none.",
)
def _min(ctx, *values):
    numbers = _numbers(values)
    return normalize(min(numbers)) if numbers else None


@register(
    "join",
    2,
    None,
    returns="string",
    description="join(separator, x, ...): the values (subform field values, multi-select codes or single values) as text separated by 'separator'.",
)
def _join(ctx, separator, *values):
    return to_str(separator).join(to_str(v) for arg in values for v in items(arg))
