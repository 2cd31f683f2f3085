"""Form videos on the pages: beside the set on the coach's client and review pages, and the
phone History's per-set form (which works without JavaScript)."""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from coaching.models import LoggedSet, SetVideo
from coaching.weeks import local_week_of
from tests.coaching.web.conftest import make_review
from tests.video_files import logged_session, stored_video, video_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def session_id(client_profile: Any) -> uuid.UUID:
    return logged_session(client_profile, dt.timedelta(hours=2))


def uids(sid: uuid.UUID) -> list[uuid.UUID]:
    return list(LoggedSet.objects.filter(session_id=sid).order_by("position").values_list("uid", flat=True))


def api_url(sid: uuid.UUID, uid: uuid.UUID) -> str:
    return f"/api/v1/sessions/{sid}/sets/{uid}/video/"


def test_the_coach_watches_it_beside_the_set_on_the_client_page(
    client: Any, coach: Any, client_profile: Any, session_id: uuid.UUID, django_assert_max_num_queries: Any
) -> None:
    second = uids(session_id)[1]
    stored_video(session_id, second)
    client.force_login(coach.user)
    page = client.get(reverse("coach-client", args=[client_profile.pk])).content.decode()
    assert page.count('<video class="set-video"') == 1
    assert f'<source src="{api_url(session_id, second)}" type="video/webm">' in page
    assert f'poster="{api_url(session_id, second)}poster/"' in page
    assert 'aria-label="Romanian deadlift set 2: form video"' in page.replace("Romanian Deadlift", "Romanian deadlift")
    assert 'controls preload="metadata"' in page


def test_the_review_page_shows_the_weeks_videos(
    client: Any, coach: Any, client_profile: Any, session_id: uuid.UUID
) -> None:
    first = uids(session_id)[0]
    stored_video(session_id, first)
    session = client_profile.sessions.get(pk=session_id)
    review = make_review(client_profile.assignments.get(), local_week_of(coach, session.performed_at))
    client.force_login(coach.user)
    page = client.get(reverse("coach-review", args=[review.pk])).content.decode()
    assert 'id="week-videos"' in page
    assert f'<source src="{api_url(session_id, first)}"' in page
    assert ", set 1 ·" in page
    # Another week's review does not list it.
    other = make_review(
        client_profile.assignments.get(), local_week_of(coach, session.performed_at) - dt.timedelta(weeks=3)
    )
    assert 'id="week-videos"' not in client.get(reverse("coach-review", args=[other.pk])).content.decode()


def test_history_offers_a_video_per_set_and_its_form_works_without_javascript(
    client: Any, client_profile: Any, session_id: uuid.UUID, video_folder: Path
) -> None:
    client.force_login(client_profile.user)
    page = client.get(reverse("client-history")).content.decode()
    first, second = uids(session_id)
    action = reverse("client-set-video", args=[session_id, first])
    assert f'action="{action}"' in page
    assert 'accept="video/*" capture="environment"' in page

    upload = SimpleUploadedFile("set.webm", video_bytes("webm", 1.0), "video/webm")
    response = client.post(action, {"video": upload}, follow=True)
    assert "Video saved" in response.content.decode()
    video = SetVideo.objects.get()
    assert (video.session_id, video.set_uid) == (session_id, first)
    assert f'data-video-url="{api_url(session_id, first)}"' in response.content.decode()

    renamed = SimpleUploadedFile("set.mp4", b"not a video at all" * 10, "video/mp4")
    refused = client.post(reverse("client-set-video", args=[session_id, second]), {"video": renamed}, follow=True)
    assert "The video was not saved: This file is not a video" in refused.content.decode()
    assert SetVideo.objects.count() == 1


def test_the_phone_form_is_the_clients_own(client: Any, coach: Any, other_client: Any, session_id: uuid.UUID) -> None:
    action = reverse("client-set-video", args=[session_id, uids(session_id)[0]])
    upload = {"video": SimpleUploadedFile("set.webm", video_bytes("webm", 1.0), "video/webm")}
    client.force_login(other_client.user)
    assert client.post(action, upload).status_code == 404
    client.force_login(coach.user)
    assert client.post(action, upload).status_code == 404
    client.logout()
    assert client.post(action, upload).status_code == 302  # to sign in
    assert client.get(action).status_code in {302, 405}
    assert not SetVideo.objects.exists()
