"""OpenAPI pieces shared by the API views: the 4xx responses each view documents, and a Redoc page
that needs no CDN (the error components and the schema class are in ``coaching.api.openapi``)."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.template import engines
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from drf_spectacular.views import SpectacularRedocView, SpectacularSwaggerSplitView

from coaching.api.openapi import FIELD_ERRORS, DetailSerializer, field_errors, ref

__all__ = ["DetailSerializer", "errors", "field_errors", "ref"]

_DESCRIPTIONS = {
    401: "Not signed in, or the token expired or was revoked.",
    403: "Signed in through the browser session without the CSRF token.",
    404: "No such object, or it belongs to another user.",
    409: "The review was already decided.",
    415: "The body is not JSON.",
    429: "Throttled: wait for the seconds in `Retry-After`.",
}


# The week's rules (programs.days.days_errors) answer under ``days`` and under the lines' field.
_DAYS_ERRORS = "The week's structure: no days or more than 7, a day's number, name or weekdays, a day without lines, "
_DAYS_ERRORS += "a weekday pinned to two days."
_LINES_ERRORS = "Each line's own fields, and the week's: a line whose `day` is not among the days, an exercise "
_LINES_ERRORS += "twice on one day."
PROGRAM_ERRORS = field_errors({"days": _DAYS_ERRORS, "lines": _LINES_ERRORS})
ASSIGNMENT_ERRORS = field_errors({"days": _DAYS_ERRORS, "prescription": _LINES_ERRORS})


def errors(*codes: int, bad_input: OpenApiResponse | None = None) -> dict[int, OpenApiResponse]:
    """Error responses for ``@extend_schema(responses={...})``: 400 as field errors (``bad_input`` when
    given), others as ``detail``."""
    documented: dict[int, OpenApiResponse] = {}
    for code in codes:
        if code == 400:
            documented[400] = bad_input or FIELD_ERRORS
        else:
            documented[code] = OpenApiResponse(response=DetailSerializer, description=_DESCRIPTIONS[code])
    return documented


# Object ids are routed as strings (core_urls) but are integers.
ID_PARAMETER = OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH)

# The usual sets: reads by a signed-in user, and writes (which may also be throttled or be non-JSON).
READ_ERRORS = (401, 404)
LIST_ERRORS = (400, 401, 404)
WRITE_ERRORS = (400, 401, 403, 404, 415, 429)


_REDOC_PAGE = """<!DOCTYPE html>
<html lang="en">
  <head>
    <title>{{ title }}</title>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <style>body { margin: 0; padding: 0; }</style>
  </head>
  <body>
    <redoc spec-url="{{ schema_url }}"></redoc>
    <script src="{{ redoc_standalone }}"></script>
  </body>
</html>
"""


class LocalSwaggerView(SpectacularSwaggerSplitView):
    """Swagger UI with its init script served as a file (CSP: no inline script)."""

    @extend_schema(exclude=True)
    def get(self, request: Any, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().get(request, *args, **kwargs)
        # The page's few lines of inline CSS; documentation only, no user content.
        response._csp_update = {"style-src": ["'unsafe-inline'"]}  # type: ignore[attr-defined]
        return response


class LocalRedocView(SpectacularRedocView):
    """Redoc without drf-spectacular's Google Fonts links: every asset from our static files."""

    @extend_schema(exclude=True)
    def get(self, request: Any, *args: Any, **kwargs: Any) -> HttpResponse:
        page = engines["django"].from_string(_REDOC_PAGE)
        context = {
            "title": self.title,
            "redoc_standalone": self._redoc_standalone(),
            "schema_url": self._get_schema_url(request),
        }
        response = HttpResponse(page.render(context, request))
        # Redoc injects its styles at run time and renders in a blob worker: relaxed for this
        # documentation page only (it shows no user content).
        response._csp_update = {"style-src": ["'unsafe-inline'"], "worker-src": ["blob:"]}  # type: ignore[attr-defined]
        return response
