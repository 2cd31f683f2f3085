"""Request ids and the request log; the libraries do the rest (settings' ``LOGGING``, ``DJANGO_GUID``).

- django-guid gives each request its id (a contextvar, so it holds in async views too): the
  proxy's ``X-Request-ID`` when it sends one, otherwise a new uuid4 hex; it is echoed back in the
  response so a client can quote it, and its log filter puts it on every log record.
- python-json-logger writes one JSON object per line (``LOG_FORMAT=json``).

What stays here: django-guid's own check of an incoming id accepts only a UUID (a proxy's
``lb-…`` id would be replaced) or anything at all (a log-injection vector), so an id that is not
sane is dropped before django-guid reads the header; and the one-line-per-request log.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

REQUEST_ID_HEADER = "X-Request-ID"
_SANE_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
access_log = logging.getLogger("hinge.request")


class RequestLogMiddleware:
    """Before django-guid's middleware: refuses an insane incoming id, then logs the request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not _SANE_ID.match(request.headers.get(REQUEST_ID_HEADER, "")):
            request.META.pop("HTTP_X_REQUEST_ID", None)
            request.__dict__.pop("headers", None)  # HttpRequest.headers is cached from META
        started = time.perf_counter()
        response = self.get_response(request)
        access_log.info(
            "%s %s %s",
            request.method,
            request.path,
            response.status_code,
            extra={
                "method": request.method,
                "path": request.path,
                "status": response.status_code,
                "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                "user_id": getattr(getattr(request, "user", None), "pk", None),
            },
        )
        return response
