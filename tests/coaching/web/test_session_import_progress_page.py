"""The import page while a task writes a big file: a progress bar htmx polls every second,
stopping at the result; a failed import's message and its "Resume" button."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from coaching.models import LoggedSession, SessionImport
from coaching.sessions.imports import services, tasks
from tests.coaching.api.test_session_imports import _strong_file

pytestmark = pytest.mark.django_db


@pytest.fixture
def big(settings: Any, coach_web: Any, client_profile: Any, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """A dry run of 5 sessions on the page, which the task writes (more than 2 sessions, 2 a chunk)."""
    settings.IMPORTS_INLINE_MAX_SESSIONS = 2
    settings.IMPORTS_CHUNK_SESSIONS = 2
    queued: list[int] = []
    monkeypatch.setattr(tasks.commit_session_import, "delay", lambda import_id: queued.append(import_id))
    upload = SimpleUploadedFile("strong.csv", _strong_file(5).encode(), "text/csv")
    data = {"file": upload, "format": "strong", "time_zone": "UTC", "unit": "kg"}
    coach_web.post(reverse("coach-client-imports", args=[client_profile.pk]), data)
    session_import = SessionImport.objects.get()
    args = [client_profile.pk, session_import.pk]
    return {
        "queued": queued,
        "page": reverse("coach-client-import-dry-run", args=args),
        "commit": reverse("coach-client-import-commit", args=args),
    }


def test_the_page_shows_a_polled_progress_bar_until_the_task_is_done(
    coach_web: Any, big: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = coach_web.post(big["commit"], {"map_0": "deadlift"})
    assert response.status_code == 302
    assert response["Location"] == big["page"]
    page = coach_web.get(big["page"]).content.decode()
    assert '<progress id="import-progress" value="0" max="5"' in page
    assert "0 of 5 written (0 %)" in page
    assert f'data-hx-get="{big["page"]}" data-hx-trigger="every 1s"' in page

    SessionImport.objects.update(progress_done=2)
    poll = coach_web.get(big["page"], headers={"HX-Request": "true"}).content.decode()
    assert poll.lstrip().startswith('<div id="dry-run"')  # the fragment htmx swaps in
    assert '<progress id="import-progress" value="2" max="5"' in poll
    assert 'data-hx-trigger="every 1s"' in poll
    SessionImport.objects.update(progress_done=0)

    tasks.commit_session_import.apply(args=[big["queued"].pop()])
    done = coach_web.get(big["page"], headers={"HX-Request": "true"}).content.decode()
    assert "data-hx-trigger" not in done  # the polling stops with the result
    assert "<progress" not in done
    assert '<span data-status="created">5 added</span>' in done
    assert LoggedSession.objects.count() == 5


def test_a_failed_import_shows_its_message_and_resumes_from_the_page(
    coach_web: Any, big: dict[str, Any], django_capture_on_commit_callbacks: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        coach_web.post(big["commit"], {"map_0": "deadlift"})
    real = services.sessions_apply
    calls: list[int] = []

    def second_chunk_breaks(**kwargs: Any) -> Any:
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("boom")
        return real(**kwargs)

    monkeypatch.setattr(services, "sessions_apply", second_chunk_breaks)
    tasks.commit_session_import.apply(args=[big["queued"].pop()])
    page = coach_web.get(big["page"]).content.decode()
    assert "The import stopped after 2 of 5 sessions." in page
    assert "Writing sessions 3–4 of 5 failed (RuntimeError)." in page
    assert "Resume the import (3 sessions left)" in page
    assert "data-hx-trigger" not in page

    monkeypatch.setattr(services, "sessions_apply", real)
    with django_capture_on_commit_callbacks(execute=True):
        assert coach_web.post(big["commit"], {}).status_code == 302
    tasks.commit_session_import.apply(args=[big["queued"].pop()])
    assert '<span data-status="created">5 added</span>' in coach_web.get(big["page"]).content.decode()
    assert LoggedSession.objects.count() == 5


def test_the_upload_form_carries_a_hidden_progress_bar_and_posts_without_javascript(
    coach_web: Any, client_profile: Any
) -> None:
    page = coach_web.get(reverse("coach-client-imports", args=[client_profile.pk])).content.decode()
    assert 'data-upload-progress="upload-progress-box"' in page
    assert '<div class="upload-progress" id="upload-progress-box" hidden>' in page
    assert '<progress id="upload-progress" max="100" value="0" aria-labelledby="upload-progress-text">' in page
    # The form itself: a plain multipart POST to the same address (htmx only enhances it).
    action = reverse("coach-client-imports", args=[client_profile.pk])
    assert f'method="post" enctype="multipart/form-data" action="{action}"' in page
    script = (Path(__file__).resolve().parents[3] / "static" / "js" / "coach.js").read_text()
    assert '"htmx:xhr:progress"' in script
