"""Test settings: base settings plus a fast password hasher."""

from __future__ import annotations

import os
from urllib.parse import urlsplit

from coaching.push.keys import new_key_pair
from config.settings.base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# The webhook tests' receivers listen on 127.0.0.1; the SSRF tests turn this off again.
WEBHOOKS_ALLOW_PRIVATE = True
# Web Push on: a fresh VAPID key pair per test run; the test push service listens on http://127.0.0.1.
VAPID_PRIVATE_KEY, VAPID_PUBLIC_KEY = new_key_pair()
VAPID_SUBJECT = "mailto:push-tests@hinge.invalid"
PUSH_ENABLED = True
PUSH_ALLOW_HTTP = True
# Throttles and lockouts are tested on purpose, with their own settings.
REST_FRAMEWORK = {  # noqa: F405
    **REST_FRAMEWORK,  # noqa: F405
    "DEFAULT_THROTTLE_RATES": {"login": "1000/min", "login_form": "1000/min", "writes": "100000/min"},
}

# Under pytest-xdist (`-n 2`) each worker its own Celery broker and results: a real worker that
# one test starts (test_review_tasks.py) must never take the tasks another worker's test queued,
# and run them on the wrong database.
XDIST_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
if not REDIS_URL:  # noqa: F405
    # The embedded broker's folders apart from `make run`'s: a message a test leaves queued (an
    # invite email from a transactional test) never reaches a development worker and its data.
    CELERY_DATA_DIR = VAR_DIR / "celery-test" / (XDIST_WORKER or "main")  # noqa: F405
    for sub in ("queue", "processed", "results", "control"):
        (CELERY_DATA_DIR / sub).mkdir(parents=True, exist_ok=True)
    CELERY_RESULT_BACKEND = f"file://{CELERY_DATA_DIR / 'results'}"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        **CELERY_BROKER_TRANSPORT_OPTIONS,  # noqa: F405
        "data_folder_in": str(CELERY_DATA_DIR / "queue"),
        "data_folder_out": str(CELERY_DATA_DIR / "queue"),
        "processed_folder": str(CELERY_DATA_DIR / "processed"),
        "control_folder": str(CELERY_DATA_DIR / "control"),
    }

# Under pytest-xdist each worker its own Redis database for the cache (the throttle and lockout
# tests count hits and clear the cache with FLUSHDB, which must not touch another worker's), and
# another for its broker and results (see above): REDIS_URL's database + 1 + N and + 3 + N.
if REDIS_URL and XDIST_WORKER.startswith("gw"):  # noqa: F405
    _redis = urlsplit(REDIS_URL)  # noqa: F405
    _base = int(_redis.path.strip("/") or 0)
    _worker = int(XDIST_WORKER[2:])
    CACHES = {"default": redis_cache(_redis._replace(path=f"/{(_base + 1 + _worker) % 16}").geturl())}  # noqa: F405
    CELERY_BROKER_URL = CELERY_RESULT_BACKEND = _redis._replace(path=f"/{(_base + 3 + _worker) % 16}").geturl()
