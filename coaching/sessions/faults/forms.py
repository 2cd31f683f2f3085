"""The coach's tag form on a set: the fixed fault list as checkboxes."""

from __future__ import annotations

from typing import Any

from django import forms

from coaching.sessions.faults.selectors import fault_choices


class CoachFaultsForm(forms.Form):
    faults = forms.MultipleChoiceField(
        choices=fault_choices, required=False, widget=forms.CheckboxSelectMultiple, label="Faults you saw"
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["faults"].error_messages["invalid_choice"] = "“%(value)s” is not a fault of the list."
