"""Forms of the client's phone pages."""

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
