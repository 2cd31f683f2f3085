"""Settings read from the environment, with embedded defaults for a laptop.

- No ``DATABASE_URL``: SQLite under ``var/`` (git-ignored).
- No ``REDIS_URL``: Celery uses kombu's ``filesystem://`` transport under ``var/``
  (single host, development only) and the cache is in-process memory.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django_guid.integrations import CeleryIntegration

from coaching.push.keys import configured_pair

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("HINGE_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_proxy_count(name: str) -> int:
    raw = os.environ.get(name, "").strip() or "0"
    if not raw.isdigit():
        raise ImproperlyConfigured(f"Set {name} to the number of proxies in front of the web processes (0, 1, ...).")
    return int(raw)


# Development default only; production.py refuses to start with it.
INSECURE_DEV_SECRET_KEY = "django-insecure-hinge-coach-development-key-not-for-production"
SECRET_KEY = os.environ.get("SECRET_KEY", INSECURE_DEV_SECRET_KEY)
DEBUG = env_bool("DEBUG", default=True)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "knox",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "django_guid",
    "template_partials",
    "axes",
    "csp",
    "accounts",
    "programs",
    "coaching",
]

MIDDLEWARE = [
    # The request log, then the request id (django-guid) on every log line and response.
    "config.logging.RequestLogMiddleware",
    "django_guid.middleware.guid_middleware",
    # Every error under /api/ as JSON, whatever answered it (config/errors.py).
    "config.errors.ApiJsonErrorsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # AxesMiddleware last, as its docs require.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

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
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'hinge.sqlite3'}"),
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "0")),
    )
}
# PostgreSQL plans for solid-state storage (random reads cost about what sequential ones do), not
# for its spinning-disk default of 4: with 4, a client's sessions among a busy database's were read
# by a parallel scan of every coach's rows (46 ms) instead of the client index (5 ms) (issue 17).
# DB_RANDOM_PAGE_COST="" leaves the server's setting (e.g. behind a pooler that refuses options).
RANDOM_PAGE_COST = os.environ.get("DB_RANDOM_PAGE_COST", "1.1")
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and RANDOM_PAGE_COST:
    _pg_options = DATABASES["default"].setdefault("OPTIONS", {})
    _pg_options["options"] = f"{_pg_options.get('options', '')} -c random_page_cost={float(RANDOM_PAGE_COST)}".strip()
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server read while the worker writes; a busy timeout instead of
    # "database is locked" when both write at once.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
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
# Clients stay signed in on their phones for weeks.
SESSION_COOKIE_AGE = 60 * 60 * 24 * 30

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "staticfiles"))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns about a missing one
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# --- Form videos (coaching/videos/) ------------------------------------------------------
# Kept in the "videos" storage: a folder under var/ by default (not public, not under STATIC),
# an S3-compatible bucket with VIDEO_STORAGE=s3. Served only through the access-checked view
# (a short-lived signed URL from the bucket with S3).
VIDEO_STORAGE = os.environ.get("VIDEO_STORAGE", "filesystem").strip().lower()
VIDEO_MAX_BYTES = int(os.environ.get("VIDEO_MAX_BYTES", str(100 * 1024 * 1024)))
VIDEO_MAX_SECONDS = float(os.environ.get("VIDEO_MAX_SECONDS", "60"))
# How long a signed bucket URL stays valid (seconds).
VIDEO_URL_SECONDS = int(os.environ.get("VIDEO_URL_SECONDS", "300"))
FFMPEG_BIN = os.environ.get("FFMPEG_BIN", "ffmpeg")
FFPROBE_BIN = os.environ.get("FFPROBE_BIN", "ffprobe")


def video_storage_settings(kind: str) -> dict[str, object]:
    """The "videos" entry of STORAGES for VIDEO_STORAGE=filesystem or s3 (from the environment)."""
    if kind == "s3":
        return {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": os.environ.get("AWS_STORAGE_BUCKET_NAME", ""),
                "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
                "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
                "access_key": os.environ.get("AWS_ACCESS_KEY_ID") or None,
                "secret_key": os.environ.get("AWS_SECRET_ACCESS_KEY") or None,
                "location": os.environ.get("AWS_LOCATION", "videos"),
                "default_acl": None,  # the bucket's own (private) policy: never public-read
                "querystring_auth": True,
                "querystring_expire": int(os.environ.get("VIDEO_URL_SECONDS", "300")),
                "file_overwrite": False,
                "addressing_style": os.environ.get("AWS_S3_ADDRESSING_STYLE") or None,
                "signature_version": os.environ.get("AWS_S3_SIGNATURE_VERSION", "s3v4"),
            },
        }
    if kind != "filesystem":
        raise ValueError(f"VIDEO_STORAGE must be filesystem or s3, not {kind!r}")
    return {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(VAR_DIR / "media" / "videos"), "base_url": "/no-public-url/"},
    }


STORAGES["videos"] = video_storage_settings(VIDEO_STORAGE)
# Where a browser fetches a signed bucket URL from (the CSP's media-src and img-src).
VIDEO_MEDIA_ORIGINS = env_list(
    "VIDEO_MEDIA_ORIGINS",
    os.environ.get("AWS_S3_ENDPOINT_URL", "https://*.amazonaws.com") if VIDEO_STORAGE == "s3" else "",
)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
# Seconds before a silent mail server counts as down (the invite task then retries) instead of
# holding a worker until the task's time limit.
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "30"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Hinge Coach <noreply@hinge.invalid>")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")

# --- Redis: Celery broker and the shared cache --------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")


def redis_cache(url: str, timeout: float = 1) -> dict[str, object]:
    """django-redis, which degrades to "no cache" while Redis is down (its ignore-exceptions mode).

    The cache only holds throttle counters and other disposable values, so logging a set or
    syncing a session keeps working through an outage: reads miss, writes (``incr``/``decr``
    too) are dropped, each logged with its Redis error on ``hinge.cache``; throttles open.
    """
    return {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": url,
        "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": timeout, "SOCKET_TIMEOUT": timeout},
    }


DJANGO_REDIS_IGNORE_EXCEPTIONS = True
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
DJANGO_REDIS_LOGGER = "hinge.cache"
CELERY_DATA_DIR = VAR_DIR / "celery"
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_RESULT_BACKEND = REDIS_URL
    CACHES = {"default": redis_cache(REDIS_URL)}
else:
    for sub in ("queue", "processed", "results", "control"):
        (CELERY_DATA_DIR / sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_URL = "filesystem://"
    CELERY_RESULT_BACKEND = f"file://{CELERY_DATA_DIR / 'results'}"
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Hard and soft time limits of every task that sets none shorter (the invite email does).
CELERY_TASK_TIME_LIMIT = 15 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 14 * 60
CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, object] = (
    {
        # Redis hands an unacknowledged message to another worker after this long: when a whole
        # worker is lost (SIGKILL, machine gone), its batches wait this long plus the restore
        # sweep below. A little longer than any task holds its message (a review batch: its
        # longest retry countdown, about 4 minutes, then the hard time limit), so a running task
        # is not delivered twice.
        "visibility_timeout": int(os.environ.get("CELERY_VISIBILITY_TIMEOUT", str(CELERY_TASK_TIME_LIMIT + 5 * 60))),
        # How often a worker sweeps for messages whose worker died (interval x throttle seconds).
        "unacked_restore_interval": int(os.environ.get("CELERY_UNACKED_RESTORE_INTERVAL", "10")),
        "unacked_restore_throttle": int(os.environ.get("CELERY_UNACKED_RESTORE_THROTTLE", "10")),
    }
    if REDIS_URL
    else {
        "data_folder_in": str(CELERY_DATA_DIR / "queue"),
        "data_folder_out": str(CELERY_DATA_DIR / "queue"),
        "processed_folder": str(CELERY_DATA_DIR / "processed"),
        "control_folder": str(CELERY_DATA_DIR / "control"),
        "store_processed": False,
    }
)
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_RESULT_EXPIRES = 24 * 3600
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# Assignments per review-generation task (each batch is one transaction).
REVIEW_BATCH_SIZE = int(os.environ.get("REVIEW_BATCH_SIZE", "200"))
# --- Webhooks (coaching/webhooks/) ---------------------------------------------------
# Seconds one delivery attempt may take (connect, send, answer) before it counts as failed.
WEBHOOKS_TIMEOUT_SECONDS = int(os.environ.get("WEBHOOKS_TIMEOUT_SECONDS", "5"))
# A sender's claim on a delivery lasts the timeout plus this margin; a killed worker's claim then
# runs out and the sweep sends the delivery again (with the same webhook-id).
WEBHOOKS_CLAIM_MARGIN_SECONDS = int(os.environ.get("WEBHOOKS_CLAIM_MARGIN_SECONDS", "30"))
# How often the beat sweep sends the retries that are due (and deliveries whose message was lost).
WEBHOOKS_SWEEP_SECONDS = float(os.environ.get("WEBHOOKS_SWEEP_SECONDS", "30"))
# Never from the environment: only the test settings let webhooks reach 127.0.0.1 (SSRF guard).
WEBHOOKS_ALLOW_PRIVATE = False

# --- Web Push to the phone (coaching/push/) --------------------------------------------
# The VAPID key pair (base64url: the raw 32-byte private key, the 65-byte uncompressed public
# point), e.g. from `manage.py vapid_keys`. Without both, push is off and the phone offers no opt-in.
try:
    VAPID_PRIVATE_KEY, VAPID_PUBLIC_KEY = configured_pair(
        os.environ.get("VAPID_PRIVATE_KEY", ""), os.environ.get("VAPID_PUBLIC_KEY", "")
    )
except ValueError as exc:
    raise ImproperlyConfigured(str(exc)) from exc
# Who the push services may contact about our messages: a mailto: or https: URL.
VAPID_SUBJECT = os.environ.get("VAPID_SUBJECT", "mailto:noreply@hinge.invalid")
PUSH_ENABLED = bool(VAPID_PRIVATE_KEY and VAPID_PUBLIC_KEY)
# How long a push service keeps a message for a phone that is off (seconds).
PUSH_TTL_SECONDS = int(os.environ.get("PUSH_TTL_SECONDS", str(24 * 3600)))
# Never from the environment: only the test settings accept an http:// push endpoint (on 127.0.0.1).
PUSH_ALLOW_HTTP = False

# --- Session imports (coaching/sessions/imports/) -------------------------------------
# A commit of at most this many sessions is written in the request (200); a bigger one by a
# Celery task in chunks of IMPORTS_CHUNK_SESSIONS (202, progress on the import).
IMPORTS_INLINE_MAX_SESSIONS = int(os.environ.get("IMPORTS_INLINE_MAX_SESSIONS", "500"))
IMPORTS_CHUNK_SESSIONS = int(os.environ.get("IMPORTS_CHUNK_SESSIONS", "500"))
# An import expired (404, a day after its dry run or commit) for this many days is deleted.
IMPORTS_PURGE_AFTER_DAYS = int(os.environ.get("IMPORTS_PURGE_AFTER_DAYS", "7"))

# Late data (coaching/reviews/recompute.py): how long a recompute waits after the write that asked
# for it (writes that follow within it coalesce), and how often the beat sweep runs lost requests.
REVIEW_RECOMPUTE_DELAY_SECONDS = float(os.environ.get("REVIEW_RECOMPUTE_DELAY_SECONDS", "2"))
REVIEW_RECOMPUTE_SWEEP_SECONDS = float(os.environ.get("REVIEW_RECOMPUTE_SWEEP_SECONDS", "60"))

CELERY_BEAT_SCHEDULE = {
    "generate-weekly-reviews-hourly": {
        "task": "coaching.tasks.generate_due_reviews",
        "schedule": 3600.0,
    },
    # A reply unread for an hour emails the other side (coaching/threads/services.py).
    "send-thread-reminders": {
        "task": "coaching.threads.send_thread_reminders",
        "schedule": 600.0,
    },
    "purge-expired-imports": {
        "task": "coaching.imports.purge_expired_imports",
        "schedule": 24 * 3600.0,
    },
    "send-due-webhooks": {
        "task": "coaching.webhooks.send_due_webhooks",
        "schedule": WEBHOOKS_SWEEP_SECONDS,
    },
    "recompute-due-reviews": {
        "task": "coaching.tasks.recompute_due_reviews",
        "schedule": REVIEW_RECOMPUTE_SWEEP_SECONDS,
    },
}

# --- REST API ------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # knox's, without its scan of the user's tokens on every request (coaching/api/authentication.py).
        "coaching.api.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_SCHEMA_CLASS": "coaching.api.openapi.HingeAutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    # How many proxies in front of us append to X-Forwarded-For: the client's address is the one
    # the outermost of them saw. 0 (the default) trusts no header and counts REMOTE_ADDR, so a
    # forged X-Forwarded-For cannot buy a fresh throttle bucket. Axes uses the same address.
    "NUM_PROXIES": env_proxy_count("TRUSTED_PROXY_COUNT"),
    "DEFAULT_THROTTLE_RATES": {
        # Per address: a gym's phones may share one. Password guessing is stopped per email by axes.
        "login": os.environ.get("THROTTLE_LOGIN", "30/min"),
        # The HTML sign-in form, per address: well above axes' per-email lockout, so a gym
        # sharing one address signs in, while one address trying many emails is stopped.
        "login_form": os.environ.get("THROTTLE_LOGIN_FORM", "30/10m"),
        "writes": os.environ.get("THROTTLE_WRITES", "600/min"),
    },
}
REST_KNOX = {
    "TOKEN_TTL": __import__("datetime").timedelta(days=30),
    "AUTO_REFRESH": True,
    # A used token's expiry moves on at most once an hour (knox's default: once a minute), so a
    # syncing phone does not write its token row every minute; 30 days unused, to the hour.
    "MIN_REFRESH_INTERVAL": 60 * 60,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Hinge Coach API",
    "DESCRIPTION": "REST API v1 for coaches, clients and syncing apps (the contract: docs/api.md). JSON only; "
    "sign in with `POST /api/v1/auth/token/` and send `Authorization: Token <token>`. Writes are throttled per "
    "user: the `RateLimit-Policy` and `RateLimit` headers say how much is left before a 429.",
    "VERSION": "1.0.0",
    "CONTACT": {"name": "Hinge Coach maintainers"},
    # Relative: the schema is served by the server it describes (paths start with /api/v1/).
    "SERVERS": [{"url": "/", "description": "The server this schema was read from."}],
    "TAGS": [
        {"name": "auth", "description": "Tokens: sign in per device, sign out one device or all."},
        {"name": "library", "description": "The exercise library, with a coach's own exercises."},
        {"name": "programs", "description": "A coach's program templates: training days and their lines."},
        {"name": "clients", "description": "A coach's clients and their invites."},
        {"name": "assignments", "description": "Programs assigned to clients, and a client's own assignment."},
        {
            "name": "sessions",
            "description": "Logged sessions: create or replace, delete, batch sync, the change feed, CSV.",
        },
        {"name": "imports", "description": "Sessions imported from Strong, Hevy or our CSV: a dry run, then a commit."},
        {"name": "reviews", "description": "Weekly reviews: the week's metrics and proposals, approved or rejected."},
        {"name": "threads", "description": "A session's conversation between client and coach."},
        {"name": "webhooks", "description": "Signed event deliveries to a coach's endpoints."},
        {"name": "calendar", "description": "A client's private iCal feed of the planned days, and its reset."},
        {
            "name": "push",
            "description": "Web Push subscriptions of a client's phone (a coach's reply, a new prescription).",
        },
        {"name": "videos", "description": "A logged set's form video: upload, watch (Range requests), poster, delete."},
        {
            "name": "teams",
            "description": "A gym's team: members and invites, client shares and hand-overs, reviewers' co-signs.",
        },
    ],
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # One enum for the webhook event types, wherever a body names one.
    "ENUM_NAME_OVERRIDES": {
        "WebhookEventType": "coaching.webhooks.models.WebhookEvent",
        "ReviewFlag": "programs.progression.text.FLAG_ORDER",
        "AdherenceBand": "programs.progression.metrics.ADHERENCE_BANDS",
        "TeamRoleEnum": "coaching.teams.serializers.INVITE_ROLES",
    },
    # drf-spectacular's enum hook first, then ours: error components, shared headers, security words.
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "coaching.api.openapi.postprocess_schema",
    ],
}

# --- Content Security Policy: no inline script or style anywhere; htmx config and our JS are
# static files. The API's Redoc page relaxes style-src for itself only (coaching/api/schema.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:", *VIDEO_MEDIA_ORIGINS],
        "media-src": [SELF, *VIDEO_MEDIA_ORIGINS],
        "font-src": [SELF],
        "connect-src": [SELF],
        "worker-src": [SELF],
        "manifest-src": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}
# Request bodies: a 500-session sync batch fits comfortably; anything larger is refused.
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# --- Brute-force protection -------------------------------------------------------------
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_CALLABLE = "accounts.lockout.login_identifier"
# The address the throttles count (REST_FRAMEWORK["NUM_PROXIES"]), never a header on trust.
AXES_CLIENT_IP_CALLABLE = "accounts.lockout.client_ip"

# Request ids (config/logging.py): the proxy's X-Request-ID when it is sane, else a new uuid4 hex.
DJANGO_GUID = {
    "GUID_HEADER_NAME": "X-Request-ID",
    "VALIDATE_GUID": False,  # config.logging.RequestLogMiddleware has dropped an insane one
    "RETURN_HEADER": True,
    "UUID_FORMAT": "hex",
    # A task sent while answering a request logs under that request's id (a scheduled one, its own).
    "INTEGRATIONS": [CeleryIntegration()],
}

# LOG_FORMAT=json for one JSON object per line (production); plain text by default.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "django_guid.log_filters.CorrelationId", "correlation_id_field": "request_id"},
    },
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {
            # The named fields, then whatever the call passed as ``extra``.
            "()": "pythonjsonlogger.json.JsonFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s",
            "datefmt": "%Y-%m-%dT%H:%M:%S%z",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger", "exc_info": "exception"},
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": os.environ.get("LOG_FORMAT", "plain"),
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        # django-guid tells at INFO whether each request brought an id.
        "django_guid": {"level": "WARNING"},
        # The request log repeats runserver's own lines in development.
        "hinge.request": {"level": os.environ.get("REQUEST_LOG_LEVEL", "INFO" if not DEBUG else "WARNING")},
    },
}
