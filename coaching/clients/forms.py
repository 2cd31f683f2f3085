"""Forms of clients: the coach's "add client" and roster import, and the phone's invite acceptance."""

from __future__ import annotations

from typing import Any

from django import forms

from coaching.clients import roster
from coaching.models import Coach


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


class RosterUploadForm(forms.Form):
    """The roster file for a preview; its bytes once clean (the service reads them)."""

    file = forms.FileField(
        label="Roster file (CSV)",
        help_text="A header row naming the columns name and email (notes is optional), then one client a row. "
        "Save it from your spreadsheet as “CSV UTF-8”; up to 1,000 clients and 1 MB.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
        error_messages={"required": "Choose the CSV file to import.", "empty": "The file is empty."},
    )

    def clean_file(self) -> bytes:
        upload = self.cleaned_data["file"]
        if upload.size > roster.MAX_BYTES:
            raise forms.ValidationError("This file is over 1 MB: split it into smaller files.")
        return upload.read()


class RosterCommitForm(forms.Form):
    """ "Create N clients": the preview's rows, signed for this coach (the browser cannot change them)."""

    rows = forms.CharField(widget=forms.HiddenInput, error_messages={"required": "Upload the file again."})

    def __init__(self, *args: Any, coach: Coach, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.coach = coach

    def clean_rows(self) -> list[roster.RosterRow]:
        try:
            return roster.roster_unsign(coach=self.coach, value=self.cleaned_data["rows"])
        except roster.RosterFileError as exc:
            raise forms.ValidationError(exc.message) from exc
