"""Coach sign-up; sign in, sign out and password reset are Django's views with our templates."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from coaching.clients.services import coach_create, coach_update_settings
from coaching.forms import CoachSettingsForm, CoachSignupForm, apply_errors
from coaching.models import Coach
from coaching.views.coach_common import coach_required


def coach_signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("home")
    form = CoachSignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            coach = coach_create(
                email=data["email"],
                password=data["password"],
                name=data["name"],
                time_zone=data["time_zone"],
                review_weekday=data["review_weekday"],
                review_time=data["review_time"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            login(request, coach.user, backend="django.contrib.auth.backends.ModelBackend")
            return redirect("coach-dashboard")
    status = 400 if request.method == "POST" else 200
    return render(request, "registration/signup.html", {"form": form}, status=status)


@require_http_methods(["GET", "POST"])
@coach_required
def coach_settings(request: HttpRequest, coach: Coach) -> HttpResponse:
    initial = {
        "name": coach.user.name,
        "time_zone": coach.time_zone,
        "review_weekday": coach.review_weekday,
        "review_time": coach.review_time,
    }
    form = CoachSettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            coach_update_settings(coach=coach, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "Settings saved.")
            return redirect("coach-settings")
    status = 400 if request.method == "POST" else 200
    return render(request, "coaching/settings.html", {"form": form}, status=status)
