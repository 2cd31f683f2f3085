"""Forms of the coach's pages: shapes, types and messages in the coach's words.

The shared ones (accounts, library, prescription lines, programs and assignments); each
sub-domain's own are in its ``forms.py`` (clients, reviews, sessions).

Business rules stay in the services; these forms only turn what was typed into the values the
services take, and say clearly what is wrong with a field.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Sequence
from decimal import Decimal
from functools import lru_cache
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import dateformat

from coaching.access import exercises_by_slug
from coaching.models import WEEKDAYS, Client
from programs import lines
from programs.days import MAX_DAY_NAME, WEEKDAY_SHORT, Day, new_day
from programs.lines import Line
from programs.models import Exercise, Unit

TEMPO_HELP = "Down-pause-up in seconds, e.g. 3-2-1."


@lru_cache(maxsize=1)
def time_zone_choices() -> list[tuple[str, str]]:
    zones = sorted(z for z in zoneinfo.available_timezones() if "/" in z and not z.startswith(("Etc/", "SystemV/")))
    return [("UTC", "UTC"), *[(z, z.replace("_", " ")) for z in zones]]


def apply_errors(form: forms.Form, exc: ValidationError, fallback: str | None = None) -> None:
    """Put a service's ``ValidationError`` onto the form's fields (unknown fields: on the form)."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            target = name if name in form.fields else fallback
            for message in errors:
                form.add_error(target, message)
    else:
        for message in exc.messages:
            form.add_error(fallback, message)


# --- accounts ---------------------------------------------------------------------------------


class CoachSignupForm(forms.Form):
    name = forms.CharField(label="Your name", max_length=150)
    email = forms.EmailField(label="Email")
    password = forms.CharField(
        label="Password",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="At least 8 characters; not only numbers and not a common password.",
    )
    password_again = forms.CharField(
        label="Password again", widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    time_zone = forms.ChoiceField(
        label="Your time zone", initial="UTC", help_text="Weeks run Monday to Sunday in this time zone."
    )
    review_weekday = forms.TypedChoiceField(
        label="Reviews ready on",
        choices=WEEKDAYS,
        coerce=int,
        initial=0,
        help_text="The day your weekly reviews wait for you.",
    )
    review_time = forms.TimeField(
        label="At", initial=dt.time(6, 0), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["time_zone"].choices = time_zone_choices()
        self.fields["email"].widget.attrs["autocomplete"] = "email"

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("password") and data.get("password_again") and data["password"] != data["password_again"]:
            self.add_error("password_again", "The two passwords differ.")
        return data


class CoachSettingsForm(forms.Form):
    name = forms.CharField(label="Your name", max_length=150)
    time_zone = forms.ChoiceField(label="Your time zone", help_text="Weeks run Monday to Sunday in this time zone.")
    review_weekday = forms.TypedChoiceField(
        label="Reviews ready on", choices=WEEKDAYS, coerce=int, help_text="The day your weekly reviews wait for you."
    )
    review_time = forms.TimeField(label="At", widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["time_zone"].choices = time_zone_choices()


# --- library ----------------------------------------------------------------------------------


class ExerciseForm(forms.Form):
    name = forms.CharField(label="Name", max_length=120)
    implement = forms.ChoiceField(label="Implement", choices=Exercise.Implement.choices)
    measure = forms.ChoiceField(label="Measured in", choices=Exercise.Measure.choices)
    laterality = forms.ChoiceField(label="Sides", choices=Exercise.Laterality.choices)
    easier = forms.ModelChoiceField(
        label="Easier variant", queryset=Exercise.objects.none(), required=False, to_field_name="slug"
    )
    harder = forms.ModelChoiceField(
        label="Harder variant", queryset=Exercise.objects.none(), required=False, to_field_name="slug"
    )
    cues = forms.CharField(
        label="Cues, one per line",
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Leave empty to use the six hinge checkpoints.",
    )
    description = forms.CharField(label="Description", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, exercises: QuerySet[Exercise], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("easier", "harder"):
            self.fields[name].queryset = exercises
            self.fields[name].empty_label = "None"

    @staticmethod
    def initial_for(exercise: Exercise) -> dict[str, Any]:
        return {
            "name": exercise.name,
            "implement": exercise.implement,
            "measure": exercise.measure,
            "laterality": exercise.laterality,
            "easier": exercise.easier.slug if exercise.easier else None,
            "harder": exercise.harder.slug if exercise.harder else None,
            "cues": "\n".join(exercise.cues),
            "description": exercise.description,
        }

    def service_fields(self) -> dict[str, Any]:
        """The cleaned values as the exercise services take them (without ``measure``)."""
        data = self.cleaned_data
        names = ("name", "implement", "laterality", "easier", "harder", "description")
        return {name: data[name] for name in names} | {"cues": data["cue_list"]}

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        easier, harder = data.get("easier"), data.get("harder")
        if easier is not None and harder is not None and easier == harder:
            self.add_error("harder", "The harder variant cannot also be the easier one.")
        data["cue_list"] = [line.strip() for line in (data.get("cues") or "").splitlines() if line.strip()]
        return data


# --- prescription lines -------------------------------------------------------------------------


NEW_DAY = "new"


def _day_value(value: str) -> int | str:
    return NEW_DAY if value == NEW_DAY else int(value)


class LineForm(forms.Form):
    """One prescription line; the range means reps or seconds by the exercise's measure."""

    exercise = forms.ModelChoiceField(label="Exercise", queryset=Exercise.objects.none(), to_field_name="slug")
    sets = forms.IntegerField(label="Sets", min_value=1, max_value=lines.MAX_SETS, initial=3)
    low = forms.IntegerField(label="Reps from", min_value=1)
    high = forms.IntegerField(label="Reps to", min_value=1)
    load = forms.DecimalField(label="Load", min_value=Decimal(0), max_digits=7, decimal_places=2, initial=0)
    unit = forms.ChoiceField(label="Unit", choices=Unit.choices, initial="kg")
    tempo = forms.CharField(label="Tempo", required=False, max_length=lines.TEMPO_MAX_LENGTH, help_text=TEMPO_HELP)
    target_rpe = forms.DecimalField(
        label="Target RPE", required=False, min_value=Decimal(1), max_value=Decimal(10), decimal_places=1
    )
    rest_seconds = forms.IntegerField(label="Rest (s)", required=False, min_value=0, max_value=lines.MAX_REST_SECONDS)

    def __init__(
        self,
        *args: Any,
        exercises: QuerySet[Exercise],
        exercise: Exercise | None = None,
        day_choices: Sequence[tuple[int | str, str]] | None = None,
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        self.fields["exercise"].queryset = exercises
        if day_choices:
            # The line's training day: a day's number, or NEW_DAY to start a day with this line.
            # Left out (older forms, one-day pages), it is the first day.
            self.fields["day"] = forms.TypedChoiceField(
                label="Day",
                choices=[(str(value), label) for value, label in day_choices],
                coerce=_day_value,
                required=False,
                empty_value=day_choices[0][0],
                initial=day_choices[0][0],
            )
        self.fields["exercise"].empty_label = "Choose an exercise"
        for name in ("sets", "low", "high", "rest_seconds"):
            self.fields[name].widget.attrs["inputmode"] = "numeric"
        for name in ("load", "target_rpe"):
            self.fields[name].widget.attrs.update(inputmode="decimal", step="0.5")
        self.chosen = exercise or self._chosen_exercise(exercises)
        # Reps until a hold is chosen: the add and edit forms word the range the same way.
        measure = "Seconds" if self.is_hold else "Reps"
        self.fields["low"].label = f"{measure} from"
        self.fields["high"].label = f"{measure} to"
        self.fields["low"].initial, self.fields["high"].initial = lines.default_range(self.chosen)
        self.fields["low"].max_value = self.fields["high"].max_value = (
            lines.MAX_SECONDS if self.is_hold else lines.MAX_REPS
        )

    def _chosen_exercise(self, exercises: QuerySet[Exercise]) -> Exercise | None:
        slug = self.data.get(self.add_prefix("exercise")) if self.is_bound else self.initial.get("exercise")
        if isinstance(slug, Exercise):
            return slug
        if not slug:
            return None
        return exercises_by_slug(exercises).get(slug)

    @property
    def is_hold(self) -> bool:
        return self.chosen is not None and self.chosen.measure == Exercise.Measure.SECONDS

    @property
    def range_word(self) -> str:
        return "seconds" if self.is_hold else "reps"

    def clean(self) -> dict[str, Any]:
        """The line's one validator (``Line.errors``) on what parsed; a field that did not parse
        keeps its own error."""
        data = super().clean()
        if data.get("exercise") is None:
            return data
        fields = ("sets", "low", "high", "load", "unit", "tempo", "target_rpe", "rest_seconds")
        line = Line.from_cleaned({name: data.get(name) for name in fields} | {"exercise": data["exercise"]})
        for name, messages in line.errors().items():
            if name == "low" and line.low is not None and line.high is not None and line.low > line.high:
                # Under the end the coach moved: "to" lowered under "from" is "to"'s error.
                name = "high" if "high" in self.changed_data and "low" not in self.changed_data else "low"
            if name in self.errors:
                continue
            for message in messages:
                self.add_error(name, message)
        return data

    @property
    def new_day(self) -> bool:
        """The coach chose "a new day" for this line."""
        return self.cleaned_data.get("day") == NEW_DAY

    def to_line(self) -> Line:
        """The line; on a new day it says day 1 until the new day's number is known."""
        data = self.cleaned_data
        return Line.from_cleaned({**data, "day": None} if self.new_day else data)

    def to_dict(self) -> dict[str, Any]:
        """The line in the API's shape (as review items store it)."""
        return self.to_line().to_json()


def line_initial(line: Any) -> dict[str, Any]:
    """Initial values for a ``LineForm`` from a line row or a line dict in the API's shape."""
    return Line.initial_from_json(line) if isinstance(line, dict) else Line.from_row(line).initial()


# --- programs and assignments --------------------------------------------------------------------


def day_choices(days: Sequence[Day], *, new: bool = False) -> list[tuple[int | str, str]]:
    """A day select's choices: each day's number, shown by its name and pins; with ``new``, also
    "a new day" (named as it will be) while the week has fewer than seven days."""
    choices: list[tuple[int | str, str]] = [(day.number, day.label) for day in days]
    if new and (day := new_day(days)) is not None:
        choices.append((NEW_DAY, f"A new day ({day.name})"))
    return choices


class DayForm(forms.Form):
    """A training day's name and its weekday pins (the day's lines are edited line by line)."""

    name = forms.CharField(label="Day name", max_length=MAX_DAY_NAME)
    weekdays = forms.TypedMultipleChoiceField(
        label="Pinned to",
        choices=list(enumerate(WEEKDAY_SHORT)),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Tick the weekdays this day is done on; none: the day takes its turn in the rotation.",
    )

    @staticmethod
    def initial_for(day: Day) -> dict[str, Any]:
        return {"name": day.name, "weekdays": list(day.weekdays)}


class TemplateForm(forms.Form):
    name = forms.CharField(label="Program name", max_length=120)
    notes = forms.CharField(label="Notes", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class AssignForm(forms.Form):
    client = forms.ModelChoiceField(label="Client", queryset=Client.objects.none(), empty_label="Choose a client")
    start_date = forms.DateField(label="Start date", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    sessions_per_week = forms.IntegerField(
        label="Sessions per week",
        min_value=1,
        max_value=14,
        required=False,
        help_text="Prefilled with the program's week: its pinned weekdays plus one for each day in turn.",
    )
    unit = forms.ChoiceField(label="Loads shown in", choices=Unit.choices, initial="kg")
    deload_every_weeks = forms.IntegerField(
        label="Deload every … weeks",
        required=False,
        min_value=2,
        max_value=52,
        help_text="Leave empty for no scheduled deload.",
    )
    load_increment_pct = forms.DecimalField(
        label="Load increment (%)", min_value=Decimal("0.5"), max_value=Decimal(50), decimal_places=1, initial=5
    )

    def __init__(self, *args: Any, clients: QuerySet[Client], client: Client | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # On a client's own page there is nobody to choose: the client is the page's.
        self.fixed_client = client
        if client is not None:
            del self.fields["client"]
        else:
            self.fields["client"].queryset = clients
        for name in ("sessions_per_week", "deload_every_weeks"):
            self.fields[name].widget.attrs["inputmode"] = "numeric"
        self.fields["start_date"].help_text = start_date_help(self.shown_start_date())

    def shown_start_date(self) -> dt.date | None:
        """The date the field holds now: as sent when it parses, else the initial one."""
        field = self.fields["start_date"]
        if self.is_bound:
            try:
                return field.clean(self.data.get(self.add_prefix("start_date")))
            except ValidationError:
                return None
        value = self.get_initial_for_field(field, "start_date")
        return value if isinstance(value, dt.date) else None

    @property
    def chosen_client(self) -> Client:
        return self.fixed_client or self.cleaned_data["client"]


def start_date_help(day: dt.date | None) -> str:
    """The start date in the app's words (the date input shows the browser's locale) and its meaning."""
    meaning = (
        "Sessions count from this day; the first weekly review covers the week (Monday to Sunday) that contains it."
    )
    return f"Starts on {dateformat.format(day, 'D j M Y')}. {meaning}" if day else meaning


class PrescriptionMetaForm(forms.Form):
    effective_from = forms.DateField(
        label="Applies from",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="Usually next Monday.",
    )
    reason = forms.CharField(label="Reason (kept in the history)", required=False, max_length=500)
