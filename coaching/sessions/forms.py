"""The coach's sessions import form (a CSV file, read as text)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

MAX_CSV_BYTES = 10 * 1024 * 1024


class SessionsCSVImportForm(forms.Form):
    file = forms.FileField(
        label="Sessions file (CSV)",
        help_text="A file downloaded with “Download sessions (CSV)”, edited or not. Sessions are matched by "
        "their session_id; a session is only replaced by rows with a later client_modified_at.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def clean_file(self) -> str:
        """The file's text (UTF-8, a byte-order mark allowed)."""
        upload = self.cleaned_data["file"]
        if upload.size > MAX_CSV_BYTES:
            raise ValidationError("This file is over 10 MB: split it into smaller files.")
        try:
            return upload.read().decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ValidationError("This is not UTF-8 text: save it from the spreadsheet as “CSV UTF-8”.") from exc
