"""Tasks retry what may pass (a dropped connection, a lock, the broker away), never a bug.

Eager ``apply()`` runs each retry at once, in process, so the calls can be counted.
"""

from __future__ import annotations

from typing import Any

import kombu.exceptions
import pytest
import redis.exceptions
from django.db import DataError, IntegrityError, InterfaceError, OperationalError, ProgrammingError

from coaching.reviews import tasks

PERMANENT = [IntegrityError("duplicate key"), ProgrammingError("no such column"), DataError("value too long")]
TRANSIENT = [
    OperationalError("server closed the connection"),
    InterfaceError("connection already closed"),
    kombu.exceptions.OperationalError("broker unreachable"),
    redis.exceptions.ConnectionError("redis unreachable"),
]


def _failing(monkeypatch: Any, name: str, exc: Exception) -> list[int]:
    calls: list[int] = []

    def fail(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        raise exc

    monkeypatch.setattr(tasks, name, fail)
    return calls


@pytest.mark.parametrize("exc", PERMANENT, ids=lambda e: type(e).__name__)
def test_a_review_batch_failing_for_good_is_not_retried(monkeypatch: Any, exc: Exception) -> None:
    calls = _failing(monkeypatch, "reviews_generate_batch", exc)
    result = tasks.generate_review_batch.apply(args=["2026-11-16", [1, 2]])
    assert calls == [1]
    assert result.state == "FAILURE"
    assert isinstance(result.result, type(exc))


@pytest.mark.parametrize("exc", TRANSIENT, ids=lambda e: f"{type(e).__module__}.{type(e).__name__}")
def test_a_review_batch_failing_for_now_is_retried(monkeypatch: Any, exc: Exception) -> None:
    calls = _failing(monkeypatch, "reviews_generate_batch", exc)
    result = tasks.generate_review_batch.apply(args=["2026-11-16", [1, 2]])
    assert len(calls) == 1 + tasks.generate_review_batch.max_retries
    assert result.state == "FAILURE"  # given up after the last retry, with the error


@pytest.mark.parametrize(("exc", "runs"), [(PERMANENT[0], 1), (TRANSIENT[0], 6), (TRANSIENT[2], 6)])
def test_the_hourly_run_retries_only_transient_errors(monkeypatch: Any, exc: Exception, runs: int) -> None:
    calls = _failing(monkeypatch, "due_batches", exc)
    tasks.generate_due_reviews.apply()
    assert len(calls) == runs  # transient: the first run and its 5 retries
