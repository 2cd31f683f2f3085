"""The HTML sign-in page: Django's login view behind a limit of attempts per address."""

from __future__ import annotations

import math
from typing import Any

from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse

from accounts.lockout import LoginFormThrottle


class LoginView(auth_views.LoginView):
    """Axes locks an email after a few wrong passwords; this stops one address trying many emails."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        throttle = LoginFormThrottle()
        if throttle.allow_request(request, self):
            return super().post(request, *args, **kwargs)
        wait = max(1, math.ceil(throttle.wait() or 1))
        minutes = math.ceil(wait / 60)
        context = self.get_context_data(
            form=self.get_form(),
            too_many=(
                "Too many sign-in attempts from your network. "
                f"Try again in {minutes} minute{'s' if minutes != 1 else ''}."
            ),
        )
        response = self.render_to_response(context, status=429)
        response["Retry-After"] = str(wait)
        return response
