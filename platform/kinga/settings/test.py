"""Test settings: fast hashing, no network. DATABASE_URL picks SQLite or PostgreSQL."""

from .base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
SECRET_KEY = "test-only"
KINGA_TEST = True
# Bare test configurations (tests/records/factories.py, search fixtures) define no roles: let their
# users act within their own agency, as before roles existed. Production denies ("deny").
KINGA_ACCESS_WITHOUT_ROLES = "agency"
# Every test client comes from 127.0.0.1: the per-IP login rate would trip across tests
# (tests/auth sets it back to test the throttle itself).
KINGA_LOGIN_RATE = "10000/min"
