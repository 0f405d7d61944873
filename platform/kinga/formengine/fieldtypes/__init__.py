"""Field types: one module per type in this folder, each registering itself on import.

Importing this package loads every type module, so the registry is complete before it is frozen.
"""

import importlib
import pkgutil

from .base import FieldType, FieldValueError, register, registry

for _info in pkgutil.iter_modules(__path__):
    if _info.name != "base" and not _info.name.startswith("_"):
        importlib.import_module(f"{__name__}.{_info.name}")

__all__ = ["FieldType", "FieldValueError", "register", "registry"]
