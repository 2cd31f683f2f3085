"""Team API bodies (docs/api.md "Teams")."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from coaching.api.fields import IdField

# The roles an invite or a role change gives (the owner stays the owner).
INVITE_ROLES = [("coach", "coach"), ("reviewer", "reviewer")]


class TeamMemberSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="user.name")
    email = serializers.EmailField(source="user.email")
    role = serializers.CharField()
    joined = serializers.DateTimeField()


class TeamSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    members = serializers.SerializerMethodField()

    @extend_schema_field(TeamMemberSerializer(many=True))
    def get_members(self, team: Any) -> list[dict[str, Any]]:
        return TeamMemberSerializer(team.memberships.select_related("user").order_by("joined", "id"), many=True).data


class TeamCreateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=150)


class InviteCreateSerializer(serializers.Serializer):
    email = serializers.EmailField()
    role = serializers.ChoiceField(choices=INVITE_ROLES)


class InviteSerializer(serializers.Serializer):
    invite = serializers.IntegerField(source="pk")
    email = serializers.EmailField()
    role = serializers.CharField()
    expires_at = serializers.DateTimeField()
    invite_url = serializers.CharField()


class TeamInviteAcceptSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=150, required=False, allow_blank=True, default="")
    password = serializers.CharField(required=False, allow_blank=True, default="", write_only=True)


class MemberUpdateSerializer(serializers.Serializer):
    role = serializers.ChoiceField(choices=INVITE_ROLES)


class ShareCreateSerializer(serializers.Serializer):
    member = IdField()


class ShareSerializer(serializers.Serializer):
    member = serializers.IntegerField()
    name = serializers.CharField()
    role = serializers.CharField()
    created = serializers.DateTimeField()


class TransferSerializer(serializers.Serializer):
    coach = IdField(help_text="The team member id of a coach of the team (GET /team/).")


class TransferredSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    coach = serializers.IntegerField(help_text="The new primary coach's team member id.")


class CosignCreateSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class CosignSerializer(serializers.Serializer):
    reviewer = serializers.CharField()
    at = serializers.DateTimeField()
    note = serializers.CharField()
