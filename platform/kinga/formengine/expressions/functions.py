"""The one registry of expression functions: name -> FunctionSpec.

Implementations live in the lib_* modules and register themselves with ``@register``; they are
imported at the bottom of this module so FUNCTIONS is complete as soon as it is imported.
An implementation receives the EvalContext followed by the evaluated arguments (or, for ``lazy``
functions, zero-argument callables that evaluate them), and must return a value rather than raise
when its arguments are unusable.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

_SAME = object()


@dataclass(frozen=True)
class FunctionSpec:
    name: str
    min_args: int
    max_args: int | None  # None: any number
    description: str
    returns: str  # boolean, number, string, date, datetime, any
    impl: Callable[..., Any]
    lazy: bool = False
    # Called at parse time with the argument ASTs; returns (arg_index, message, code) or None.
    validate: Callable[[list[dict]], tuple[int, str, str] | None] | None = None


FUNCTIONS: dict[str, FunctionSpec] = {}


def register(
    name: str,
    min_args: int = 0,
    max_args: Any = _SAME,
    *,
    returns: str,
    description: str,
    lazy: bool = False,
    validate: Callable | None = None,
):
    def decorator(fn: Callable) -> Callable:
        if name in FUNCTIONS:
            raise ValueError(f"expression function {name!r} registered twice")
        FUNCTIONS[name] = FunctionSpec(
            name=name,
            min_args=min_args,
            max_args=min_args if max_args is _SAME else max_args,
            description=description,
            returns=returns,
            impl=fn,
            lazy=lazy,
            validate=validate,
        )
        return fn

    return decorator


from . import lib_context, lib_dates, lib_logic, lib_nodesets, lib_numbers, lib_strings  # noqa: E402, F401
