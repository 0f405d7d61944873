"""Search backends. Importing this package registers the built-in ones."""

from . import database, elasticsearch  # noqa: F401
from .registry import backends, get_backend

__all__ = ["backends", "get_backend"]
