"""A big session import's commit: 202, a Celery task writing chunks, progress on GET .../imports/{id}/,
a failed chunk keeping what was written, a re-commit resuming (docs/api-decisions.md)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import OperationalError
from rest_framework.test import APIClient

from coaching.models import LoggedSession, SessionImport
from coaching.sessions.imports import services, tasks
from programs.models import Exercise
from tests.coaching.api.test_session_imports import _strong_file, commit, upload, url

pytestmark = pytest.mark.django_db

MAP = {"Deadlift (Barbell)": "deadlift"}


@pytest.fixture
def small_chunks(settings: Any) -> None:
    """Imports of more than 3 sessions go to the task, which writes 2 sessions per chunk."""
    settings.IMPORTS_INLINE_MAX_SESSIONS = 3
    settings.IMPORTS_CHUNK_SESSIONS = 2


@pytest.fixture
def queued(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Import ids handed to Celery, not run: run one with ``run(queued)``."""
    ids: list[int] = []
    monkeypatch.setattr(tasks.commit_session_import, "delay", lambda import_id: ids.append(import_id))
    return ids


def run(queued: list[int]) -> Any:
    """The first queued task, run as the worker would (eager, arguments serialized)."""
    return tasks.commit_session_import.apply(args=[queued.pop(0)])


def status(api: APIClient, client: Any, import_id: int) -> dict[str, Any]:
    response = api.get(f"{url(client)}{import_id}/")
    assert response.status_code == 200, response.content
    body: dict[str, Any] = response.json()
    return body


def dry_run(api: APIClient, client: Any, workouts: int = 7) -> int:
    response = upload(api, client, _strong_file(workouts), format="strong")
    assert response.status_code == 201, response.content
    import_id: int = response.json()["id"]
    return import_id


@pytest.mark.usefixtures("small_chunks")
def test_a_big_commit_is_202_then_the_task_writes_it_and_the_import_shows_its_progress(
    coach_api: APIClient, client_profile: Any, django_capture_on_commit_callbacks: Any, queued: list[int]
) -> None:
    import_id = dry_run(coach_api, client_profile)
    assert status(coach_api, client_profile, import_id)["status"] == "pending"
    with django_capture_on_commit_callbacks(execute=True):
        response = commit(coach_api, client_profile, import_id, MAP)
    assert response.status_code == 202, response.content
    body = response.json()
    assert (body["status"], body["progress"], body["error"]) == ("committing", {"done": 0, "total": 7}, None)
    assert queued == [import_id]  # enqueued once the request's transaction committed
    assert not LoggedSession.objects.exists()
    assert run(queued).get() is True
    body = status(coach_api, client_profile, import_id)
    assert (body["status"], body["progress"]) == ("committed", {"done": 7, "total": 7})
    assert body["report"]["counts"] == {"created": 7}
    assert body["report"]["sets"] == 21
    assert body["report"]["sessions"] == []  # a task's report lists only the sessions to look at
    assert body["committed_at"] is not None
    assert LoggedSession.objects.filter(client=client_profile).count() == 7


@pytest.mark.usefixtures("small_chunks")
def test_a_small_commit_is_still_written_in_the_request_and_answers_its_report(
    coach_api: APIClient, client_profile: Any, queued: list[int]
) -> None:
    import_id = dry_run(coach_api, client_profile, workouts=3)
    response = commit(coach_api, client_profile, import_id, MAP)
    assert response.status_code == 200, response.content
    assert response.json()["counts"] == {"created": 3}
    assert len(response.json()["sessions"]) == 3
    assert queued == []
    body = status(coach_api, client_profile, import_id)
    assert (body["status"], body["progress"]) == ("committed", {"done": 3, "total": 3})


@pytest.mark.usefixtures("small_chunks")
def test_a_bad_mapping_is_a_400_before_anything_is_queued(
    coach_api: APIClient, client_profile: Any, queued: list[int]
) -> None:
    import_id = dry_run(coach_api, client_profile)
    response = commit(coach_api, client_profile, import_id, {"Deadlift (Barbell)": "no-such-lift"})
    assert response.status_code == 400
    assert response.json()["exercise_map"] == {"Deadlift (Barbell)": ["Unknown exercise “no-such-lift”."]}
    assert commit(coach_api, client_profile, import_id, {}).json()["exercise_map"]["non_field_errors"]
    assert queued == []
    assert SessionImport.objects.get().status == "pending"


@pytest.mark.usefixtures("small_chunks")
def test_a_failed_chunk_marks_the_import_failed_keeps_what_was_written_and_a_recommit_resumes(
    coach_api: APIClient,
    client_profile: Any,
    django_capture_on_commit_callbacks: Any,
    queued: list[int],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import_id = dry_run(coach_api, client_profile)
    with django_capture_on_commit_callbacks(execute=True):
        commit(coach_api, client_profile, import_id, MAP)
    real = services.sessions_apply
    calls: list[int] = []

    def second_chunk_breaks(**kwargs: Any) -> Any:
        calls.append(len(kwargs["items"]))
        if len(calls) == 2:
            raise RuntimeError("disk full")
        return real(**kwargs)

    monkeypatch.setattr(services, "sessions_apply", second_chunk_breaks)
    assert run(queued).get() is True
    body = status(coach_api, client_profile, import_id)
    assert (body["status"], body["progress"]) == ("failed", {"done": 2, "total": 7})
    assert body["error"].startswith("Writing sessions 3–4 of 7 failed (RuntimeError).")
    assert LoggedSession.objects.count() == 2  # the first chunk stays; the broken one left nothing
    monkeypatch.setattr(services, "sessions_apply", real)

    with django_capture_on_commit_callbacks(execute=True):
        response = commit(coach_api, client_profile, import_id, {})  # the mapping was remembered
    assert response.status_code == 202
    assert (response.json()["status"], response.json()["progress"]["done"]) == ("committing", 2)
    run(queued)
    body = status(coach_api, client_profile, import_id)
    assert (body["status"], body["progress"], body["error"]) == ("committed", {"done": 7, "total": 7}, None)
    assert body["report"]["counts"] == {"created": 7}  # each session counted once across both runs
    assert LoggedSession.objects.count() == 7


@pytest.mark.usefixtures("small_chunks")
def test_a_run_out_of_time_enqueues_the_rest_and_a_repeated_task_writes_nothing_twice(
    coach_api: APIClient,
    client_profile: Any,
    django_capture_on_commit_callbacks: Any,
    queued: list[int],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import_id = dry_run(coach_api, client_profile)
    with django_capture_on_commit_callbacks(execute=True):
        commit(coach_api, client_profile, import_id, MAP)
    monkeypatch.setattr(tasks, "RUN_SECONDS", -1.0)  # every run stops after one chunk
    assert run(queued).get() is False
    assert queued == [import_id]  # the task enqueued the rest
    assert status(coach_api, client_profile, import_id)["progress"]["done"] == 2
    queued.append(import_id)  # the same message delivered twice (acks_late, a lost worker)
    while queued:
        run(queued)
    body = status(coach_api, client_profile, import_id)
    assert (body["status"], body["report"]["counts"]) == ("committed", {"created": 7})
    assert LoggedSession.objects.count() == 7


def test_a_runner_goes_on_from_the_rows_progress_and_a_stale_one_writes_nothing(
    coach_api: APIClient, client_profile: Any, settings: Any
) -> None:
    settings.IMPORTS_CHUNK_SESSIONS = 2
    import_id = dry_run(coach_api, client_profile, workouts=4)
    SessionImport.objects.filter(pk=import_id).update(status="committing", progress_total=4, exercise_map=MAP)
    assert services.import_commit_run(import_id=import_id) is True
    assert services.import_commit_run(import_id=import_id) is True  # committed: nothing to do
    # A runner resumes at the row's progress: the second chunk again is unchanged, not new.
    SessionImport.objects.filter(pk=import_id).update(status="committing", progress_done=2)
    assert services.import_commit_run(import_id=import_id) is True
    assert SessionImport.objects.get().report["counts"] == {"created": 4, "unchanged": 2}
    # A runner still at the first chunk when the row says otherwise writes and counts nothing.
    SessionImport.objects.filter(pk=import_id).update(status="committing", progress_done=2)
    with pytest.raises(services._Moved):
        services._write_chunk(
            user=client_profile.coach.user, import_id=import_id, start=0, items=[], every_session=False
        )
    assert SessionImport.objects.get().progress_done == 2
    assert LoggedSession.objects.count() == 4


def test_database_trouble_is_retried_then_marks_the_import_failed(
    coach_api: APIClient, client_profile: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import_id = dry_run(coach_api, client_profile, workouts=2)
    SessionImport.objects.filter(pk=import_id).update(status="committing", progress_total=2, exercise_map=MAP)

    def down(**kwargs: Any) -> Any:
        raise OperationalError("the server closed the connection")

    monkeypatch.setattr(services, "sessions_apply", down)
    result = tasks.commit_session_import.apply(args=[import_id], retries=tasks.MAX_RETRIES)
    assert result.get() is True
    failed = SessionImport.objects.get()
    assert (failed.status, failed.progress_done) == ("failed", 0)
    assert "database was unavailable" in failed.error


def test_another_coachs_import_status_is_404(
    coach_api: APIClient, other_coach_api: APIClient, client_profile: Any, client_api: APIClient
) -> None:
    import_id = dry_run(coach_api, client_profile, workouts=1)
    assert other_coach_api.get(f"{url(client_profile)}{import_id}/").status_code == 404
    assert client_api.get(f"{url(client_profile)}{import_id}/").status_code == 404
    SessionImport.objects.update(expires_at="2000-01-01T00:00:00Z")
    assert coach_api.get(f"{url(client_profile)}{import_id}/").status_code == 404


def test_an_exercise_deleted_before_the_task_runs_fails_the_import_with_a_clear_message(
    coach_api: APIClient, client_profile: Any, coach: Any
) -> None:
    own = Exercise.objects.create(owner=coach.user, name="My Deadlift", slug="my-deadlift", implement="barbell")
    import_id = dry_run(coach_api, client_profile, workouts=2)
    mapping = {"Deadlift (Barbell)": "my-deadlift"}
    SessionImport.objects.filter(pk=import_id).update(status="committing", progress_total=2, exercise_map=mapping)
    own.delete()
    assert services.import_commit_run(import_id=import_id) is True
    failed = SessionImport.objects.get()
    assert failed.status == "failed"
    assert failed.error == (
        "The exercise mapping no longer fits your library (Deadlift (Barbell): Unknown exercise “my-deadlift”.)."
    )
    assert not LoggedSession.objects.exists()
