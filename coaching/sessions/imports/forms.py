"""The coach's import page: the upload (a dry run) and the mapping of unmatched names (the commit)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from coaching.sessions.imports.common import MAX_BYTES
from coaching.sessions.imports.models import SessionImport
from coaching.sessions.imports.services import Plan
from coaching.weeks import is_time_zone

SKIP = "-"  # the mapping select's "leave these sets out"


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label="Export file (CSV)",
        help_text="From Strong (Settings › Export data), Hevy (Settings › Export & import data) or our own download.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )
    format = forms.ChoiceField(label="App", choices=SessionImport.Format.choices, initial="strong")
    time_zone = forms.CharField(
        label="Time zone of the file's times",
        max_length=64,
        help_text="Strong and Hevy write local times without a zone.",
    )
    unit = forms.ChoiceField(
        label="Weights are in",
        choices=[("kg", "kg"), ("lb", "lb")],
        help_text="Used when the file does not say (Strong's current export).",
    )
    include_warmups = forms.BooleanField(label="Import warm-up sets too", required=False)

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise ValidationError(f"This file is over {MAX_BYTES // (1024 * 1024)} MB: split it.")
        return upload

    def clean_time_zone(self) -> str:
        value = self.cleaned_data["time_zone"].strip()
        if not is_time_zone(value):
            raise ValidationError(f"“{value[:64]}” is not a time zone: use a name like Europe/Berlin.")
        return value


class ImportMappingForm(forms.Form):
    """A select per unmatched name: its suggestions first, then the whole library, then "skip"."""

    def __init__(self, *args: Any, plan: Plan, library: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        names = dict(library)
        self.names: dict[str, str] = {}
        for index, unmatched in enumerate(plan.unmatched):
            suggested = [(s, names.get(s, s)) for s in unmatched.suggestions]
            rest = [(slug, name) for slug, name in library if slug not in unmatched.suggestions]
            choices: list[Any] = []
            if suggested:
                choices.append(("Suggested", suggested))
            choices += [("All exercises", rest), ("", [(SKIP, "— Skip these sets —")])]
            key = f"map_{index}"
            self.names[key] = unmatched.name
            self.fields[key] = forms.ChoiceField(
                label=f"{unmatched.name} ({unmatched.sets} set{'s' if unmatched.sets != 1 else ''})",
                choices=choices,
                initial=unmatched.suggestions[0] if unmatched.suggestions else SKIP,
            )

    def exercise_map(self) -> dict[str, str | None]:
        chosen = {name: self.cleaned_data[key] for key, name in self.names.items()}
        return {name: None if slug == SKIP else slug for name, slug in chosen.items()}
