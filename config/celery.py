from __future__ import annotations

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")

app = Celery("hinge")
app.config_from_object("django.conf:settings", namespace="CELERY")
# Each app's tasks.py, and the sub-domains' own (coaching/clients, reviews, teams, threads, webhooks).
app.autodiscover_tasks()
app.autodiscover_tasks(
    [
        "coaching.clients",
        "coaching.reviews",
        "coaching.sessions.imports",
        "coaching.teams",
        "coaching.threads",
        "coaching.videos",
        "coaching.webhooks",
    ]
)


@app.task(name="hinge.ping")
def ping() -> str:
    """Round-trip check used by tests and the health endpoint."""
    return "pong"
