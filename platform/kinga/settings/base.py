"""Base settings: what every Kinga server runs with. Policy (forms, roles, deadlines) lives in
config packs, not here; settings only say what this server can do (STYLE.md)."""

from pathlib import Path

from .deploy import cache_from_env, database_from_env, env_bool, env_list, env_str

KERNEL_DIR = Path(__file__).resolve().parent.parent
REPO_DIR = KERNEL_DIR.parent.parent

SECRET_KEY = env_str("KINGA_SECRET_KEY", "insecure-dev-key-change-me")
DEBUG = env_bool("KINGA_DEBUG", False)
ALLOWED_HOSTS = env_list("KINGA_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "kinga.core",
    "kinga.accounts",
    "kinga.audit",
    "kinga.configpacks",
    "kinga.formengine",
    "kinga.records",
    "kinga.workflow",
    "kinga.kpis",
    "kinga.api",
    "kinga.deployment",
    "kinga_search",
    "kinga_builder",
    "kinga_cp",
    "kinga_gbv",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "kinga.core.webapp.KingaWhiteNoiseMiddleware",  # static files + the app under /app/
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "kinga.audit.middleware.AuditContextMiddleware",
    "kinga.api.middleware.SecurityHeadersMiddleware",
]

ROOT_URLCONF = "kinga.urls"
WSGI_APPLICATION = "kinga.wsgi.application"
AUTH_USER_MODEL = "accounts.User"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    }
]

DATABASES = {"default": database_from_env(default=f"sqlite:///{REPO_DIR / 'var' / 'kinga.sqlite3'}")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("fr", "Français"), ("ar", "العربية")]
TIME_ZONE = env_str("KINGA_TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = REPO_DIR / "var" / "static"
# The caseworker app (frontend/, built by `make demo`): served at /app/ by KingaWhiteNoiseMiddleware.
KINGA_FRONTEND_DIST = REPO_DIR / "frontend" / "dist"
WHITENOISE_INDEX_FILE = True
# Vite's hashed files never change: cacheable for a year; index.html and sw.js keep the short default.
WHITENOISE_IMMUTABLE_FILE_TEST = r"^/app/assets/.+-[0-9A-Za-z_-]{8,}\.(js|css)$"
MEDIA_ROOT = Path(env_str("KINGA_MEDIA_ROOT", str(REPO_DIR / "var" / "media")))

# Upper bounds for untrusted input (packs, uploads, request bodies).
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
KINGA_MAX_PACK_FILE_BYTES = 5 * 1024 * 1024
KINGA_MAX_PACK_TOTAL_BYTES = 50 * 1024 * 1024
KINGA_MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Tokens first: their WWW-Authenticate header makes a missing/expired credential a 401.
        # Tokens expire (KINGA_TOKEN_TTL_HOURS); session auth enforces CSRF on writes.
        "kinga.api.authentication.ExpiringTokenAuthentication",
        "kinga.api.authentication.IntegrationTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "kinga.api.pagination.KingaPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "kinga.api.errors.exception_handler",
    "DEFAULT_PARSER_CLASSES": [
        "kinga.api.parsers.KingaJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Kinga API",
    "DESCRIPTION": "Case management for child protection and GBV services.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
}

# Security (docs/security.md). Role policy (scopes, field access, 2FA per role) is pack data; these
# are the server's mechanisms.
SESSION_COOKIE_AGE = 30 * 60  # idle timeout: the cookie is renewed on every request
SESSION_SAVE_EVERY_REQUEST = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
KINGA_TOKEN_TTL_HOURS = 12  # API tokens from /auth/token/ expire this long after they were issued
KINGA_ENROLMENT_TOKEN_MINUTES = 15
KINGA_INTEGRATION_TOKEN_MAX_DAYS = 365
KINGA_LOCKOUT_FAILURES = 5  # failed logins per username + IP ...
KINGA_LOCKOUT_WINDOW_MINUTES = 15  # ... within this window lock that pair for the rest of it
# Per client IP on the token and 2FA endpoints (DRF throttle). Its counts live in the default cache:
# local memory per process unless KINGA_CACHE_URL points at Redis, so all workers count together.
CACHES = cache_from_env()
KINGA_LOGIN_RATE = "30/min"
KINGA_SUPERUSER_REQUIRE_2FA = True
KINGA_BREAK_GLASS_HOURS = 3
# Modules whose records break-glass may never open (GBV: survivor-centred, consent first).
KINGA_BREAK_GLASS_FORBIDDEN_MODULES = ["gbv"]
# With a configuration that defines no roles, nobody but superusers may do anything ("deny").
KINGA_ACCESS_WITHOUT_ROLES = "deny"
KINGA_TRUSTED_PROXIES = int(env_str("KINGA_TRUSTED_PROXIES", "0"))
KINGA_DEDUP_WORKERS = int(env_str("KINGA_DEDUP_WORKERS", "1") or "1")
KINGA_OTP_ISSUER = env_str("KINGA_OTP_ISSUER", "Kinga")
KINGA_ALLOWED_UPLOAD_TYPES = [
    "image/jpeg",
    "image/png",
    "application/pdf",
    "audio/mpeg",
    "audio/mp4",
    "audio/ogg",
]
KINGA_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'"
)
KINGA_PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(self), payment=(), usb=()"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
OTP_TOTP_ISSUER = KINGA_OTP_ISSUER

# Capability knobs (see deploy.py for their environment variables).
KINGA_SEARCH_BACKEND = env_str("KINGA_SEARCH_BACKEND", "database")
ELASTICSEARCH_URL = env_str("ELASTICSEARCH_URL", "")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("KINGA_LOG_LEVEL", "WARNING")},
}
