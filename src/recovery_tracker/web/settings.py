"""Django settings, all from the environment.

RECOVERY_TRACKER_ENV=production turns on the secure settings (HTTPS-only cookies, HSTS, SSL
redirect) and requires RECOVERY_TRACKER_SECRET_KEY and RECOVERY_TRACKER_ALLOWED_HOSTS. Anything
else is a local set-up (the demo, tests) that serves plain HTTP on 127.0.0.1.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

PACKAGE_DIR = Path(__file__).resolve().parent.parent
HOME = Path(os.environ.get("RECOVERY_TRACKER_HOME", "var")).resolve()
ENVIRONMENT = os.environ.get("RECOVERY_TRACKER_ENV", "local")
PRODUCTION = ENVIRONMENT == "production"


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
    "recovery_tracker.accounts",
    "recovery_tracker.catalogue",
]
# Apps added by later work register here, so one list says what the site is made of.
OPTIONAL_APPS = [
    "recovery_tracker.progress",
    "recovery_tracker.indicators",
    "recovery_tracker.measures",
    "recovery_tracker.reports",
]
for _app in OPTIONAL_APPS:
    if (PACKAGE_DIR / _app.rsplit(".", 1)[1] / "apps.py").exists():
        INSTALLED_APPS.append(_app)
# Search reads the catalogue, progress and indicators, so it sits above them (beside reports).
INSTALLED_APPS.append("recovery_tracker.search")

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
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
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{HOME / 'db.sqlite3'}"), conn_max_age=60
    )
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
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = False
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = HOME / "static"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
# Serve straight from the package folders so no collectstatic step can be forgotten.
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = HOME / "media"

# Uploads: small in memory, never large. Per-form limits are stricter (see each upload form).
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_TEMP_DIR = None

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

SESSION_COOKIE_HTTPONLY = True
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

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("RECOVERY_TRACKER_LOG_LEVEL", "WARNING")},
}

RECOVERY_TRACKER = {
    "SITE_NAME": "Recovery Tracker",
    "DEFAULT_PLAN": os.environ.get("RECOVERY_TRACKER_DEFAULT_PLAN", "west-midlands-2020"),
}
