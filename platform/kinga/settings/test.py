"""Test settings: fast hashing, no network. DATABASE_URL picks SQLite or PostgreSQL."""

from .base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
SECRET_KEY = "test-only"
KINGA_TEST = True
