"""Serializer fields the API's bodies and query strings share."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from coaching.api.openapi import ref
from coaching.parsing import MAX_ID, ascii_digits


class IdField(serializers.IntegerField):
    """A database id: a JSON integer, or a string of ASCII digits (a query string's).

    DRF's ``IntegerField`` passes strings to ``int()``, which also reads "٣" as 3 and "1_0" as 10.
    """

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> int:
        if isinstance(data, str) and not ascii_digits(data):
            self.fail("invalid")
        return super().to_internal_value(data)


@extend_schema_field(ref("FieldErrors"))
class FieldErrorsField(serializers.DictField):
    """Field errors in a response body (an item's), documented as the one ``FieldErrors`` component."""


@extend_schema_field(ref("SessionErrors"))
class SessionErrorsField(serializers.DictField):
    """A rejected session's field errors, as a sync result carries them (``SessionErrors``)."""
