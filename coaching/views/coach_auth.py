"""Coach sign-up; sign in, sign out and password reset are Django's views with our templates."""

from __future__ import annotations

from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from coaching.forms import CoachSignupForm, apply_errors
from coaching.services.accounts import coach_create


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
