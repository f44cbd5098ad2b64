"""Django settings, all from the environment.

RECOVERY_TRACKER_ENV=production turns on the secure settings (HTTPS-only cookies, HSTS, SSL
redirect) and requires RECOVERY_TRACKER_SECRET_KEY and RECOVERY_TRACKER_ALLOWED_HOSTS. Anything
else is a local set-up (the demo, tests) that serves plain HTTP on 127.0.0.1.
"""

from __future__ import annotations

import contextlib
import os
from email.utils import getaddresses
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

PACKAGE_DIR = Path(__file__).resolve().parent.parent
HOME = Path(os.environ.get("RECOVERY_TRACKER_HOME", "var")).resolve()
ENVIRONMENT = os.environ.get("RECOVERY_TRACKER_ENV", "local")
PRODUCTION = ENVIRONMENT == "production"

# Everything this process creates (the data folder, the SQLite database and its journal, uploads,
# backups, temporary files) is readable by its owner only: the database holds password hashes.
os.umask(0o077)
HOME.mkdir(mode=0o700, parents=True, exist_ok=True)


def _env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = os.environ.get("RECOVERY_TRACKER_DEBUG", "") == "1" and not PRODUCTION

if PRODUCTION:
    SECRET_KEY = os.environ.get("RECOVERY_TRACKER_SECRET_KEY", "")
    if len(SECRET_KEY) < 50:
        raise ImproperlyConfigured(
            "RECOVERY_TRACKER_SECRET_KEY must be set to a random string of at least 50 characters in production."
        )
    ALLOWED_HOSTS = _env_list("RECOVERY_TRACKER_ALLOWED_HOSTS")
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("RECOVERY_TRACKER_ALLOWED_HOSTS must list the host names served in production.")
    if any("*" in host for host in ALLOWED_HOSTS):
        raise ImproperlyConfigured(
            "RECOVERY_TRACKER_ALLOWED_HOSTS must not contain '*' in production: list the host names you serve, "
            "e.g. tracker.example.org (a leading dot, .example.org, allows its subdomains).")
else:
    # Local use only: the demo and the tests. Never used when RECOVERY_TRACKER_ENV=production.
    SECRET_KEY = os.environ.get(
        "RECOVERY_TRACKER_SECRET_KEY", "local-only-insecure-key-for-the-demo-and-tests-never-in-production"
    )
    ALLOWED_HOSTS = _env_list("RECOVERY_TRACKER_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # Serves the API docs page (Swagger UI) from our own static files, not a CDN.
    "ninja",
    # Django's Tasks API (the backport until Django 6.0) and its database backend's tables.
    "django_tasks",
    "django_tasks_db",
    # Second factor (TOTP) for moderators and staff.
    "django_otp",
    "django_otp.plugins.otp_totp",
    # Our apps, in layer order (docs/architecture.md): each imports only from those above it here.
    "recovery_tracker.audit",
    "recovery_tracker.accounts",
    "recovery_tracker.catalogue",
    "recovery_tracker.progress",
    "recovery_tracker.indicators",
    "recovery_tracker.measures",
    "recovery_tracker.outreach",
    "recovery_tracker.reports",
    # Search reads the catalogue, progress and indicators, so it sits beside reports.
    "recovery_tracker.search",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "recovery_tracker.web.middleware.StaticFilesMiddleware",
    "recovery_tracker.web.middleware.InputRefusalMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Outside everything that can set a cookie, so it sees the final response (see its docstring).
    "recovery_tracker.web.middleware.AnonymousPageCacheMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # user.is_verified(): whether this session passed the second factor.
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "recovery_tracker.web.middleware.ContentSecurityPolicyMiddleware",
]

ROOT_URLCONF = "recovery_tracker.web.urls"
WSGI_APPLICATION = "recovery_tracker.web.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "recovery_tracker.web.context.site",
            ],
            # The GOV.UK form partials' filters (templates/forms/); web is not an app, so listed here.
            "libraries": {"govuk_forms": "recovery_tracker.web.templatetags.govuk_forms"},
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{HOME / 'db.sqlite3'}"), conn_max_age=60
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded default serves several gunicorn workers and a task worker at once: WAL lets
    # readers go on while one writer writes, the busy timeout makes a second writer wait instead of
    # failing with "database is locked", and IMMEDIATE takes the write lock when a transaction
    # starts, so two writers never both hold read locks and deadlock on the upgrade.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000;",
    }
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
LOGIN_URL = "login"
# Signing in lands on "Recommendations you can update" (a `next` address still wins).
LOGIN_REDIRECT_URL = "progress-can-update"
LOGOUT_REDIRECT_URL = "home"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = False
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = HOME / "static"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
# `setup` (and so `demo`) collects the files with hashed names, gzip and brotli copies, served for a
# year. Until it has run (a fresh test run), names are left unhashed and served straight from the
# package folders with a short lifetime, so no page breaks for want of the collect step.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "recovery_tracker.web.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = HOME / "media"
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700

# Uploads: small in memory, never large. Per-form limits are stricter (see each upload form).
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
# Every upload gets a private folder under this one; folders a killed worker left are swept hourly.
FILE_UPLOAD_TEMP_DIR = str(HOME / "tmp" / "uploads")
# A read-only checkout running `--help` carries on: uploads will say so when they happen.
with contextlib.suppress(OSError):
    os.makedirs(FILE_UPLOAD_TEMP_DIR, mode=0o700, exist_ok=True)

# One cache shared by every worker process and the task worker (throttles, reports, cached pages):
# a table in the database by default (`setup` creates it), Redis when RECOVERY_TRACKER_CACHE_URL is set.
CACHE_URL = os.environ.get("RECOVERY_TRACKER_CACHE_URL", "")
CACHE_TABLE = "recovery_tracker_cache"
if CACHE_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL,
                          "KEY_PREFIX": "rt"}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": CACHE_TABLE,
                          "OPTIONS": {"MAX_ENTRIES": 5000, "CULL_FREQUENCY": 4}}}

# Heavy work (reports, large imports, emails, scheduled jobs) runs as tasks (docs/tasks.md): in the
# database by default, run by the worker `serve` and `demo` start; RQ on Redis when
# RECOVERY_TRACKER_QUEUE_URL is set (run `recovery-tracker worker` beside the app servers).
QUEUE_URL = os.environ.get("RECOVERY_TRACKER_QUEUE_URL", "")
TASK_QUEUES = ["default"]
if QUEUE_URL:
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": TASK_QUEUES}}
    RQ_QUEUES = {name: {"URL": QUEUE_URL, "DEFAULT_TIMEOUT": 900} for name in TASK_QUEUES}
else:
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": TASK_QUEUES}}

SESSION_COOKIE_HTTPONLY = True
# Idle timeout: a session ends after this long without a request (each request moves the expiry on).
SESSION_COOKIE_AGE = int(os.environ.get("RECOVERY_TRACKER_SESSION_IDLE_MINUTES", "120")) * 60
SESSION_SAVE_EVERY_REQUEST = True
OTP_TOTP_ISSUER = "Recovery Tracker"
PASSWORD_RESET_TIMEOUT = 60 * 60  # a reset link works for an hour
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = os.environ.get("RECOVERY_TRACKER_SSL_REDIRECT", "1") == "1"
    SECURE_HSTS_SECONDS = 31_536_000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    CSRF_TRUSTED_ORIGINS = _env_list("RECOVERY_TRACKER_CSRF_TRUSTED_ORIGINS")
    if os.environ.get("RECOVERY_TRACKER_BEHIND_PROXY") == "1":
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Server errors (500s) are emailed to these people, e.g. "Ops <ops@example.org>, dev@example.org".
ADMINS = [(name, address) for name, address in getaddresses([os.environ.get("RECOVERY_TRACKER_ADMINS", "")])
          if address]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"require_debug_false": {"()": "django.utils.log.RequireDebugFalse"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler"},
        "mail_admins": {"class": "django.utils.log.AdminEmailHandler", "level": "ERROR",
                        "filters": ["require_debug_false"]},
    },
    "loggers": {"django.request": {"handlers": ["console", "mail_admins"], "level": "ERROR", "propagate": False}},
    "root": {"handlers": ["console"], "level": os.environ.get("RECOVERY_TRACKER_LOG_LEVEL", "WARNING")},
}

# The address reports link to (e.g. https://tracker.example.org/); unset: the one readers use.
SITE_URL = os.environ.get("RECOVERY_TRACKER_SITE_URL", "")

# Email goes through Django's email framework. With EMAIL_HOST set (production), over SMTP with the
# settings below; without it (the demo, local use), each message is written as a file to
# $RECOVERY_TRACKER_HOME/mail so nothing leaves the machine by accident.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = os.environ.get("EMAIL_USE_TLS", "1" if EMAIL_PORT == 587 else "0") == "1"
    EMAIL_USE_SSL = os.environ.get("EMAIL_USE_SSL", "0") == "1"
    EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "30"))
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = HOME / "mail"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Recovery Tracker <tracker@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

RECOVERY_TRACKER = {
    "SITE_NAME": "Recovery Tracker",
    "DEFAULT_PLAN": os.environ.get("RECOVERY_TRACKER_DEFAULT_PLAN", "west-midlands-2020"),
    # Moderation is the editorial team's job; organisations moderate their own members' updates
    # only when this is switched on.
    "EDITORIAL_ORGANISATION": os.environ.get("RECOVERY_TRACKER_EDITORIAL_ORGANISATION", "recovery-tracker-editorial"),
    "ORGANISATION_MODERATION": os.environ.get("RECOVERY_TRACKER_ORGANISATION_MODERATION", "") == "1",
    # The authority in the feeds' permanent tag: ids (RFC 4151): a domain you own, set once and
    # never changed, or every feed reader sees every entry again.
    "TAG_AUTHORITY": os.environ.get("RECOVERY_TRACKER_TAG_AUTHORITY", "recovery-tracker.invalid"),
}
