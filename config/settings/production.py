"""Production settings: refuse to start without a real secret and host list."""

from __future__ import annotations

import os

from django.core.exceptions import ImproperlyConfigured

from config.settings.base import *  # noqa: F403
from config.settings.base import INSECURE_DEV_SECRET_KEY, env_bool, env_list

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY or SECRET_KEY == INSECURE_DEV_SECRET_KEY or len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("Set SECRET_KEY to a random string of at least 50 characters.")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("Set ALLOWED_HOSTS to the host names this site answers to.")

DEBUG = False
# Keep database connections across requests (a new one per request costs more than most requests).
DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ.get("DB_CONN_MAX_AGE", "60"))
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
LOGGING["handlers"]["console"]["formatter"] = os.environ.get("LOG_FORMAT", "json")
LOGGING["loggers"]["hinge.request"]["level"] = os.environ.get("REQUEST_LOG_LEVEL", "INFO")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
if env_bool("BEHIND_TLS_PROXY"):
    # Only behind a proxy that sets this header and strips it from clients.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# HSTS preload is a one-way commitment to browser vendors' lists; an operator opts in.
# fields.W161: Coach.review_time's fixed default (06:00) is meant; Django warns about a fixed time
# default only within 10 seconds of that time of day, so `check --deploy` failed at 06:00:00.
SILENCED_SYSTEM_CHECKS = ["security.W021", "fields.W161"]

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    "videos": video_storage_settings(VIDEO_STORAGE),  # noqa: F405
}
