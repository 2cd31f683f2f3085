"""VIDEO_STORAGE=s3: django-storages against a real local S3 API (moto's server mode over HTTP).

The bucket stays private: an upload lands in it, the set's video URL answers with a short-lived
signed URL (302) that reads the object (Range requests too), an unsigned read is refused, and a
deleted video's objects go from the bucket.
"""

from __future__ import annotations

import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from moto.server import ThreadedMotoServer

from coaching.models import LoggedSet, SetVideo
from coaching.sessions.services import SessionInput, SetInput, sessions_apply
from coaching.videos.services import poster_make
from config.settings.base import video_storage_settings
from tests.conftest import free_port
from tests.video_files import video_bytes

pytestmark = [pytest.mark.django_db, pytest.mark.services]

BUCKET = "hinge-videos-test"


@pytest.fixture
def s3(monkeypatch: pytest.MonkeyPatch, settings: Any) -> Iterator[Any]:
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    env = {
        "AWS_STORAGE_BUCKET_NAME": BUCKET,
        "AWS_S3_ENDPOINT_URL": endpoint,
        "AWS_S3_REGION_NAME": "us-east-1",
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "VIDEO_URL_SECONDS": "120",
    }
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    client = boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    client.create_bucket(Bucket=BUCKET)
    settings.VIDEO_STORAGE = "s3"
    settings.STORAGES = {**settings.STORAGES, "videos": video_storage_settings("s3")}
    try:
        yield client
    finally:
        server.stop()


def keys(client: Any) -> list[str]:
    return sorted(o["Key"] for o in client.list_objects_v2(Bucket=BUCKET).get("Contents", []))


@pytest.fixture
def video_url(client_profile: Any) -> str:
    sid = uuid.uuid4()
    rdl = SetInput(exercise="romanian-deadlift", reps=10, load=60, unit="kg")
    from django.utils import timezone

    now = timezone.now()
    item = SessionInput(
        id=sid, assignment_id=client_profile.assignments.get().pk, performed_at=now, client_modified_at=now, sets=(rdl,)
    )
    sessions_apply(user=client_profile.user, items=[item])
    uid = LoggedSet.objects.get(session_id=sid).uid
    return f"/api/v1/sessions/{sid}/sets/{uid}/video/"


def test_videos_live_in_the_private_bucket_and_are_served_by_signed_urls(
    s3: Any,
    client_api: Any,
    coach_api: Any,
    other_coach_api: Any,
    video_url: str,
    django_capture_on_commit_callbacks: Any,
) -> None:
    body = video_bytes("mp4", 1.0)
    response = client_api.generic("PUT", video_url, body, content_type="video/mp4")
    assert response.status_code == 200, response.content
    stored = keys(s3)
    assert len(stored) == 1
    assert stored[0].startswith("videos/sessions/")

    answer = coach_api.get(video_url)
    assert answer.status_code == 302
    signed = answer["Location"]
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(signed).query)
    assert "X-Amz-Signature" in query
    assert query["X-Amz-Expires"] == ["120"]  # VIDEO_URL_SECONDS: short-lived
    with urllib.request.urlopen(signed, timeout=10) as got:  # noqa: S310 (the local S3 server)
        assert got.read() == body
    ranged = urllib.request.Request(signed, headers={"Range": "bytes=0-9"})  # noqa: S310
    with urllib.request.urlopen(ranged, timeout=10) as got:  # noqa: S310
        assert got.status == 206
        assert got.read() == body[:10]
    unsigned = signed.split("?", 1)[0]
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(unsigned, timeout=10)  # noqa: S310
    assert refused.value.code == 403
    assert other_coach_api.get(video_url).status_code == 404

    assert poster_make(SetVideo.objects.get().pk) is True
    assert len(keys(s3)) == 2
    assert coach_api.get(video_url + "poster/").status_code == 302

    with django_capture_on_commit_callbacks(execute=True):
        assert coach_api.delete(video_url).status_code == 204
    assert keys(s3) == []
