"""Forms of clients: the coach's "add client" and the phone's invite acceptance."""

from __future__ import annotations

from typing import Any

from django import forms


class InviteAcceptForm(forms.Form):
    """Choose a password to accept a coach's invite (strength is checked by the service)."""

    password = forms.CharField(
        label="Choose a password",
        strip=False,
        min_length=8,
        max_length=128,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={
            "required": "Choose a password.",
            "min_length": "Use at least 8 characters.",
        },
    )
    password_again = forms.CharField(
        label="Type it again",
        strip=False,
        max_length=128,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": "Type the password a second time."},
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, second = data.get("password"), data.get("password_again")
        if first and second and first != second:
            self.add_error("password_again", "The two passwords are not the same.")
        return data


class ClientAddForm(forms.Form):
    name = forms.CharField(label="Client's name", max_length=150)
    email = forms.EmailField(label="Client's email", help_text="The invite link is sent here.")
    notes = forms.CharField(
        label="Notes (only you see these)", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
