"""Base settings: what every Kinga server runs with. Policy (forms, roles, deadlines) lives in
config packs, not here; settings only say what this server can do (STYLE.md)."""

from pathlib import Path

from .deploy import database_from_env, env_bool, env_list, env_str

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
    "kinga_cp",
    "kinga_gbv",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
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
MEDIA_ROOT = Path(env_str("KINGA_MEDIA_ROOT", str(REPO_DIR / "var" / "media")))

# Upper bounds for untrusted input (packs, uploads, request bodies).
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
KINGA_MAX_PACK_FILE_BYTES = 5 * 1024 * 1024
KINGA_MAX_PACK_TOTAL_BYTES = 50 * 1024 * 1024
KINGA_MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "kinga.api.pagination.KingaPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "kinga.api.errors.exception_handler",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Kinga API",
    "DESCRIPTION": "Case management for child protection and GBV services.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
}

# Capability knobs (see deploy.py for their environment variables).
KINGA_SEARCH_BACKEND = env_str("KINGA_SEARCH_BACKEND", "database")
ELASTICSEARCH_URL = env_str("ELASTICSEARCH_URL", "")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("KINGA_LOG_LEVEL", "WARNING")},
}
