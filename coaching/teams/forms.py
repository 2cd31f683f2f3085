"""Team page forms."""

from __future__ import annotations

from typing import Any

from django import forms

ROLE_CHOICES = [("coach", "Coach"), ("reviewer", "Reviewer (e.g. a physiotherapist)")]


class TeamForm(forms.Form):
    name = forms.CharField(label="Team name", max_length=150)


class InviteForm(forms.Form):
    email = forms.EmailField(label="Email")
    role = forms.ChoiceField(label="Role", choices=ROLE_CHOICES)


class RoleForm(forms.Form):
    role = forms.ChoiceField(label="Role", choices=ROLE_CHOICES)


class AcceptForm(forms.Form):
    name = forms.CharField(label="Your name", max_length=150, required=False)
    password = forms.CharField(label="Password", widget=forms.PasswordInput, required=False)

    def __init__(self, *args: Any, signed_in: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if signed_in:
            del self.fields["name"]
            del self.fields["password"]
        else:
            self.fields["name"].required = True
            self.fields["password"].required = True


class CosignForm(forms.Form):
    note = forms.CharField(
        label="Note (optional)", max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
