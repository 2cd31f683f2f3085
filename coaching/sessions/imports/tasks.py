"""The session import tasks: take an id, call one service, safe to run twice (each chunk's claim
is the import row's ``progress_done``, checked under its lock)."""

from __future__ import annotations

from typing import Any

from celery import shared_task

from coaching.sessions.imports.services import import_commit_run, import_fail, imports_purge
from coaching.transient import TRANSIENT

# A run writes chunks for about this long, then enqueues the rest as a new task: no run comes
# near the time limits, and a lost worker loses at most one chunk's transaction.
RUN_SECONDS = 60.0
MAX_RETRIES = 5


@shared_task(
    bind=True,
    name="coaching.imports.commit_session_import",
    max_retries=MAX_RETRIES,
    soft_time_limit=600,
    time_limit=660,
)
def commit_session_import(self: Any, import_id: int) -> bool:
    """Write a committing import's sessions in chunks; True when it is done (or failed)."""
    try:
        finished = import_commit_run(import_id=import_id, budget_seconds=RUN_SECONDS)
    except TRANSIENT as exc:
        if self.request.retries >= MAX_RETRIES:
            import_fail(
                import_id=import_id,
                message="The database was unavailable while importing: what was written is kept, import again.",
            )
            return True
        raise self.retry(exc=exc, countdown=min(300, 10 * 2**self.request.retries)) from exc
    if not finished:
        commit_session_import.delay(import_id)
    return finished


@shared_task(
    name="coaching.imports.purge_expired_imports",
    autoretry_for=TRANSIENT,
    retry_backoff=True,
    retry_backoff_max=300,
    max_retries=3,
)
def purge_expired_imports() -> int:
    """Beat, daily: delete the imports expired for ``IMPORTS_PURGE_AFTER_DAYS`` (their parsed rows)."""
    return imports_purge()
