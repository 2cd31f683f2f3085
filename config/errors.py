"""Django's error answers (``handler400`` … ``handler500`` in ``config.urls``): JSON under /api/.

API clients parse every answer as JSON (API.md, Errors), including those Django gives before or
outside DRF: an unknown path, a bad Host header, a body over ``DATA_UPLOAD_MAX_MEMORY_SIZE``, an
unhandled error. Pages keep Django's HTML answers.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views import defaults

API_PREFIX = "/api/"


def is_api(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIX)


def too_large_message() -> str:
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    size = f"{limit // (1024 * 1024)} MB" if limit >= 1024 * 1024 else f"{limit} bytes"
    return f"The request body is too large: at most {size}."


def _json(status: int, detail: str, **extra: Any) -> JsonResponse:
    return JsonResponse({"detail": detail, **extra}, status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if not is_api(request):
        return defaults.bad_request(request, exception)
    if isinstance(exception, RequestDataTooBig):
        return _json(413, too_large_message())
    return _json(400, "Bad request.")


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if not is_api(request):
        return defaults.permission_denied(request, exception)
    return _json(403, "You do not have permission to do this.")


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if not is_api(request):
        return defaults.page_not_found(request, exception)
    return _json(404, "Not found.")


def server_error(request: HttpRequest) -> HttpResponse:
    """Django has logged the error (``django.request``) before calling this."""
    if not is_api(request):
        return defaults.server_error(request)
    return _json(
        500,
        "Something went wrong on our side. Try again later; quote the request id if it keeps happening.",
        request_id=getattr(request, "request_id", None),
    )
