"""A real Celery worker in a child process, for the tests that kill one mid-task.

The worker shares the test's PostgreSQL database and a real Redis broker; the visibility timeout
is shortened so that a killed worker's message comes back within the test.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from django.db import connection

ROOT = Path(__file__).resolve().parents[1]


def worker_env(redis_url: str, var_dir: Path, **extra: str) -> dict[str, str]:
    """The environment of a worker on this test's database and ``redis_url``, plus ``extra``."""
    db = connection.settings_dict
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    return env | {
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "REDIS_URL": redis_url,
        "CELERY_VISIBILITY_TIMEOUT": "4",
        "CELERY_UNACKED_RESTORE_INTERVAL": "1",
        "CELERY_UNACKED_RESTORE_THROTTLE": "1",
        "HINGE_VAR_DIR": str(var_dir),
        **extra,
    }


def start_worker(env: dict[str, str], log: Path, *extra: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool", "solo", "--loglevel", "INFO",
         "--without-gossip", "--without-mingle", "--without-heartbeat", *extra],
        cwd=ROOT, env=env, stdout=log.open("ab"), stderr=subprocess.STDOUT,
    )  # fmt: skip


def wait_for(predicate: Any, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


def kill(worker: subprocess.Popen[bytes]) -> None:
    """SIGKILL: the worker dies mid-task, acknowledging nothing."""
    if worker.poll() is None:
        worker.send_signal(signal.SIGKILL)
        worker.wait(10)


def stop(worker: subprocess.Popen[bytes]) -> None:
    """A warm shutdown (SIGTERM), then a kill if it does not end in 20 s."""
    if worker.poll() is None:
        worker.send_signal(signal.SIGTERM)
        try:
            worker.wait(20)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait(10)
