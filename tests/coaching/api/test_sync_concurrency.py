"""Sync under concurrency, on PostgreSQL with real connections (one per thread).

Devices retry: the same 500-session batch arrives again and again, from several threads at
once. Every session must be stored once, every set once, and the change numbers of a coach
must stay unique, so the feed neither repeats nor skips a change.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
import uuid
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from django.db import connection
from django.db.models import Count
from rest_framework.test import APIClient

from coaching.models import LoggedSession, LoggedSet
from tests import factories
from tests.coaching.api.test_sessions_api import BASE, session_body

pytestmark = [pytest.mark.services]

SYNC = "/api/v1/sessions/sync/"
THREADS = 4


def batch(assignment_id: int, n: int, modified: dt.datetime | None = None) -> list[dict[str, Any]]:
    items = []
    for i in range(n):
        body = session_body(assignment_id, notes=f"session {i}", modified=modified)
        body["sets"] = body["sets"][:3]
        items.append(body)
    return items


def in_threads(work: Callable[[int], Any], jobs: int) -> list[Any]:
    """Run ``work(i)`` for i < jobs on THREADS threads; each thread has, then closes, its own connection."""

    def run(i: int) -> Any:
        try:
            return work(i)
        finally:
            connection.close()

    with ThreadPoolExecutor(THREADS) as pool:
        return list(pool.map(run, range(jobs)))


def post(user: Any, payload: str) -> list[dict[str, Any]]:
    api = APIClient()
    api.force_authenticate(user)
    response = api.post(SYNC, payload, content_type="application/json")
    assert response.status_code == 200, response.content[:300]
    return response.json()["results"]


def assert_stored_once(coach: Any, sessions: int, sets_each: int) -> None:
    assert LoggedSession.objects.filter(client__coach=coach).count() == sessions
    assert LoggedSet.objects.filter(session__client__coach=coach).count() == sessions * sets_each
    assert not LoggedSet.objects.values("session", "position").annotate(n=Count("id")).filter(n__gt=1).exists()
    seqs = list(LoggedSession.objects.filter(client__coach=coach).values_list("change_seq", flat=True))
    assert len(set(seqs)) == len(seqs)
    assert coach.change_counter.__class__.objects.get(coach=coach).value >= max(seqs)


@pytest.fixture
def people(transactional_db: Any, require_postgres: None) -> tuple[Any, Any, Any]:
    coach = factories.CoachFactory()
    client = factories.ClientFactory(coach=coach, with_login=True, with_assignment=True)
    return coach, client, client.assignments.get()


def test_a_500_batch_replayed_100_times_from_4_threads_is_stored_once(people: tuple[Any, Any, Any]) -> None:
    coach, client, assignment = people
    payload = json.dumps({"sessions": batch(assignment.pk, 500)})
    statuses: Counter[str] = Counter()
    lock = threading.Lock()

    def send(_: int) -> None:
        results = post(client.user, payload)
        assert len(results) == 500
        with lock:
            statuses.update(r["status"] for r in results)

    in_threads(send, 100)
    assert statuses == {"created": 500, "unchanged": 500 * 99}
    assert_stored_once(coach, sessions=500, sets_each=3)


def test_concurrent_newer_versions_leave_the_newest_and_every_set_once(people: tuple[Any, Any, Any]) -> None:
    coach, client, assignment = people
    first = batch(assignment.pk, 500)
    post(client.user, json.dumps({"sessions": first}))
    versions = []
    for v in range(1, 9):
        when = (BASE + dt.timedelta(hours=v)).isoformat()
        versions.append(json.dumps({"sessions": [i | {"client_modified_at": when, "notes": f"v{v}"} for i in first]}))

    results = in_threads(lambda v: post(client.user, versions[v]), len(versions))
    applied = Counter(r["status"] for rs in results for r in rs)
    assert set(applied) <= {"updated", "stale"}
    # The newest version applies whenever it arrives; older ones only before it.
    assert set(LoggedSession.objects.filter(client=client).values_list("notes", flat=True)) == {"v8"}
    assert_stored_once(coach, sessions=500, sets_each=3)


def test_the_same_new_id_from_two_coaches_at_once_goes_to_one_and_never_500s(
    transactional_db: Any, require_postgres: None
) -> None:
    clients = [factories.ClientFactory(with_login=True, with_assignment=True) for _ in range(2)]
    shared = [str(uuid.uuid4()) for _ in range(50)]
    barrier = threading.Barrier(2)

    def send(i: int) -> list[dict[str, Any]]:
        client = clients[i % 2]
        items = [session_body(client.assignments.get().pk, sid=sid) for sid in shared]
        barrier.wait(timeout=30)
        return post(client.user, json.dumps({"sessions": items}))

    with ThreadPoolExecutor(2) as pool:
        results = list(pool.map(lambda i: _closing(send, i), range(2)))
    for sid_index in range(50):
        statuses = sorted(results[k][sid_index]["status"] for k in range(2))
        assert statuses == ["created", "rejected"]
    assert LoggedSession.objects.count() == 50
    assert LoggedSet.objects.count() == 250


def test_the_feed_read_while_batches_land_never_skips_a_change(people: tuple[Any, Any, Any]) -> None:
    coach, client, assignment = people
    batches = [(client.user, json.dumps({"sessions": batch(assignment.pk, 50)})) for _ in range(12)]
    seen = _walk_feed_while(coach, batches)
    assert seen == {str(pk) for pk in LoggedSession.objects.filter(client=client).values_list("id", flat=True)}
    assert len(seen) == 600


def test_the_coach_feed_read_while_many_clients_write_never_skips_a_change(
    transactional_db: Any, require_postgres: None
) -> None:
    """Clients of one coach write side by side (each locks only its own row); their change
    numbers still come from the coach's counter, taken last, so they commit in order."""
    coach = factories.CoachFactory()
    clients = [factories.ClientFactory(coach=coach, with_login=True, with_assignment=True) for _ in range(THREADS)]
    batches = [(c.user, json.dumps({"sessions": batch(c.assignments.get().pk, 25)})) for c in clients for _ in range(4)]
    seen = _walk_feed_while(coach, batches)
    assert seen == {str(pk) for pk in LoggedSession.objects.filter(coach=coach).values_list("id", flat=True)}
    assert len(seen) == THREADS * 4 * 25
    assert_stored_once(coach, sessions=THREADS * 4 * 25, sets_each=3)


def test_writers_of_two_clients_of_one_coach_do_not_wait_for_each_other(
    transactional_db: Any, require_postgres: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A write of client A held open mid-transaction (its client row locked, not yet numbered):
    client B's write of the same coach completes meanwhile; A's next write waits for the first."""
    from coaching.sessions.services import writes

    coach = factories.CoachFactory()
    a, b = (factories.ClientFactory(coach=coach, with_login=True, with_assignment=True) for _ in range(2))
    inside, release = threading.Event(), threading.Event()
    real = writes.request_recompute_many

    def hold_the_first_write_of_a(**kwargs: Any) -> Any:
        if threading.current_thread().name == "a-first":
            inside.set()
            assert release.wait(timeout=60)
        return real(**kwargs)

    monkeypatch.setattr(writes, "request_recompute_many", hold_the_first_write_of_a)

    def writer(name: str, client: Any) -> threading.Thread:
        payload = json.dumps({"sessions": batch(client.assignments.get().pk, 5)})
        thread = threading.Thread(target=_closing, args=(lambda _: post(client.user, payload), 0), name=name)
        thread.start()
        return thread

    first = writer("a-first", a)
    try:
        assert inside.wait(timeout=30)
        other = writer("b", b)
        other.join(timeout=30)
        assert not other.is_alive(), "client B's write waited for client A's"
        second = writer("a-second", a)
        second.join(timeout=1)
        assert second.is_alive(), "client A's second write did not wait for its first"
    finally:
        release.set()
    first.join(timeout=30)
    second.join(timeout=30)
    assert not first.is_alive()
    assert not second.is_alive()
    assert LoggedSession.objects.filter(client=a).count() == 10
    assert LoggedSession.objects.filter(client=b).count() == 5
    assert_stored_once(coach, sessions=15, sets_each=3)


def _walk_feed_while(coach: Any, batches: list[tuple[Any, str]]) -> set[str]:
    """Walk the coach's feed until the batches, posted from THREADS threads, have all landed."""
    seen: set[str] = set()
    done = threading.Event()

    def read_feed() -> None:
        api = APIClient()
        api.force_authenticate(coach.user)
        cursor = ""
        try:
            while True:
                finished = done.is_set()
                page = api.get("/api/v1/sessions/", {"since": cursor, "limit": 37}).json()
                seen.update(r["id"] for r in page["results"])
                cursor = page["next_cursor"]
                if finished and not page["has_more"]:
                    return
        finally:
            connection.close()

    reader = threading.Thread(target=read_feed)
    reader.start()
    in_threads(lambda b: post(*batches[b]), len(batches))
    done.set()
    reader.join(timeout=120)
    assert not reader.is_alive()
    return seen


def _closing(fn: Callable[[int], Any], i: int) -> Any:
    try:
        return fn(i)
    finally:
        connection.close()
