"""The demo data's form video: a test pattern with its poster when ffmpeg is there, none without."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command

from coaching.management.commands.demo_data import DEMO_CLIENT_EMAIL
from coaching.models import LoggedSet, SetVideo

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_video_on_one_set_with_its_poster() -> None:
    call_command("demo_data", "--quiet")
    call_command("demo_data", "--quiet")  # idempotent: still one
    video = SetVideo.objects.get()
    assert video.session.client.email == DEMO_CLIENT_EMAIL
    assert LoggedSet.objects.filter(session=video.session, uid=video.set_uid).exists()
    assert video.content_type == "video/webm"
    assert video.poster.name


def test_the_demo_works_without_ffmpeg(settings: Any) -> None:
    settings.FFMPEG_BIN = "no-such-ffmpeg"
    call_command("demo_data", "--quiet")
    assert not SetVideo.objects.exists()
