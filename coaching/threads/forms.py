from __future__ import annotations

from django import forms

from coaching.threads.models import COMMENT_MAX_CHARS


class CommentForm(forms.Form):
    body = forms.CharField(
        label="Reply",
        max_length=COMMENT_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Write a reply first."},
    )
