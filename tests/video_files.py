"""Tiny real videos for tests, made with ffmpeg's test pattern (cached per test run)."""

from __future__ import annotations

import functools
import subprocess
import tempfile
from pathlib import Path

CODECS = {
    "webm": ["-c:v", "libvpx", "-b:v", "200k"],
    "mp4": ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-movflags", "+faststart"],
    "mov": ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-f", "mov"],
}


@functools.cache
def _folder() -> Path:
    return Path(tempfile.mkdtemp(prefix="hinge-test-videos-"))


@functools.cache
def video_bytes(kind: str = "webm", seconds: float = 1.0, rate: int = 10, size: str = "64x48") -> bytes:
    """A ``seconds``-long test-pattern video as ``kind`` (webm, mp4 or mov)."""
    out = _folder() / f"pattern-{seconds}-{rate}-{size}.{kind}"
    subprocess.run(
        [
            "ffmpeg", "-v", "error", "-y", "-f", "lavfi",
            "-i", f"testsrc=size={size}:rate={rate}:duration={seconds}",
            *CODECS[kind], str(out),
        ],
        check=True,
        timeout=120,
    )  # fmt: skip
    return out.read_bytes()
