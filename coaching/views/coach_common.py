"""Shared plumbing of the coach's pages: the coach gate and fragment-or-page rendering."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers

from coaching.access import require_coach
from coaching.models import Coach

View = Callable[..., HttpResponse]


def coach_required(view: Callable[..., HttpResponse]) -> View:
    """Signed in, and a coach; anyone else gets 404 (never a hint that the page exists)."""

    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        coach: Coach = require_coach(request.user)
        return view(request, coach, *args, **kwargs)

    return wrapped


def is_htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


def render_page(
    request: HttpRequest,
    template: str,
    context: dict[str, Any],
    *,
    fragment: str | None = None,
    status: int = 200,
) -> HttpResponse:
    """The whole page, or for an htmx request the named partial of the same template."""
    name = f"{template}#{fragment}" if fragment and is_htmx(request) else template
    response = render(request, name, context, status=status)
    patch_vary_headers(response, ["HX-Request"])
    return response


def invalid_status(request: HttpRequest) -> int:
    """Form errors: 400 for a plain POST; 200 for htmx, which only swaps 2xx answers in."""
    return 200 if is_htmx(request) else 400
