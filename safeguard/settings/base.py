"""Settings for Safeguard, read from the environment.

One module for every environment; ``dev`` and ``test`` only override what they must.
See the configuration table in README.md.
"""

from __future__ import annotations

from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from safeguard.settings.env import env_bool, env_choice, env_colour, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(env_str("SAFEGUARD_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DJANGO_DEBUG", False)
DEMO_MODE = env_bool("DEMO_MODE", False)

SECRET_KEY = env_str("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not (DEBUG or DEMO_MODE):
        raise ImproperlyConfigured("Set DJANGO_SECRET_KEY (a long random string) outside demo mode")
    SECRET_KEY = "demo-only-insecure-key-never-use-in-production-0123456789"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "csp",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_tasks",
    "django_tasks_db",
    "safeguard.core",
    "safeguard.design_system",
    "safeguard.accounts",
    "safeguard.audit",
    "safeguard.people",
    "safeguard.workforce",
    "safeguard.casework",
    "safeguard.conferences",
    "safeguard.records",
    "safeguard.frontdoor",
    "safeguard.returns",
    "safeguard.performance",
    "safeguard.home",
    "safeguard.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Below WhiteNoise, so static files keep their caching; above the rest, so every page,
    # redirect and error the application sends is marked no-store.
    "safeguard.core.middleware.NoStoreMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "safeguard.core.middleware.PermissionsPolicyMiddleware",
    "axes.middleware.AxesMiddleware",
    "safeguard.accounts.middleware.StaffLoginRequiredMiddleware",
    "safeguard.accounts.middleware.MFARequiredMiddleware",
]

ROOT_URLCONF = "safeguard.urls"
WSGI_APPLICATION = "safeguard.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "environment": "safeguard.jinja2.environment",
            "autoescape": True,
        },
    },
    {
        # Django's own templates remain for the admin (reference data only).
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]


def _database() -> dict[str, object]:
    url = env_str("DATABASE_URL", "")
    if url:
        try:
            config = dict(dj_database_url.parse(url, conn_max_age=60))
        except ValueError as exc:
            raise ImproperlyConfigured(f"DATABASE_URL is not a database URL: {exc}") from exc
        if str(config.get("ENGINE", "")).endswith("postgresql"):
            # PostgreSQL's JIT compiles any query whose estimated cost is high; the measures'
            # working-day subqueries look costly and then spend 100-150 ms compiling for a
            # few milliseconds of work. These are short queries: off.
            options = dict(config.get("OPTIONS") or {})  # type: ignore[call-overload]
            options["options"] = f"{options.get('options', '')} -c jit=off".strip()
            config["OPTIONS"] = options
        return config
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(VAR_DIR / "safeguard.sqlite3"),
        # WAL lets the demo server read while the generator or a test writes. IMMEDIATE
        # takes the write lock when a transaction begins, so concurrent writers wait for
        # it (up to the timeout) instead of failing with "database is locked".
        "OPTIONS": {
            "init_command": "PRAGMA journal_mode=WAL;",
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
        },
    }


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "safeguard.accounts.backends.StaffBackend",  # refuses demo accounts outside demo mode
]
# How many reverse proxies stand in front of the application, each appending to
# X-Forwarded-For; 0 (the default) believes no forwarded header. See safeguard.core.http.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0, minimum=0)
# Pause an email address from one client address after repeated failures, whether or not it
# has an account, so the lockout itself never reveals which addresses exist. Keyed on the
# pair: locking the email address alone would let anyone lock a colleague out from
# everywhere, and locking the client address alone would lock out everyone behind it.
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5, minimum=3)
AXES_COOLOFF_TIME = env_int("LOGIN_LOCKOUT_MINUTES", 15, minimum=1) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "safeguard.core.http.client_address"
# Password reset emails: per client address and per email address typed, in a window.
PASSWORD_RESETS_PER_CLIENT = env_int("PASSWORD_RESETS_PER_CLIENT", 10, minimum=1)
PASSWORD_RESETS_PER_EMAIL = env_int("PASSWORD_RESETS_PER_EMAIL", 3, minimum=1)
PASSWORD_RESET_WINDOW_MINUTES = env_int("PASSWORD_RESET_WINDOW_MINUTES", 60, minimum=1)
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "safeguard.accounts.views.locked_out"
AXES_VERBOSE = False

# Multi-factor authentication (TOTP app plus recovery codes) for every signed-in user.
REQUIRE_MFA = env_bool("REQUIRE_MFA", not DEMO_MODE)
OTP_TOTP_ISSUER = env_str("OTP_TOTP_ISSUER", "Safeguard")

LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home:home"
LOGOUT_REDIRECT_URL = "accounts:login"

SESSION_COOKIE_AGE = env_int("SESSION_IDLE_TIMEOUT_MINUTES", 30, minimum=5) * 60
SESSION_SAVE_EVERY_REQUEST = True  # idle timeout: each request extends the session
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
SECURE_COOKIES = env_bool("SECURE_COOKIES", not (DEBUG or DEMO_MODE))
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# HTTPS: on by default wherever cookies are secure (production); off for the local demo.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", SECURE_COOKIES)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000 if SECURE_COOKIES else 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
if env_bool("TRUST_X_FORWARDED_PROTO", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# No inline script without the per-request nonce; nothing from other origins.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
ASSETS_BUILD_DIR = BASE_DIR / "build" / "assets"
ASSETS_BUILD_DIR.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [ASSETS_BUILD_DIR]
WHITENOISE_USE_FINDERS = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "safeguarding@example.org")

# Background jobs (ADR 9). "immediate" runs a job at once, in the process that enqueues it
# (the demo and tests); "database" stores it for `manage.py db_worker` to run.
JOB_BACKENDS = {
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
    "database": "django_tasks_db.DatabaseBackend",
}
TASKS = {
    "default": {
        "BACKEND": JOB_BACKENDS[
            env_choice("JOBS_BACKEND", "immediate" if DEMO_MODE else "database", JOB_BACKENDS)
        ]
    }
}

# The council running this instance. A council's service is not GOV.UK: its own name and
# colour in the header, no crown, no GDS Transport.
COUNCIL_NAME = env_str("COUNCIL_NAME", "Harrowmere Metropolitan Borough Council")
COUNCIL_SHORT_NAME = env_str("COUNCIL_SHORT_NAME", "Harrowmere")
COUNCIL_LOGO_TEXT = env_str("COUNCIL_LOGO_TEXT", "Harrowmere Council")
COUNCIL_COLOUR = env_colour("COUNCIL_COLOUR", "#0b5a6e")
COUNCIL_LA_CODE = env_str("COUNCIL_LA_CODE", "999")
COUNCIL_PHONE = env_str("COUNCIL_PHONE", "0300 555 0123")
COUNCIL_OUT_OF_HOURS_PHONE = env_str("COUNCIL_OUT_OF_HOURS_PHONE", "0300 555 0999")
COUNCIL_EMAIL = env_str("COUNCIL_EMAIL", "childrens.front.door@example.org")
COUNCIL_CHILD_POPULATION = env_int("COUNCIL_CHILD_POPULATION", 80000, minimum=1)
SERVICE_NAME = env_str("SERVICE_NAME", "Safeguard")
SERVICE_PHASE = env_str("SERVICE_PHASE", "beta")

# Retention schedules: local policy defaults that a council sets for itself. A record is due
# for review when every schedule that applies to it has passed; disposal is a reviewed,
# audited decision, never automatic.
RETENTION_SCHEDULES = {
    "children_in_need": {"years_after_closure": env_int("RETENTION_CIN_YEARS_AFTER_CLOSURE", 15, minimum=1)},
    "child_protection": {
        "until_age": env_int("RETENTION_CP_UNTIL_AGE", 26, minimum=18),
        "years_after_closure": env_int("RETENTION_CP_YEARS_AFTER_CLOSURE", 15, minimum=1),
    },
}

# Local-policy timescales (the "M" rows of the timescales reference): configurable defaults,
# applied to clocks started after a change.
LOCAL_TIMESCALES = {
    "strategy_record_working_days": env_int("TIMESCALE_STRATEGY_RECORD_WORKING_DAYS", 1, minimum=1),
    "core_group_working_days": env_int("TIMESCALE_CORE_GROUP_WORKING_DAYS", 10, minimum=1),
    "cp_visit_working_days": env_int("TIMESCALE_CP_VISIT_WORKING_DAYS", 10, minimum=1),
    "strategy_discussion_working_days": env_int("TIMESCALE_STRATEGY_DISCUSSION_WORKING_DAYS", 1, minimum=1),
    "cin_review_months": env_int("TIMESCALE_CIN_REVIEW_MONTHS", 3, minimum=1),
    "cin_visit_working_days": env_int("TIMESCALE_CIN_VISIT_WORKING_DAYS", 20, minimum=1),
}
# A clock is "due soon" when this many working days or fewer remain.
CLOCK_DUE_SOON_WORKING_DAYS = env_int("CLOCK_DUE_SOON_WORKING_DAYS", 5, minimum=0)

# The front door (local policy). FRONT_DOOR_THRESHOLD_LEVELS, the levels of the council's
# threshold document, is a Django setting (see safeguard/frontdoor/config.py).
FRONT_DOOR_AUTHORISED_DECISIONS = env_list("FRONT_DOOR_AUTHORISED_DECISIONS", ["nfa", "strategy"])
FRONT_DOOR_EXIT_URL = env_str("FRONT_DOOR_EXIT_URL", "https://www.bbc.co.uk/weather")
FRONT_DOOR_REPORTS_PER_IP = env_int("FRONT_DOOR_REPORTS_PER_IP", 10, minimum=1)
FRONT_DOOR_STEPS_PER_IP = env_int("FRONT_DOOR_STEPS_PER_IP", 300, minimum=1)
FRONT_DOOR_RATE_WINDOW_SECONDS = env_int("FRONT_DOOR_RATE_WINDOW_SECONDS", 3600, minimum=1)
FRONT_DOOR_API_REQUESTS_PER_AGENCY = env_int("FRONT_DOOR_API_REQUESTS_PER_AGENCY", 120, minimum=1)
FRONT_DOOR_API_RATE_WINDOW_SECONDS = env_int("FRONT_DOOR_API_RATE_WINDOW_SECONDS", 60, minimum=1)
