"""Logic and type-conversion functions."""

from __future__ import annotations

from .functions import register
from .values import is_empty, to_bool, to_str


@register(
    "if",
    3,
    returns="any",
    lazy=True,
    description="if(condition, then, else): 'then' when the condition is true, otherwise 'else'. Only the chosen branch is evaluated.",
)
def _if(ctx, cond, then, otherwise):
    return then() if to_bool(cond()) else otherwise()


@register(
    "coalesce",
    2,
    None,
    returns="any",
    lazy=True,
    description="coalesce(a, b, ...): the first argument that is not empty (the last argument if all are empty).",
)
def _coalesce(ctx, *thunks):
    value = None
    for thunk in thunks:
        value = thunk()
        if not is_empty(value):
            return value
    return value


@register("true", 0, returns="boolean", description="true(): the boolean true.")
def _true(ctx):
    return True


@register("false", 0, returns="boolean", description="false(): the boolean false.")
def _false(ctx):
    return False


@register("not", 1, returns="boolean", description="not(x): true when x is false (see truthiness rules).")
def _not(ctx, value):
    return not to_bool(value)


@register(
    "boolean",
    1,
    returns="boolean",
    description="boolean(x): x converted to true/false (empty, 0 and '' are false; any other text is true).",
)
def _boolean(ctx, value):
    return to_bool(value)


@register(
    "boolean-from-string",
    1,
    returns="boolean",
    description="boolean-from-string(s): true only when s is 'true' or '1'.",
)
def _boolean_from_string(ctx, value):
    return to_str(value) in ("true", "1")


@register(
    "once",
    1,
    returns="any",
    description="once(x): x. (In ODK the value is kept after the first calculation; here calculations are stored when the record is saved, so once is the identity.)",
)
def _once(ctx, value):
    return value
