"""Stagebrug settings: one module, driven by the environment.

Every value has a safe development default, so `make run` works on a fresh machine with SQLite
under `var/`. A production deployment sets at least `DEBUG=false`, `SECRET_KEY`,
`ALLOWED_HOSTS`, `CSRF_TRUSTED_ORIGINS` and `DATABASE_URL` (docs/deployment.md). A bad value
stops start-up with a message that says which variable is wrong and what it should look like.
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
import tempfile
from pathlib import Path

import dj_database_url
from csp import constants as csp
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("STAGEBRUG_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean; use true or false.")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a whole number.") from None


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)


def _secret_key() -> str:
    key = os.environ.get("SECRET_KEY", "")
    if key:
        if not DEBUG and len(key) < 40:
            raise ImproperlyConfigured("SECRET_KEY must be at least 40 characters long.")
        return key
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is false.")
    # Development: a random key kept per checkout, so sessions survive restarts.
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must list the site's host names when DEBUG is false.")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = os.environ.get("SITE_URL", "http://localhost:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "ninja",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "stagebrug.core",
    "stagebrug.accounts",
    "stagebrug.registry",
    "stagebrug.placements",
    "stagebrug.applications",
    "stagebrug.matching",
    "stagebrug.internships",
    "stagebrug.agreements",
    "stagebrug.supervision",
    "stagebrug.community",
    "stagebrug.insights",
    "stagebrug.demo",
]

MIDDLEWARE = [
    "stagebrug.core.health.HealthCheckMiddleware",  # before the HTTPS redirect and host check
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "stagebrug.accounts.middleware.SecondFactorMiddleware",
    "stagebrug.accounts.middleware.RememberLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "stagebrug.core.middleware.BadInputMiddleware",
    # Last: answers a locked-out login with the lockout page (AXES_LOCKOUT_CALLABLE).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "stagebrug.urls"
FORM_RENDERER = "stagebrug.core.forms.FormRenderer"
WSGI_APPLICATION = "stagebrug.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "stagebrug" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "stagebrug.core.context_processors.site",
                # After Django's csrf processor: cached public pages (core.pagecache).
                "stagebrug.core.pagecache.context",
            ],
        },
    },
]

# Database: SQLite under var/ unless DATABASE_URL says otherwise.
DATABASE_URL = os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'stagebrug.sqlite3'}"
try:
    _db = dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 0))
except Exception as exc:  # dj_database_url raises several types for bad URLs
    raise ImproperlyConfigured(
        f"DATABASE_URL={DATABASE_URL!r} is not a database URL "
        "(expected e.g. postgres://user@host:5432/name or sqlite:///path): "
        f"{exc}"
    ) from None
# A kept connection is checked before a request uses it: after the database restarted or failed
# over, the next request opens a new one instead of failing.
_db["CONN_HEALTH_CHECKS"] = True
if _db["ENGINE"] == "django.db.backends.sqlite3":
    # Tests use a file too (not shared-cache memory), so concurrent requests in tests wait for
    # the write lock the way they do in production instead of failing at once.
    # One file per test process, so parallel test runs never share (or delete) a database.
    _db["TEST"] = {
        "NAME": os.path.join(tempfile.gettempdir(), f"stagebrug-test-{os.getpid()}.sqlite3")
    }
    _db["OPTIONS"] = {
        # IMMEDIATE transactions take the write lock up front, so concurrent writers wait
        # (up to `timeout` seconds) instead of failing with "database is locked".
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
        ),
    }
elif _db["ENGINE"] == "django.db.backends.postgresql":
    _db.setdefault("OPTIONS", {})
    _db["TEST"] = {"NAME": f"test_stagebrug_{os.getpid()}"}  # parallel runs never collide
else:
    raise ImproperlyConfigured(
        f"DATABASE_URL uses {_db['ENGINE']}; Stagebrug supports SQLite and PostgreSQL."
    )
DATABASES = {"default": _db}
IS_POSTGRES = _db["ENGINE"] == "django.db.backends.postgresql"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Accounts
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses a locked-out login
    "stagebrug.accounts.backends.EmailBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:dashboard"
LOGOUT_REDIRECT_URL = "registry:home"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24 * 3
INVITATION_VALID_DAYS = env_int("INVITATION_VALID_DAYS", 14)

# The shared cache: counts of the limits on logins and other doors (stagebrug.core.doors).
# It lives in the database, so every web process on every machine shares it; the migration
# core/0002_cache_table makes its table.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "stagebrug_cache",
        # The lockout and rate-limit counts live here: a full table would drop some (the
        # database cache culls by key, not by age), so it may hold far more than they need.
        "OPTIONS": {"MAX_ENTRIES": 1_000_000},
    },
    # Cached public pages (core.pagecache): in each web process's memory, apart from the
    # counts above, so that many addresses asked once can never push a count out.
    "pages": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "stagebrug-pages",
        "OPTIONS": {"MAX_ENTRIES": 200},
    },
}
# The load balancer's addresses: only a request from one of them may say, in
# X-Forwarded-For, which client it came from (stagebrug.core.doors.client_ip).
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", [])

# Logging in: five wrong passwords for one address from one client lock that pair out for 15
# minutes (another client, or the right person elsewhere, can still log in). Attempts are
# kept in the shared cache and forgotten when the pause ends; nothing is logged per login.
AXES_HANDLER = "axes.handlers.cache.AxesCacheHandler"
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = dt.timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_CALLABLE = "stagebrug.accounts.backends.login_name"
AXES_CLIENT_IP_CALLABLE = "stagebrug.core.doors.client_ip"
AXES_RESET_ON_SUCCESS = True
AXES_DISABLE_ACCESS_LOG = True
AXES_LOCKOUT_CALLABLE = "stagebrug.accounts.views.locked_out"
AXES_VERBOSE = False
RATELIMIT_IP_META_KEY = "stagebrug.core.doors.client_ip"
RATELIMIT_ENABLE = env_bool("RATELIMIT_ENABLE", True)

# Content Security Policy: scripts, styles, images and fonts only from this site; no inline
# script, no eval, no plugins, no framing, forms post only here. Style attributes are allowed
# (`style-src-attr`): the meters set their width from a figure; a style attribute cannot run
# script. The browser tests fail on any violation a page reports (tests/browser/conftest.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [csp.SELF],
        "script-src": [csp.SELF],
        "style-src": [csp.SELF],
        "style-src-attr": [csp.UNSAFE_INLINE],
        "img-src": [csp.SELF, "data:"],
        "font-src": [csp.SELF],
        "connect-src": [csp.SELF],
        "object-src": [csp.NONE],
        "base-uri": [csp.NONE],
        "frame-ancestors": [csp.NONE],
        "form-action": [csp.SELF],
    }
}

# School staff and operators are logged out a working day after they log in
# (stagebrug.accounts.sessions); everyone else after two weeks, or when they log out.
STAFF_SESSION_HOURS = env_int("STAFF_SESSION_HOURS", 8)
# Unused accounts (stagebrug.supervision.retention): warned after this many months without a
# login, and removed (anonymised) this many days after the warning unless the person logs in.
INACTIVE_ACCOUNT_MONTHS = env_int("INACTIVE_ACCOUNT_MONTHS", 24)
INACTIVE_ACCOUNT_WARNING_DAYS = env_int("INACTIVE_ACCOUNT_WARNING_DAYS", 30)
# Two-step verification (stagebrug.accounts.second_factor): the name authenticator apps show.
OTP_TOTP_ISSUER = "Stagebrug"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# HTTPS. In production (DEBUG false) the site runs behind a load balancer that ends TLS and
# says so in X-Forwarded-Proto; Django redirects plain HTTP and sends HSTS. The load balancer
# must set (not pass on) that header. Health checks (/livez, /readyz) answer over plain HTTP
# (stagebrug.core.health.HealthCheckMiddleware). docs/deployment.md explains each variable.
if env_bool("SECURE_PROXY_SSL_HEADER", not DEBUG):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)

# Language: Dutch first, English as well.
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Nederlands")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "stagebrug" / "locale"]
USE_I18N = True
TIME_ZONE = "Europe/Amsterdam"
USE_TZ = True

# Static files: our own, plus front-end packages installed by npm (no bundler).
STATIC_URL = "/static/"
# The container image collects them at build time outside the data volume (STATIC_ROOT).
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns about a missing directory
_NODE = BASE_DIR / "node_modules"
STATICFILES_DIRS = [
    BASE_DIR / "stagebrug" / "static",
    ("vendor/htmx", _NODE / "htmx.org" / "dist"),
    ("vendor/utrecht", _NODE / "@utrecht" / "component-library-css" / "dist"),
    ("vendor/chartjs", _NODE / "chart.js" / "dist"),
]
# Development serves them straight from their folders; production serves what collectstatic
# gathered, compressed and with hashed names, so browsers may keep them for ever.
WHITENOISE_USE_FINDERS = DEBUG
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": VAR_DIR / "private"},
    },
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# E-mail: printed to the console unless an SMTP server is configured.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
# For the file-based backend (django.core.mail.backends.filebased.EmailBackend): a folder.
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Stagebrug <noreply@stagebrug.nl>")
# Whom a business asks when no school offers the programme its placement belongs to (W15).
REGION_DESK_EMAIL = os.environ.get("REGION_DESK_EMAIL", "regio@stagebrug.nl")

# Background work: Django's task interface with the database as the queue.
# Public pages for visitors who are not logged in are kept this many seconds in the shared cache
# (stagebrug.core.pagecache); 0 turns that off.
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 60)
# A job "running" for longer than this lost its worker and is queued again (core.tasks).
TASK_ABANDONED_MINUTES = env_int("TASK_ABANDONED_MINUTES", 30)
TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

# Directory and API lists.
PAGE_SIZE = 25
API_MAX_PAGE_SIZE = 100

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

NINJA_PAGINATION_PER_PAGE = PAGE_SIZE
NINJA_PAGINATION_MAX_LIMIT = API_MAX_PAGE_SIZE

# Students and applications
CV_MAX_BYTES = env_int("CV_MAX_BYTES", 2 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = CV_MAX_BYTES + 1024 * 1024
# The answer ladder (W1): in each waiting stage the business is reminded after the first number
# of days without a decision, and the application closes politely after the second. An
# interview's days count from the interview itself.
APPLICATION_REPLY_DAYS = env_int("APPLICATION_REPLY_DAYS", 7)  # then the business is reminded
APPLICATION_CLOSE_DAYS = env_int("APPLICATION_CLOSE_DAYS", 21)  # then it closes politely
SHORTLIST_REPLY_DAYS = env_int("SHORTLIST_REPLY_DAYS", 10)
SHORTLIST_CLOSE_DAYS = env_int("SHORTLIST_CLOSE_DAYS", 28)
INTERVIEW_REPLY_DAYS = env_int("INTERVIEW_REPLY_DAYS", 5)
INTERVIEW_CLOSE_DAYS = env_int("INTERVIEW_CLOSE_DAYS", 14)

# Matching rounds: a run that has been queued or running this long is taken as lost (the worker
# stopped, or the job never reached the queue) and no longer blocks a new run.
ROUND_RUN_STALE_MINUTES = env_int("ROUND_RUN_STALE_MINUTES", 30)
