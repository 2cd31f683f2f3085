"""What a video file is: its container by its first bytes, its streams and length by ffprobe."""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

WEBM_MAGIC = b"\x1a\x45\xdf\xa3"
# Enough of the head to recognise the container.
HEAD_BYTES = 12
PROBE_TIMEOUT_SECONDS = 30


class ProbeUnavailable(Exception):
    """ffprobe/ffmpeg is not installed or did not answer: nothing can be checked."""


@dataclass(frozen=True)
class Probed:
    has_video: bool
    duration_seconds: float | None


def content_type_of(head: bytes) -> str | None:
    """video/mp4, video/quicktime or video/webm by the file's first bytes (an ISO-BMFF ``ftyp``
    box at offset 4, or the EBML magic); None for anything else, whatever its name or header."""
    if len(head) >= 8 and head[4:8] == b"ftyp":
        return "video/quicktime" if head[8:12] == b"qt  " else "video/mp4"
    if head[:4] == WEBM_MAGIC:
        return "video/webm"
    return None


def tool(name: str) -> str:
    """The path of ffprobe or ffmpeg (settings FFPROBE_BIN/FFMPEG_BIN), or ProbeUnavailable."""
    configured = settings.FFPROBE_BIN if name == "ffprobe" else settings.FFMPEG_BIN
    found = shutil.which(configured)
    if found is None:
        raise ProbeUnavailable(f"{configured} is not installed")
    return found


def ffmpeg_available() -> bool:
    try:
        tool("ffmpeg")
        tool("ffprobe")
    except ProbeUnavailable:
        return False
    return True


def probe(path: Path) -> Probed:
    """The file's video stream and duration by ffprobe; an unreadable file has neither."""
    command = [
        tool("ffprobe"),
        "-v",
        "error",
        "-show_entries",
        "format=duration:stream=codec_type,duration",
        "-of",
        "json",
        str(path),
    ]
    try:
        done = subprocess.run(command, capture_output=True, timeout=PROBE_TIMEOUT_SECONDS, check=False)  # noqa: S603
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise ProbeUnavailable(str(exc)) from exc
    if done.returncode != 0:
        return Probed(has_video=False, duration_seconds=None)
    try:
        found = json.loads(done.stdout or b"{}")
    except ValueError:
        return Probed(has_video=False, duration_seconds=None)
    streams = found.get("streams") or []
    video = [s for s in streams if s.get("codec_type") == "video"]
    durations = [found.get("format", {}).get("duration")] + [s.get("duration") for s in video]
    seconds = [float(d) for d in durations if _is_duration(d)]
    return Probed(has_video=bool(video), duration_seconds=max(seconds) if seconds else None)


def _is_duration(value: object) -> bool:
    try:
        return value is not None and float(str(value)) >= 0
    except ValueError:
        return False


def poster_frame(video: Path, out: Path, duration_seconds: float) -> bool:
    """A JPEG frame of the video (a second in, or its middle when shorter) into ``out``."""
    at = min(1.0, duration_seconds / 2)
    command = [
        tool("ffmpeg"),
        "-v",
        "error",
        "-y",
        "-ss",
        f"{at:.3f}",
        "-i",
        str(video),
        "-frames:v",
        "1",
        "-vf",
        "scale='min(640,iw)':-2",
        "-f",
        "image2",
        "-c:v",
        "mjpeg",
        str(out),
    ]
    try:
        done = subprocess.run(command, capture_output=True, timeout=PROBE_TIMEOUT_SECONDS, check=False)  # noqa: S603
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise ProbeUnavailable(str(exc)) from exc
    return done.returncode == 0 and out.exists() and out.stat().st_size > 0


def pattern_video(out: Path, seconds: float = 3.0) -> bool:
    """A short WebM of ffmpeg's test pattern into ``out`` (the demo's form video); False without ffmpeg."""
    if not ffmpeg_available():
        return False
    command = [
        tool("ffmpeg"),
        "-v",
        "error",
        "-y",
        "-f",
        "lavfi",
        "-i",
        f"testsrc=size=320x240:rate=15:duration={seconds}",
        "-c:v",
        "libvpx",
        "-b:v",
        "300k",
        str(out),
    ]
    try:
        done = subprocess.run(command, capture_output=True, timeout=PROBE_TIMEOUT_SECONDS * 2, check=False)  # noqa: S603
    except (OSError, subprocess.TimeoutExpired):
        return False
    return done.returncode == 0 and out.exists()
