"""The phone's query parameters: which date and day Today shows."""

from __future__ import annotations

from django import forms

from programs.days import MAX_DAYS


class TodayQuery(forms.Form):
    """``?date=YYYY-MM-DD`` (the phone's local date; without it, today in the coach's time zone)
    and ``?day=N`` (a day the client picked; a day no longer in the prescription is ignored)."""

    date = forms.DateField(required=False, input_formats=["%Y-%m-%d"])
    day = forms.IntegerField(required=False, min_value=1, max_value=MAX_DAYS)
