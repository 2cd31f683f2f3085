"""The API's client and invite bodies (docs/api.md, "Clients"). Serializers check; services decide."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from coaching.models import Client

# Invite acceptance page (the client's phone app, coaching/sessions/phone/urls.py).
INVITE_PATH = "/invite/{token}/"


class ClientSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    email = serializers.EmailField()
    notes = serializers.CharField(allow_blank=True)
    is_active = serializers.BooleanField()
    has_login = serializers.SerializerMethodField()
    invite_url = serializers.SerializerMethodField(
        help_text="The link the client opens to set a password (also emailed to them); it stops working at "
        "`invite_expires_at`. Always present: null once the client has accepted."
    )
    invite_expires_at = serializers.DateTimeField(allow_null=True)

    def get_has_login(self, client: Client) -> bool:
        return client.user_id is not None

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_invite_url(self, client: Client) -> str | None:
        if not client.invite_token:
            return None
        return self.context["request"].build_absolute_uri(INVITE_PATH.format(token=client.invite_token))


class ClientCreateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=150)
    email = serializers.EmailField(max_length=254)
    notes = serializers.CharField(max_length=5000, required=False, allow_blank=True)


class InviteAcceptSerializer(serializers.Serializer):
    password = serializers.CharField(max_length=128, trim_whitespace=False, style={"input_type": "password"})


class InviteAcceptedSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="The client's id.")
    name = serializers.CharField()
    email = serializers.EmailField(help_text="Sign in with this email and the password just set.")


class RosterUploadSerializer(serializers.Serializer):
    """The multipart form of a roster import."""

    file = serializers.FileField(help_text="A CSV with the columns name, email and optionally notes (header row).")


class RosterQuerySerializer(serializers.Serializer):
    dry_run = serializers.BooleanField(
        required=False, default=False, help_text="true: check every row and write nothing (statuses valid/rejected)."
    )


class RosterResultSerializer(serializers.Serializer):
    row = serializers.IntegerField(help_text="The row in the file, as a spreadsheet numbers it: the header is row 1.")
    status = serializers.ChoiceField(
        choices=["created", "valid", "rejected"],
        help_text="created: the client was added and invited. valid: would be created (dry run only). "
        "rejected: nothing was created for this row; see errors.",
    )
    email = serializers.CharField(help_text="The row's email (lower-cased).")
    id = serializers.IntegerField(required=False, help_text="The new client's id (status created).")
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="Per column (name, email, notes), what is wrong with the row (status rejected).",
    )


class RosterResponseSerializer(serializers.Serializer):
    results = RosterResultSerializer(many=True, help_text="One result per client row of the file, in order.")
