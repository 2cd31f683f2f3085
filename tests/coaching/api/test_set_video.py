"""PUT|GET|DELETE /api/v1/sessions/{uuid}/sets/{set_id}/video/ (docs/api.md, "Conversation and form")."""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from django.utils import timezone

from coaching.clients.services import client_delete_data
from coaching.models import LoggedSet, SetVideo
from coaching.videos.services import poster_make
from tests.video_files import logged_session, video_bytes

pytestmark = pytest.mark.django_db


def stored_files(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())


def set_uid(session_id: uuid.UUID, position: int = 0) -> uuid.UUID:
    return LoggedSet.objects.filter(session_id=session_id).order_by("position")[position].uid


@pytest.fixture
def session_id(client_profile: Any) -> uuid.UUID:
    return logged_session(client_profile, dt.timedelta(days=1))


def url(sid: uuid.UUID, position: int = 0) -> str:
    return f"/api/v1/sessions/{sid}/sets/{set_uid(sid, position)}/video/"


def put(api: Any, target: str, body: bytes, content_type: str = "video/webm") -> Any:
    return api.generic("PUT", target, body, content_type=content_type)


@pytest.mark.parametrize(
    ("kind", "sent_as", "stored_as"),
    [
        ("webm", "video/webm", "video/webm"),
        ("mp4", "video/mp4", "video/mp4"),
        ("mov", "video/quicktime", "video/quicktime"),
    ],
)
def test_a_good_video_is_stored_and_served_back(
    client_api: Any, session_id: uuid.UUID, video_folder: Path, kind: str, sent_as: str, stored_as: str
) -> None:
    body = video_bytes(kind, 1.0)
    response = put(client_api, url(session_id), body, sent_as)
    assert response.status_code == 200, response.content
    assert response.json() == {"video": url(session_id)}
    video = SetVideo.objects.get(session_id=session_id)
    assert (video.content_type, video.bytes) == (stored_as, len(body))
    assert 0.5 < video.duration_seconds <= 1.5
    assert len(stored_files(video_folder)) == 1

    served = client_api.get(url(session_id))
    assert served.status_code == 200
    assert served["Content-Type"] == stored_as
    assert served["Accept-Ranges"] == "bytes"
    assert b"".join(served.streaming_content) == body


def test_the_coach_watches_what_the_client_uploaded(client_api: Any, coach_api: Any, session_id: uuid.UUID) -> None:
    body = video_bytes("webm", 1.0)
    assert put(client_api, url(session_id), body).status_code == 200
    served = coach_api.get(url(session_id), HTTP_ACCEPT="video/webm,video/*;q=0.9")
    assert served.status_code == 200
    assert b"".join(served.streaming_content) == body


def test_a_renamed_non_video_is_refused_by_its_content(
    client_api: Any, session_id: uuid.UUID, video_folder: Path
) -> None:
    response = put(client_api, url(session_id), b"name,email\nAda,ada@example.com\n" * 20, "video/mp4")
    assert response.status_code == 415
    assert "not a video" in response.json()["detail"]
    assert not SetVideo.objects.exists()
    assert stored_files(video_folder) == []


def test_an_empty_body_is_not_a_video(client_api: Any, session_id: uuid.UUID) -> None:
    assert put(client_api, url(session_id), b"").status_code == 415


def test_a_container_head_without_a_video_stream_is_a_clear_400(
    client_api: Any, session_id: uuid.UUID, video_folder: Path
) -> None:
    fake = b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 4000
    response = put(client_api, url(session_id), fake, "video/mp4")
    assert response.status_code == 400
    assert "could not be read as a video" in response.json()["video"][0]
    assert not SetVideo.objects.exists()
    assert stored_files(video_folder) == []


def test_too_big_is_413_and_nothing_kept(
    client_api: Any, session_id: uuid.UUID, settings: Any, video_folder: Path
) -> None:
    settings.VIDEO_MAX_BYTES = 2000
    body = video_bytes("webm", 1.0)
    assert len(body) > 2000
    response = put(client_api, url(session_id), body)
    assert response.status_code == 413
    assert "larger than" in response.json()["detail"]
    assert not SetVideo.objects.exists()
    assert stored_files(video_folder) == []


def test_too_big_is_refused_while_reading_a_body_that_understates_its_length(
    session_id: uuid.UUID, client_profile: Any, settings: Any
) -> None:
    import io

    from coaching.access import access_set_video
    from coaching.videos import services

    settings.VIDEO_MAX_BYTES = 1000
    session, uid = access_set_video(client_profile.user, session_id, set_uid(session_id))

    class Counting(io.BytesIO):
        read_bytes = 0

        def read(self, size: int | None = -1) -> bytes:
            chunk = super().read(size)
            Counting.read_bytes += len(chunk)
            return chunk

    body = Counting(b"\x1a\x45\xdf\xa3" + b"\x00" * (10 * services.CHUNK_BYTES))
    with pytest.raises(services.VideoTooBig):
        services.video_put(session=session, set_uid=uid, body=body, length=None)
    assert Counting.read_bytes <= services.CHUNK_BYTES  # stopped at the first chunk past the limit


def test_too_long_is_a_clear_400_and_nothing_kept(client_api: Any, session_id: uuid.UUID, video_folder: Path) -> None:
    body = video_bytes("webm", 61.0, rate=1, size="32x32")
    response = put(client_api, url(session_id), body)
    assert response.status_code == 400
    assert response.json()["video"] == ["The video is 61 s long; at most 60 s: trim it or record again."]
    assert not SetVideo.objects.exists()
    assert stored_files(video_folder) == []


def test_without_ffprobe_nothing_is_kept_and_the_answer_says_retry(
    client_api: Any, session_id: uuid.UUID, settings: Any, video_folder: Path
) -> None:
    settings.FFPROBE_BIN = "no-such-ffprobe"
    response = put(client_api, url(session_id), video_bytes("webm", 1.0))
    assert response.status_code == 503
    assert stored_files(video_folder) == []


def test_range_requests(client_api: Any, session_id: uuid.UUID) -> None:
    body = video_bytes("mp4", 1.0)
    size = len(body)
    put(client_api, url(session_id), body, "video/mp4")

    first = client_api.get(url(session_id), HTTP_RANGE="bytes=0-9")
    assert first.status_code == 206
    assert first["Content-Range"] == f"bytes 0-9/{size}"
    assert first["Content-Length"] == "10"
    assert first["Accept-Ranges"] == "bytes"
    assert b"".join(first.streaming_content) == body[:10]

    rest = client_api.get(url(session_id), HTTP_RANGE="bytes=100-")
    assert rest["Content-Range"] == f"bytes 100-{size - 1}/{size}"
    assert b"".join(rest.streaming_content) == body[100:]

    tail = client_api.get(url(session_id), HTTP_RANGE="bytes=-16")
    assert b"".join(tail.streaming_content) == body[-16:]

    past = client_api.get(url(session_id), HTTP_RANGE=f"bytes={size}-")
    assert past.status_code == 416
    assert past["Content-Range"] == f"bytes */{size}"
    for bad in ("bytes=9-2", "bytes=abc", "bytes=-0", "bytes=-"):
        assert client_api.get(url(session_id), HTTP_RANGE=bad).status_code == 416, bad


@pytest.mark.parametrize("who", ["other_coach_api", "other_client_api", "anon"])
def test_nobody_else_reaches_the_video(
    request: pytest.FixtureRequest, client_api: Any, session_id: uuid.UUID, who: str
) -> None:
    put(client_api, url(session_id), video_bytes("webm", 1.0))
    api = request.getfixturevalue(who)
    expected = 401 if who == "anon" else 404
    assert api.get(url(session_id)).status_code == expected
    assert api.get(url(session_id) + "poster/").status_code == expected
    assert put(api, url(session_id), video_bytes("webm", 1.0)).status_code == expected
    assert api.delete(url(session_id)).status_code == expected
    assert SetVideo.objects.count() == 1


def test_malformed_or_unknown_ids_are_404(client_api: Any, session_id: uuid.UUID) -> None:
    assert client_api.get(f"/api/v1/sessions/{session_id}/sets/not-a-uuid/video/").status_code == 404
    assert client_api.get(f"/api/v1/sessions/{uuid.uuid4()}/sets/{uuid.uuid4()}/video/").status_code == 404
    # A set id the session does not have.
    unknown = f"/api/v1/sessions/{session_id}/sets/{uuid.uuid4()}/video/"
    assert client_api.get(unknown).status_code == 404
    assert put(client_api, unknown, video_bytes("webm", 1.0)).status_code == 404
    # A set the session has, but no video yet.
    assert client_api.get(url(session_id)).status_code == 404


def test_a_new_upload_replaces_the_video_and_its_files(
    client_api: Any, session_id: uuid.UUID, video_folder: Path, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True), mock.patch("coaching.videos.tasks.make_video_poster.delay"):
        put(client_api, url(session_id), video_bytes("webm", 1.0))
    poster_make(SetVideo.objects.get().pk)
    assert len(stored_files(video_folder)) == 2  # the video and its poster
    with django_capture_on_commit_callbacks(execute=True), mock.patch("coaching.videos.tasks.make_video_poster.delay"):
        assert put(client_api, url(session_id), video_bytes("mp4", 1.0), "video/mp4").status_code == 200
    video = SetVideo.objects.get()
    assert video.content_type == "video/mp4"
    assert video.poster.name == ""
    assert stored_files(video_folder) == [video.file.name]


def test_delete_removes_the_video_and_its_files(
    coach_api: Any,
    client_api: Any,
    session_id: uuid.UUID,
    video_folder: Path,
    django_capture_on_commit_callbacks: Any,
) -> None:
    put(client_api, url(session_id), video_bytes("webm", 1.0))
    poster_make(SetVideo.objects.get().pk)
    with django_capture_on_commit_callbacks(execute=True):
        assert coach_api.delete(url(session_id)).status_code == 204
    assert not SetVideo.objects.exists()
    assert stored_files(video_folder) == []
    assert coach_api.get(url(session_id)).status_code == 404
    assert coach_api.delete(url(session_id)).status_code == 404


def test_deleted_with_the_session(
    client_api: Any, session_id: uuid.UUID, video_folder: Path, django_capture_on_commit_callbacks: Any
) -> None:
    put(client_api, url(session_id), video_bytes("webm", 1.0))
    target = url(session_id)
    with django_capture_on_commit_callbacks(execute=True):
        assert client_api.delete(f"/api/v1/sessions/{session_id}/").status_code == 204
    assert not SetVideo.objects.exists()
    assert stored_files(video_folder) == []
    assert client_api.get(target).status_code == 404


def test_deleted_with_the_clients_data(
    client_api: Any,
    client_profile: Any,
    session_id: uuid.UUID,
    video_folder: Path,
    django_capture_on_commit_callbacks: Any,
) -> None:
    put(client_api, url(session_id), video_bytes("webm", 1.0))
    poster_make(SetVideo.objects.get().pk)
    with django_capture_on_commit_callbacks(execute=True):
        client_delete_data(client=client_profile)
    assert not SetVideo.objects.exists()
    assert stored_files(video_folder) == []


def test_the_poster_is_made_after_the_commit_and_served_protected(
    client_api: Any,
    coach_api: Any,
    other_coach_api: Any,
    session_id: uuid.UUID,
    django_capture_on_commit_callbacks: Any,
) -> None:
    delayed = mock.patch("coaching.videos.tasks.make_video_poster.delay")
    with delayed as delay, django_capture_on_commit_callbacks(execute=True):
        put(client_api, url(session_id), video_bytes("mp4", 2.0), "video/mp4")
    video = SetVideo.objects.get()
    delay.assert_called_once_with(video.pk)
    assert coach_api.get(url(session_id) + "poster/").status_code == 404  # not made yet

    assert poster_make(video.pk) is True
    assert poster_make(video.pk) is True  # twice: still one poster
    served = coach_api.get(url(session_id) + "poster/")
    assert served.status_code == 200
    assert served["Content-Type"] == "image/jpeg"
    assert b"".join(served.streaming_content)[:3] == b"\xff\xd8\xff"
    assert other_coach_api.get(url(session_id) + "poster/").status_code == 404


def _sets_body(client_api: Any, sid: uuid.UUID) -> list[dict[str, Any]]:
    response = client_api.get(f"/api/v1/sessions/{sid}/")
    assert response.status_code == 200
    return list(response.json()["sets"])


def test_each_set_names_its_video_or_null(client_api: Any, coach_api: Any, session_id: uuid.UUID) -> None:
    put(client_api, url(session_id, 1), video_bytes("webm", 1.0))
    sets = _sets_body(client_api, session_id)
    assert [s["video"] for s in sets] == [None, url(session_id, 1)]
    feed = coach_api.get("/api/v1/sessions/").json()["results"]
    (mine,) = [s for s in feed if s["id"] == str(session_id)]
    assert [s["video"] for s in mine["sets"]] == [None, url(session_id, 1)]


def test_a_write_that_keeps_the_set_keeps_its_video_and_one_that_drops_it_deletes_it(
    client_api: Any, session_id: uuid.UUID, video_folder: Path, django_capture_on_commit_callbacks: Any
) -> None:
    put(client_api, url(session_id, 1), video_bytes("webm", 1.0))
    sets = _sets_body(client_api, session_id)
    body = client_api.get(f"/api/v1/sessions/{session_id}/").json()
    session_url = f"/api/v1/sessions/{session_id}/"

    # The second set edited (same id): its video stays.
    edited = {**body, "client_modified_at": timezone.now().isoformat(), "sets": [sets[0], {**sets[1], "reps": 8}]}
    assert client_api.put(session_url, edited, format="json").status_code == 200
    assert [s["video"] for s in _sets_body(client_api, session_id)] == [None, url(session_id, 1)]

    # The second set removed: its video and files go.
    dropped = {**body, "client_modified_at": (timezone.now() + dt.timedelta(seconds=1)).isoformat(), "sets": [sets[0]]}
    with django_capture_on_commit_callbacks(execute=True):
        assert client_api.put(session_url, dropped, format="json").status_code == 200
    assert not SetVideo.objects.exists()
    assert stored_files(video_folder) == []


def test_a_body_over_the_form_data_limit_is_streamed_not_refused(
    client_api: Any, session_id: uuid.UUID, settings: Any, video_folder: Path
) -> None:
    # Django refuses request.body past DATA_UPLOAD_MAX_MEMORY_SIZE; a video is read as a stream.
    big = b"\x1a\x45\xdf\xa3" + b"\x00" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1024)
    response = put(client_api, url(session_id), big)
    assert response.status_code == 400  # read whole, then ffprobe finds no video in it
    assert "could not be read as a video" in response.json()["video"][0]
    assert stored_files(video_folder) == []
