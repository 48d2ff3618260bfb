"""Settings shared by every environment; configuration comes from environment variables."""

import os
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool) -> bool:
    """Read a boolean environment variable ("1", "true", "yes" are true)."""
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # Before the admin, as django-modeltranslation asks (translated fields in the admin).
    "modeltranslation",
    "strategy_tracker.admin_config.TrackerAdminConfig",  # django.contrib.admin, one policy
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI served from here, not from a CDN
    "csp",
    "simple_history",
    "axes",
    # The project's apps, lowest layer first (imports run down this list; `make lint` checks it).
    "core",
    "jobs",
    "audit",
    "outcomes",
    "offices",
    "deliverables",
    "reporting",
    "plans",
    "accounts",
    "rollups",
    "dashboards",
    "exports",
    "demo",
]

MIDDLEWARE = [
    # Outermost: a 503 page instead of a traceback when the database is gone (core.middleware).
    "core.middleware.DatabaseUnavailableMiddleware",
    # Each request's id, in the logs and the X-Request-ID header.
    "core.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy on every response (CONTENT_SECURITY_POLICY below).
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # A signed-in person's saved language wins over the cookie and the browser's.
    "offices.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After messages: says "saved, the dashboards will catch up" when the broker was down.
    "jobs.middleware.DeferredWorkMiddleware",
    # Idle limit and the re-check at the identity provider (after auth and messages).
    "accounts.middleware.SessionCheckMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Hostile query strings refused (400); the API's JSON error shape outside DRF (core). Inside
    # the header middleware above, so its answers carry their headers too.
    "core.middleware.RequestGuardMiddleware",
    # AxesMiddleware last, as django-axes asks.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "strategy_tracker.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "offices.context_processors.roles",
            ],
        },
    },
]

WSGI_APPLICATION = "strategy_tracker.wsgi.application"

DATABASES = {
    # An empty DATABASE_URL means unset: the SQLite file in the project.
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        # A kept connection is checked before each request reuses it: after a database restart
        # the next request reconnects instead of failing.
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded default serves concurrent requests (and `make run`'s worker): write-ahead
    # log so readers never block the writer, a busy timeout so a second writer waits its turn
    # instead of failing with "database is locked", and transactions that take the write lock
    # at BEGIN so two writers cannot both read and then collide (the second one waits, then
    # sees the first one's version: 409, never 500).
    DATABASES["default"]["OPTIONS"] = {
        "timeout": int(os.environ.get("SQLITE_BUSY_TIMEOUT", "20")),
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
        **DATABASES["default"].get("OPTIONS", {}),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    # Axes first, so a locked-out user is refused before the password is checked.
    "axes.backends.AxesStandaloneBackend",
    # Passwords (only superusers' when LOCAL_LOGIN is off), then the identity provider's
    # callback (does nothing while OIDC_ISSUER is unset).
    "accounts.backends.LocalPasswordBackend",
    "accounts.backends.OidcBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
LOGIN_REDIRECT_URL_FAILURE = "login"

# --- Sign-in through the organisation's identity provider (OpenID Connect) -------------------
# Off while OIDC_ISSUER is unset. The endpoints come from the issuer's discovery document.
OIDC_ISSUER = os.environ.get("OIDC_ISSUER", "").rstrip("/")
OIDC_RP_CLIENT_ID = os.environ.get("OIDC_CLIENT_ID", "")
OIDC_RP_CLIENT_SECRET = os.environ.get("OIDC_CLIENT_SECRET", "")
OIDC_RP_SCOPES = os.environ.get("OIDC_SCOPES", "openid email profile")
OIDC_RP_SIGN_ALGO = os.environ.get("OIDC_SIGN_ALGO", "RS256")
OIDC_EMAIL_CLAIM = os.environ.get("OIDC_EMAIL_CLAIM", "email")
OIDC_EMAIL_VERIFIED_CLAIM = os.environ.get("OIDC_EMAIL_VERIFIED_CLAIM", "email_verified")
OIDC_GROUPS_CLAIM = os.environ.get("OIDC_GROUPS_CLAIM", "groups")
# Group -> role pre-filled at a person's first sign-in, e.g.
# "tracker-hq=hq_manager,tracker-ke=field_staff@co-ke,tracker-nbo=reviewer@region:nairobi".
# Never administrator.
OIDC_GROUP_ROLES = dict(item.split("=", 1) for item in env_list("OIDC_GROUP_ROLES") if "=" in item)
OIDC_PROVIDER_NAME = os.environ.get("OIDC_PROVIDER_NAME", "")
OIDC_USE_PKCE = True
OIDC_USE_NONCE = True
OIDC_STORE_ID_TOKEN = True  # the id_token_hint of RP-initiated logout
OIDC_TIMEOUT = int(os.environ.get("OIDC_TIMEOUT", "10"))
OIDC_VERIFY_SSL = env_bool("OIDC_VERIFY_SSL", True)
OIDC_CLOCK_LEEWAY = int(os.environ.get("OIDC_CLOCK_LEEWAY", "60"))
# Longest a provider session goes without a re-check (refresh) at the provider; without a
# refresh token, how long it lasts at most.
OIDC_SESSION_MAX_AGE = int(os.environ.get("OIDC_SESSION_MAX_AGE", "3600"))
# false: only superusers (the break-glass account) may sign in with a password.
LOCAL_LOGIN = env_bool("LOCAL_LOGIN", True)
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_MAX_AGE", str(60 * 60 * 24 * 14)))
SESSION_IDLE_TIMEOUT = int(os.environ.get("SESSION_IDLE_TIMEOUT", "0"))  # seconds; 0: none
STALE_USER_DAYS = int(os.environ.get("STALE_USER_DAYS", "90"))  # 0: never deactivate
API_TOKEN_MAX_DAYS = int(os.environ.get("API_TOKEN_MAX_DAYS", "365"))
ACCESS_REQUEST_CONTACT = os.environ.get("ACCESS_REQUEST_CONTACT", "")

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fr", _("French")), ("es", _("Spanish"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Framework wording (outcomes, deliverables, indicators...) in each language, from
# django-modeltranslation: a missing French or Spanish text falls back to the English one.
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_LANGUAGES = ("en", "fr", "es")
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en",)
# A row made with a plain `name` (the API, a factory) while French is active still gets its
# English text, so English pages and the fallback never read an empty one.
MODELTRANSLATION_AUTO_POPULATE = "default"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Evidence files: what field staff may attach to an update.
EVIDENCE_MAX_BYTES = int(os.environ.get("EVIDENCE_MAX_BYTES", str(10 * 1024 * 1024)))
EVIDENCE_ALLOWED_EXTENSIONS = ["pdf", "docx", "xlsx", "csv", "jpg", "jpeg", "png", "txt"]
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# The upload guard (core.uploads) for every file people send: the largest file, what a zip-based
# one (.xlsx, .docx) may expand to when opened and how many parts it may hold.
UPLOAD_MAX_BYTES = int(os.environ.get("UPLOAD_MAX_BYTES", str(EVIDENCE_MAX_BYTES)))
UPLOAD_MAX_UNCOMPRESSED_BYTES = int(
    os.environ.get("UPLOAD_MAX_UNCOMPRESSED_BYTES", str(25 * 1024 * 1024))
)
UPLOAD_MAX_ZIP_ENTRIES = int(os.environ.get("UPLOAD_MAX_ZIP_ENTRIES", "2000"))

# Progress status bands (DOMAIN.md): settings, not constants in code.
PROGRESS_BANDS = {
    "achieved": 1.0,  # progress >= 100% of the full target
    "on_track": 0.75,  # >= 75% of the pro-rated target
    "at_risk": 0.40,  # >= 40% of the pro-rated target
}
# An entered value more than this many times (or under its inverse) the previous one needs an
# explanation in the narrative before it can be submitted.
LARGE_CHANGE_FACTOR = 3

# Reminders (reporting.services.reminders, sent daily by Celery beat): field staff hear of what
# is not yet submitted this many days before a period's deadline; reviewers get a digest of the
# updates that have waited for them more than this many days.
REMINDER_DAYS_BEFORE_DEADLINE = int(os.environ.get("REMINDER_DAYS_BEFORE_DEADLINE", "7"))
REVIEW_DIGEST_AFTER_DAYS = int(os.environ.get("REVIEW_DIGEST_AFTER_DAYS", "5"))

# Celery, the one task runner. With REDIS_URL it is the broker. Without it, `make run` sets
# CELERY_BROKER_URL=filesystem://: a broker of files under CELERY_BROKER_DIR that needs no
# server, with a worker started beside the web server, so long work still runs outside the
# request. With neither (tests, a bare `manage.py`), tasks run eagerly in-process.
REDIS_URL = os.environ.get("REDIS_URL", "")
CELERY_BROKER_URL = REDIS_URL or os.environ.get("CELERY_BROKER_URL", "") or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or None
CELERY_TASK_ALWAYS_EAGER = CELERY_BROKER_URL == "memory://"
CELERY_BROKER_DIR = Path(os.environ.get("CELERY_BROKER_DIR", BASE_DIR / "var" / "celery"))
if CELERY_BROKER_URL.startswith("filesystem://"):
    for folder in ("queue", "processed", "control"):
        (CELERY_BROKER_DIR / folder).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_BROKER_DIR / "queue"),
        "data_folder_out": str(CELERY_BROKER_DIR / "queue"),
        "processed_folder": str(CELERY_BROKER_DIR / "processed"),
        "control_folder": str(CELERY_BROKER_DIR / "control"),
        "store_processed": False,
        "polling_interval": 0.2,
    }
# Two queues: `long` for background jobs (exports, rebuilds, imports) and `quick` for the
# rest (roll-up recomputations, notifications), so a roll-up never waits behind an export.
CELERY_TASK_DEFAULT_QUEUE = "quick"
CELERY_TASK_ROUTES = {"jobs.tasks.job_run_task": {"queue": "long"}}
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
# The worker logs through LOGGING (JSON with LOG_FORMAT=json), not a handler of its own.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE: dict = {
    # The nightly full roll-up rebuild (it gives the same numbers as the incremental updates).
    "rollup-rebuild-nightly": {
        "task": "rollups.tasks.rollup_rebuild_nightly_task",
        "schedule": crontab(hour=2, minute=30),
    },
    # Tasks kept while the broker was unreachable (jobs.outbox) are sent once it is back.
    "jobs-outbox-sweep": {
        "task": "jobs.tasks.outbox_sweep_task",
        "schedule": float(os.environ.get("OUTBOX_SWEEP_SECONDS", "30")),
    },
    # Evidence files whose save was rolled back are removed.
    "evidence-orphans-nightly": {
        "task": "reporting.tasks.evidence_orphans_remove_task",
        "schedule": crontab(hour=3, minute=45),
    },
    # Jobs whose worker died mid-way are marked failed (with a retry button).
    "jobs-sweep-stale": {"task": "jobs.tasks.jobs_sweep_stale_task", "schedule": 60.0},
    # Field staff: what is not yet submitted, REMINDER_DAYS_BEFORE_DEADLINE before a deadline.
    "reporting-deadline-reminders-daily": {
        "task": "reporting.tasks.deadline_reminders_task",
        "schedule": crontab(hour=6, minute=0),
    },
    # Reviewers: what has waited more than REVIEW_DIGEST_AFTER_DAYS, one digest each.
    "reporting-review-digests-daily": {
        "task": "reporting.tasks.review_digests_task",
        "schedule": crontab(hour=6, minute=15),
    },
    # People not seen for STALE_USER_DAYS lose access (`deactivate_stale_users`).
    "users-deactivate-stale-nightly": {
        "task": "accounts.tasks.users_deactivate_stale_task",
        "schedule": crontab(hour=3, minute=15),
    },
}

# What each kind of background job does (jobs.runner): the runner's dotted path.
JOB_RUNNERS = {
    "membership_update": "exports.services.jobs.membership_update_run",
    "rollup_rebuild": "rollups.services.rollup_rebuild_run",
    "excel_import": "reporting.excel.jobs.excel_import_run",
}
# An Excel upload confirming this many rows or more is saved by a worker, with a progress bar.
EXCEL_BACKGROUND_ROWS = int(os.environ.get("EXCEL_BACKGROUND_ROWS", "20"))

# A running job with no progress for this long lost its worker; a queued one waited too long.
JOB_STALE_SECONDS = int(os.environ.get("JOB_STALE_SECONDS", "900"))
JOB_QUEUED_MAX_SECONDS = int(os.environ.get("JOB_QUEUED_MAX_SECONDS", str(6 * 3600)))

CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "strategy-tracker@localhost")

# django-axes: lock a username+IP pair out after repeated failures.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_WHITELIST_CALLABLE = "accounts.backends.axes_exempt"  # provider callbacks

REST_FRAMEWORK = {
    # The first one's scheme answers a missing credential: 401 with WWW-Authenticate.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["offices.permissions.ApiPermission"],
    # JSON within size and nesting limits (core.parsers), forms for the token endpoint.
    "DEFAULT_PARSER_CLASSES": [
        "core.parsers.LimitedJSONParser",
        "rest_framework.parsers.FormParser",
    ],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "core.pagination.PageSizePagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Strategy Tracker API",
    "DESCRIPTION": "Read and write the results framework, indicator updates and roll-ups.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI from drf-spectacular-sidecar's static files: no CDN, works offline.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Several models have a `status`; name each enum after its model.
    "ENUM_NAME_OVERRIDES": {
        "UpdateStatusEnum": "reporting.models.IndicatorUpdate.Status",
        "RollupStatusEnum": "rollups.models.Rollup.Status",
        "ActionStatusEnum": "plans.models.Action.Status",
    },
}

# Content-Security-Policy (django-csp): scripts, styles, images, fonts and requests from this
# site only, never inline scripts (every script is a static file) and no eval. Style
# *attributes* stay allowed (a progress bar's width, Swagger UI's layout); style elements and
# sheets come from static files only.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Logs go to the console (stdout/stderr, for honcho, compose or journald); LOG_FORMAT=json
# writes one JSON object a line. Every line carries the request id (core.middleware).
LOG_FORMAT = os.environ.get("LOG_FORMAT", "text")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "core.logging.RequestIdFilter"}},
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {"()": "core.logging.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": "json" if LOG_FORMAT == "json" else "text",
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}

# The address links in e-mails point to.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")
