"""Django's error answers (``handler400`` … ``handler500`` in ``config.urls``): JSON under /api/.

API clients parse every answer as JSON (docs/api.md, Errors), including those Django gives before or
outside DRF: an unknown path, a bad Host header, a body over ``DATA_UPLOAD_MAX_MEMORY_SIZE``, an
unhandled error. Pages keep Django's HTML answers.

With DEBUG on Django answers with its debug pages instead of these handlers;
``ApiJsonErrorsMiddleware`` turns any error under /api/ that is not JSON into JSON.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views import defaults
from django_guid import get_guid

API_PREFIX = "/api/"
SERVER_ERROR = "Something went wrong on our side. Try again later; quote the request id if it keeps happening."
MESSAGES = {
    400: "Bad request.",
    403: "You do not have permission to do this.",
    404: "Not found.",
    405: "Method not allowed.",
    500: SERVER_ERROR,
}
# Headers of an error answer that still mean something in its JSON version.
KEPT_HEADERS = ("Allow", "Retry-After")


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
    return _json(400, MESSAGES[400])


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if not is_api(request):
        return defaults.permission_denied(request, exception)
    return _json(403, MESSAGES[403])


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if not is_api(request):
        return defaults.page_not_found(request, exception)
    return _json(404, MESSAGES[404])


def server_error(request: HttpRequest) -> HttpResponse:
    """Django has logged the error (``django.request``) before calling this."""
    if not is_api(request):
        return defaults.server_error(request)
    return _json(500, SERVER_ERROR, request_id=get_guid())


class ApiJsonErrorsMiddleware:
    """An error under /api/ that is not JSON (a debug page, a plain-text 500) becomes JSON, same status."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not is_api(request) or response.status_code < 400:
            return response
        if response.get("Content-Type", "").startswith("application/json"):
            return response
        status = response.status_code
        detail = too_large_message() if status == 413 else MESSAGES.get(status, f"{response.reason_phrase}.")
        extra = {"request_id": get_guid()} if status >= 500 else {}
        converted = _json(status, detail, **extra)
        for header in KEPT_HEADERS:
            if header in response:
                converted[header] = response[header]
        return converted
