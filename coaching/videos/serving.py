"""Answering a stored file with HTTP Range support (RFC 9110 §14): what phones' players need."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import IO

from django.http import HttpResponse, JsonResponse, StreamingHttpResponse

CHUNK_BYTES = 256 * 1024
_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


class RangeNotSatisfiable(Exception):
    """The Range header asks for bytes the file does not have: answered 416."""


def parse_range(header: str | None, size: int) -> tuple[int, int] | None:
    """The one byte range (first, last inclusive) a ``Range`` header asks for; None: the whole
    file (no header, another unit, or several ranges, which a server may answer in full).
    Raises RangeNotSatisfiable for a malformed or out-of-file range."""
    if not header:
        return None
    value = header.strip().replace(" ", "")
    if not value.lower().startswith("bytes="):
        return None
    if "," in value:
        return None
    found = _RANGE.match(value.lower())
    if found is None:
        raise RangeNotSatisfiable()
    first, last = found.groups()
    if not first and not last:
        raise RangeNotSatisfiable()
    if not first:  # a suffix: the last N bytes
        length = int(last)
        if length == 0 or size == 0:
            raise RangeNotSatisfiable()
        return max(0, size - length), size - 1
    start = int(first)
    end = int(last) if last else size - 1
    if start >= size or end < start:
        raise RangeNotSatisfiable()
    return start, min(end, size - 1)


def _stream(f: IO[bytes], start: int, length: int) -> Iterator[bytes]:
    try:
        f.seek(start)
        left = length
        while left > 0:
            chunk = f.read(min(CHUNK_BYTES, left))
            if not chunk:
                break
            left -= len(chunk)
            yield chunk
    finally:
        f.close()


def ranged_file_response(
    f: IO[bytes], *, size: int, content_type: str, range_header: str | None
) -> HttpResponse | StreamingHttpResponse:
    """200 with the whole file, 206 with the asked range, or 416; never cached by a shared cache."""
    try:
        wanted = parse_range(range_header, size)
    except RangeNotSatisfiable:
        f.close()
        # JSON like every API error; the header says the file's size.
        refused = JsonResponse({"detail": "The asked range is not in the file."}, status=416)
        refused["Content-Range"] = f"bytes */{size}"
        refused["Accept-Ranges"] = "bytes"
        return refused
    start, end = wanted if wanted is not None else (0, size - 1)
    length = max(0, end - start + 1)
    response = StreamingHttpResponse(_stream(f, start, length), content_type=content_type)
    if wanted is not None:
        response.status_code = 206
        response["Content-Range"] = f"bytes {start}-{end}/{size}"
    response["Content-Length"] = str(length)
    response["Accept-Ranges"] = "bytes"
    response["Cache-Control"] = "private, max-age=3600"
    response["Content-Disposition"] = "inline"
    return response
