"""The coach's webhook page: adding an endpoint (its URL and the events, as checkboxes)."""

from __future__ import annotations

from django import forms

from coaching.webhooks.addresses import MAX_URL_LENGTH, UnsafeURL, check_shape
from coaching.webhooks.models import WebhookEvent


class WebhookEndpointForm(forms.Form):
    url = forms.CharField(
        label="URL",
        max_length=MAX_URL_LENGTH,
        widget=forms.URLInput(attrs={"placeholder": "https://example.com/hooks/hinge", "autocomplete": "off"}),
        help_text="Where we POST each event, signed with the endpoint's secret.",
    )
    events = forms.MultipleChoiceField(
        label="Events",
        choices=[(e.value, f"{e.value}: {e.label}") for e in WebhookEvent],
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one event."},
    )

    def clean_url(self) -> str:
        # The shape here, so its message shows with the other fields'; the service checks the address.
        url: str = self.cleaned_data["url"].strip()
        try:
            check_shape(url)
        except UnsafeURL as exc:
            raise forms.ValidationError(str(exc)) from exc
        return url
