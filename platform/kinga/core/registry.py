"""One registry per extension kind (field types, KPI kinds, search backends...).

Plug-ins register with a decorator; the owner freezes the registry when start-up ends, so the set of
kinds cannot change while requests are served.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator
from typing import Generic, TypeVar

from django.apps import apps

T = TypeVar("T")


class RegistryFrozen(RuntimeError):
    pass


class Registry(Generic[T]):
    def __init__(self, kind: str):
        self.kind = kind
        self._items: dict[str, T] = {}
        self._frozen = False

    def register(self, name: str | None = None) -> Callable[[T], T]:
        def decorator(obj: T) -> T:
            key = name or getattr(obj, "name", None) or obj.__name__
            if self._frozen:
                raise RegistryFrozen(f"{self.kind} registry is frozen; cannot add {key!r}")
            if key in self._items and self._items[key] is not obj:
                raise ValueError(f"{self.kind} {key!r} is registered twice")
            self._items[key] = obj
            return obj

        return decorator

    def add(self, name: str, obj: T) -> T:
        return self.register(name)(obj)

    def freeze(self) -> None:
        self._frozen = True

    def get(self, name: str) -> T:
        try:
            return self._items[name]
        except KeyError:
            raise KeyError(f"unknown {self.kind} {name!r}; known: {', '.join(sorted(self._items))}") from None

    def __contains__(self, name: object) -> bool:
        return name in self._items

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(self._items))

    def items(self) -> list[tuple[str, T]]:
        return sorted(self._items.items())

    def names(self) -> list[str]:
        return sorted(self._items)


def autodiscover(module_name: str) -> None:
    """Import `<app>.<module_name>` for every installed app that has one (e.g. "kpis", "workflows")."""
    for config in apps.get_app_configs():
        try:
            importlib.import_module(f"{config.name}.{module_name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.{module_name}":
                raise
