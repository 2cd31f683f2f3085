"""The phone's query parameters: which date and day Today shows; which month and changes History opens."""

from __future__ import annotations

import datetime as dt

from django import forms

from programs.days import MAX_DAYS


class TodayQuery(forms.Form):
    """``?date=YYYY-MM-DD`` (the phone's local date; without it, today in the coach's time zone)
    and ``?day=N`` (a day the client picked; a day no longer in the prescription is ignored)."""

    date = forms.DateField(required=False, input_formats=["%Y-%m-%d"])
    day = forms.IntegerField(required=False, min_value=1, max_value=MAX_DAYS)


# The months History can open: any a session can be dated in, and none whose end overflows a date.
MONTHS_FROM, MONTHS_TO = 1900, 9000


class HistoryQuery(forms.Form):
    """``?month=YYYY-MM`` (an older month History opens in full) and ``?changes=all`` (every
    change the coach approved, not only the latest)."""

    month = forms.DateField(required=False, input_formats=["%Y-%m"])
    changes = forms.ChoiceField(required=False, choices=[("", "latest"), ("all", "all")])

    def clean_month(self) -> dt.date | None:
        month: dt.date | None = self.cleaned_data.get("month")
        if month is not None and not MONTHS_FROM <= month.year <= MONTHS_TO:
            raise forms.ValidationError(f"A month from {MONTHS_FROM} to {MONTHS_TO}.")
        return month.replace(day=1) if month else None
