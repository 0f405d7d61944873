"""KINGA_CACHE_URL: the login throttle counts across worker processes when the cache is Redis.

Needs the Redis server CI runs (127.0.0.1:6379, started by .ci/services); KINGA_TEST_REDIS_URL
points elsewhere."""

from __future__ import annotations

import os
import uuid

import pytest
from django.core.cache.backends.redis import RedisCache
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory
from kinga.api.throttles import LoginRateThrottle
from kinga.settings.deploy import cache_from_env

REDIS_URL = os.environ.get("KINGA_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def test_cache_from_env(monkeypatch):
    monkeypatch.delenv("KINGA_CACHE_URL", raising=False)
    assert cache_from_env()["default"]["BACKEND"].endswith("LocMemCache")
    monkeypatch.setenv("KINGA_CACHE_URL", "redis://cache:6379/2")
    default = cache_from_env()["default"]
    assert default["BACKEND"].endswith("RedisCache") and default["LOCATION"] == "redis://cache:6379/2"
    monkeypatch.setenv("KINGA_CACHE_URL", "memcached://cache:11211")
    with pytest.raises(ImproperlyConfigured, match="KINGA_CACHE_URL must be a Redis URL"):
        cache_from_env()


def test_two_workers_share_one_login_count(settings):
    settings.KINGA_LOGIN_RATE = "3/min"
    settings.KINGA_TRUSTED_PROXIES = 0
    prefix = f"kinga-test-{uuid.uuid4().hex}"
    workers = [RedisCache(REDIS_URL, {"KEY_PREFIX": prefix}) for _ in range(2)]
    try:
        workers[0].set("ping", 1)
    except Exception as exc:  # noqa: BLE001 - name the missing service, not a traceback
        pytest.fail(f"Redis is not reachable at {REDIS_URL} (.ci/services starts it): {exc}")
    request = RequestFactory().post("/api/v1/auth/token/", REMOTE_ADDR="203.0.113.7")
    answers = []
    for i in range(5):
        throttle = LoginRateThrottle()
        throttle.cache = workers[i % 2]  # requests alternate between the two workers
        answers.append(throttle.allow_request(request, None))
    assert answers == [True, True, True, False, False]
    other_ip = RequestFactory().post("/api/v1/auth/token/", REMOTE_ADDR="203.0.113.8")
    throttle = LoginRateThrottle()
    throttle.cache = workers[1]
    assert throttle.allow_request(other_ip, None)
