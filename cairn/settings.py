"""Cairn's one settings module, configured by environment variables.

Local use needs no configuration at all: SQLite under ``var/``, debug on, a
development secret key. ``CAIRN_PRODUCTION=1`` switches to production mode, which
refuses to start while any setting is still insecure.
"""

from __future__ import annotations

import base64
import binascii
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


FLAG_ON = ("1", "true", "yes", "on")
FLAG_OFF = ("0", "false", "no", "off", "")


def env_flag(name: str, default: bool = False) -> bool:
    """A yes/no setting. A value that is neither is refused rather than read as "off",
    so a typo ("ture") cannot quietly switch something off."""
    value = os.environ.get(name)
    if value is None:
        return default
    word = value.strip().lower()
    if word in FLAG_ON:
        return True
    if word in FLAG_OFF:
        return False
    raise ImproperlyConfigured(
        f"{name}={value!r} is not a yes/no value: use one of "
        f"{', '.join(FLAG_ON)} for on, or {', '.join(w for w in FLAG_OFF if w)} "
        "(or nothing) for off."
    )


def env_positive_int(name: str, default: int) -> int:
    """A count that must be a whole number above zero; anything else is refused."""
    value = os.environ.get(name)
    if value is None or not value.strip():
        return default
    try:
        number = int(value.strip())
    except ValueError:
        number = 0
    if number < 1:
        raise ImproperlyConfigured(
            f"{name}={value!r} is not a positive whole number: use, say, {default}."
        )
    return number


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


PRODUCTION = env_flag("CAIRN_PRODUCTION")
DEV_SECRET_KEY = "cairn-local-development-key-never-use-in-production"  # noqa: S105

SECRET_KEY = os.environ.get("CAIRN_SECRET_KEY", DEV_SECRET_KEY)
DEBUG = env_flag("CAIRN_DEBUG", default=not PRODUCTION)
ALLOWED_HOSTS = env_list("CAIRN_ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CAIRN_CSRF_TRUSTED_ORIGINS")

VAR_DIR = Path(os.environ.get("CAIRN_VAR_DIR", BASE_DIR / "var"))


def is_fernet_key(key: str) -> bool:
    """Whether ``key`` reads as a Fernet key (32 bytes, URL-safe base64), checked
    here without importing ``cryptography`` so that a bad key stops the start."""
    try:
        return len(base64.urlsafe_b64decode(key.encode("ascii"))) == 32
    except (binascii.Error, ValueError):
        return False


# The keys that encrypt private text at rest (cairn.trust.crypto): Fernet keys,
# comma-separated, newest first. The first encrypts; every one decrypts, so an old key
# stays listed until `python -m cairn rotate_keys` has re-encrypted its rows. Without
# any (only outside production), a key is generated once into ENCRYPTION_KEY_FILE.
ENCRYPTION_KEYS = env_list("CAIRN_ENCRYPTION_KEYS")
ENCRYPTION_KEY_FILE = VAR_DIR / "encryption.key"
_bad_keys = [str(n) for n, key in enumerate(ENCRYPTION_KEYS, start=1) if not is_fernet_key(key)]
if _bad_keys:
    # Which key, counted from the first, and never the key itself.
    raise ImproperlyConfigured(
        f"CAIRN_ENCRYPTION_KEYS: key number {', '.join(_bad_keys)} is not a Fernet key "
        "(32 bytes in URL-safe base64); make one with `python -m cairn "
        "generate_encryption_key`."
    )

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'cairn.sqlite3'}"),
        conn_max_age=int(os.environ.get("CAIRN_DB_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # WAL lets the web process read while the task worker writes.
    # IMMEDIATE transactions avoid "database is locked" on lock upgrades.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        init_command="PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        transaction_mode="IMMEDIATE",
    )

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "template_partials",
    "django_tasks",
    "django_tasks_db",
    "csp",
    # Two-factor sign-in: TOTP devices, and the recovery codes as static tokens.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "cairn.lib",
    "cairn.mail",
    "cairn.people",
    "cairn.trust",
    "cairn.notifications",
    "cairn.coaching",
    "cairn.tags",
    "cairn.evaluation",
    "cairn.growth",
    "cairn.mastery",
    "cairn.mentoring",
    "cairn.library",
    "cairn.feedback",
    "cairn.debriefs",
    "cairn.export",
    "cairn.demo",
    "cairn.insights",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Outermost but one, so it marks the final response: signed-in pages are not kept.
    "cairn.lib.cache_control.PrivateCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "cairn.people.middleware.TimeZoneMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # A session that should have passed the second sign-in step and has not is ended.
    "cairn.people.middleware.TwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Text Cairn cannot store (NUL, lone surrogates, control characters) is a 422
    # before any view runs: cairn/lib/hostile.py.
    "cairn.lib.hostile.HostileInputMiddleware",
]

ROOT_URLCONF = "cairn.urls"
WSGI_APPLICATION = "cairn.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "cairn" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
            # cached_url: ``{% url %}`` reversing each view name once (cairn.lib.links).
            "builtins": [
                "template_partials.templatetags.partials",
                "cairn.lib.templatetags.cached_url",
            ],
        },
    }
]

AUTH_USER_MODEL = "people.User"
# ModelBackend's sign-in; each request's account is read with its person in one query.
AUTHENTICATION_BACKENDS = ["cairn.people.backends.PersonBackend"]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = os.environ.get("CAIRN_TIME_ZONE", "Europe/London")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
# Front-end libraries are installed from the npm registry by `make`; none is committed.
# The project package is not an installed app, so its own static/ is listed here too.
STATICFILES_DIRS = [
    BASE_DIR / "cairn" / "static",
    ("vendor/htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist"),
    # The people pickers' search as you type (cairn/static/cairn/person-picker.js).
    ("vendor/tom-select/js", BASE_DIR / "node_modules" / "tom-select" / "dist" / "js"),
    ("vendor/tom-select/css", BASE_DIR / "node_modules" / "tom-select" / "dist" / "css"),
    # The insights' charts (cairn/static/cairn/charts.js draws them from data attributes).
    ("vendor/chart.js", BASE_DIR / "node_modules" / "chart.js" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The Django admin shows a device's name, never its secret key.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
# django-otp's own per-device delays are off: the sign-in throttle (cairn.people.throttle)
# counts every wrong code against the account and the address, and locks both.
OTP_TOTP_THROTTLE_FACTOR = 0
OTP_STATIC_THROTTLE_FACTOR = 0

# The cache holds the sign-in throttle's counters (cairn.people.throttle), which every
# web process must share: in production a table in the database (made by
# `python -m cairn createcachetable`, see README), locally memory. The leaders'
# insights keep their counted tables in a cache of their own (cairn.insights.counted),
# so that however many they keep, they never push the throttle's counters out.
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "cairn_cache"}
        if PRODUCTION
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "default"}
    ),
    "insights": (
        {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "cairn_insights_cache",
            "OPTIONS": {"MAX_ENTRIES": 2000},
        }
        if PRODUCTION
        else {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "insights",
            "OPTIONS": {"MAX_ENTRIES": 2000},
        }
    ),
}

TASKS = {
    "default": {
        "BACKEND": os.environ.get("CAIRN_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

# How long the access log keeps a record of who read a person's things (the trust
# app's retention job deletes older ones every day).
CAIRN_ACCESS_LOG_RETENTION_DAYS = env_positive_int("CAIRN_ACCESS_LOG_RETENTION_DAYS", 730)

EMAIL_BACKEND = os.environ.get(
    "CAIRN_EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.console.EmailBackend",
)
DEFAULT_FROM_EMAIL = os.environ.get("CAIRN_FROM_EMAIL", "cairn@localhost")
# The mail server the SMTP backend hands email to (the worker sends; see README).
EMAIL_HOST = os.environ.get("CAIRN_EMAIL_HOST", "localhost")
EMAIL_PORT = env_positive_int("CAIRN_EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("CAIRN_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("CAIRN_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_flag("CAIRN_EMAIL_USE_TLS")  # STARTTLS, usually port 587
EMAIL_USE_SSL = env_flag("CAIRN_EMAIL_USE_SSL")  # TLS from the start, usually port 465
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ImproperlyConfigured(
        "CAIRN_EMAIL_USE_TLS and CAIRN_EMAIL_USE_SSL are exclusive: TLS is STARTTLS "
        "(port 587), SSL is TLS from the start (port 465); set one."
    )
# Seconds any one step of talking to the mail server may take: a hung server fails
# the attempt (which is retried) instead of holding a worker.
EMAIL_TIMEOUT = env_positive_int("CAIRN_EMAIL_TIMEOUT", 30)
# Where links in emails and calendar entries point: the address people open Cairn at.
CAIRN_BASE_URL = os.environ.get(
    "CAIRN_BASE_URL", "" if PRODUCTION else "http://127.0.0.1:8000"
).rstrip("/")

# A strict Content-Security-Policy: no inline script or style anywhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    }
}

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
# Forms and htmx take the token from the page, so no script needs the cookie.
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

if PRODUCTION:
    SECURE_SSL_REDIRECT = env_flag("CAIRN_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_positive_int("CAIRN_HSTS_SECONDS", 31536000)
    # Both on by default: Cairn is served over HTTPS only. Turn subdomains off when
    # another site under the same domain still needs plain HTTP; preloading takes
    # effect only once the domain is submitted to hstspreload.org (README).
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_flag("CAIRN_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env_flag("CAIRN_HSTS_PRELOAD", default=True)
    problems = []
    if SECRET_KEY == DEV_SECRET_KEY or len(SECRET_KEY) < 50:
        problems.append("CAIRN_SECRET_KEY must be set to a random value of 50+ characters")
    if DEBUG:
        problems.append("CAIRN_DEBUG must be off")
    if not ALLOWED_HOSTS:
        problems.append("CAIRN_ALLOWED_HOSTS must name the hosts Cairn is served on")
    if not CAIRN_BASE_URL.startswith("https://"):
        problems.append("CAIRN_BASE_URL must be the https:// address Cairn is served at")
    if not ENCRYPTION_KEYS:
        problems.append(
            "CAIRN_ENCRYPTION_KEYS must hold at least one Fernet key "
            "(python -m cairn generate_encryption_key makes one)"
        )
    if problems:
        raise ImproperlyConfigured("Refusing to start in production mode: " + "; ".join(problems))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("CAIRN_LOG_LEVEL", "INFO")},
}
