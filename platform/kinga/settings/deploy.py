"""Environment knobs. Every variable a deployment may set is read here, once, and documented:

KINGA_SECRET_KEY       Django secret key (required in production).
KINGA_DEBUG            "1" to enable debug pages (never in production).
KINGA_ALLOWED_HOSTS    comma-separated host names.
DATABASE_URL           sqlite:///path or postgres://user@host:port/name; default: var/kinga.sqlite3.
KINGA_TIME_ZONE        server time zone (default UTC); today() in forms uses the user's zone.
KINGA_MEDIA_ROOT       where attachment bytes are stored.
KINGA_SEARCH_BACKEND   "database" (default) or "elasticsearch".
ELASTICSEARCH_URL      Elasticsearch address when that backend is selected.
KINGA_LOG_LEVEL        root log level (default WARNING).
KINGA_DEDUP_WORKERS    processes a duplicate full scan of 20,000+ candidate pairs may fork to score
                       them (default 1: none). Only for scans run from the command line on an idle
                       server; never fork web workers.
KINGA_CACHE_URL        redis://host:6379/0 (or rediss://, unix://): one cache shared by every worker
                       process (login and 2FA throttles count across workers). Default: local memory,
                       per process, which is right for a single process only.
KINGA_TRUSTED_PROXIES  number of reverse proxies in front of the server (default 0): the client IP
                       recorded in the audit trail and used for lockout is then read from
                       X-Forwarded-For that many hops back, and X-Forwarded-Proto is trusted.
KINGA_OTP_ISSUER       issuer name shown in authenticator apps (default Kinga).
KINGA_ADMIN_PASSWORD   password for the `admin` user created by `kinga deploy`.
KINGA_DEMO_PASSWORD    password for demo users created by `kinga deploy --demo`.
"""

import os

import dj_database_url


def env_str(name: str, default: str) -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def database_from_env(default: str) -> dict:
    url = os.environ.get("DATABASE_URL") or default
    if url.startswith("sqlite:///"):
        from pathlib import Path

        path = url[len("sqlite:///") :]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
    config = dj_database_url.parse(url, conn_max_age=60)
    if config["ENGINE"].endswith("sqlite3"):
        config["CONN_MAX_AGE"] = 0
        options = config.setdefault("OPTIONS", {})
        options["timeout"] = 20
        # Writers take the lock when their transaction starts (no read-to-write upgrade deadlocks,
        # "database is locked" under concurrent requests); WAL lets readers run beside a writer.
        options["transaction_mode"] = "IMMEDIATE"
        options["init_command"] = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
    return config


def cache_from_env() -> dict:
    url = os.environ.get("KINGA_CACHE_URL", "").strip()
    if not url:
        return {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    if not url.startswith(("redis://", "rediss://", "unix://")):
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(
            f"KINGA_CACHE_URL must be a Redis URL (redis://host:6379/0, rediss://, unix://), not {url!r}."
        )
    return {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": "kinga",
        }
    }
