"""``PUT /api/v1/sessions/{uuid}/sets/{set_id}/coach-faults/`` (docs/api.md "Conversation and form")."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from coaching.access import access_set_tagging
from coaching.api.schema import WRITE_ERRORS, errors, field_errors
from coaching.api.views import ApiView
from coaching.sessions.faults.services import MAX_TAGS, coach_faults_replace
from coaching.sessions.serializers import SetOutSerializer


class CoachFaultsSerializer(serializers.Serializer):
    faults = serializers.ListField(
        child=serializers.CharField(max_length=40),
        max_length=MAX_TAGS,
        allow_empty=True,
        help_text="Your tags on this set, all of them: slugs of the fixed fault list ([] removes yours).",
    )


@extend_schema(
    parameters=[
        OpenApiParameter("session_id", OpenApiTypes.UUID, OpenApiParameter.PATH),
        OpenApiParameter("set_id", OpenApiTypes.UUID, OpenApiParameter.PATH, description="The set's `id`."),
    ],
    tags=["sessions"],
)
class CoachFaultsView(ApiView):
    @extend_schema(
        operation_id="sessions_sets_coach_faults_update",
        summary="Tag faults on a logged set",
        description="Replaces your own tags on the set (other taggers' tags and the client's ticks stay), "
        "leaves `client_modified_at` alone and moves the session up the change feed. Only the client's "
        "coach may tag; for anyone else (the client too), a deleted session or an unknown set it is a 404.",
        request=CoachFaultsSerializer,
        responses={
            200: SetOutSerializer,
            **errors(*WRITE_ERRORS, bad_input=field_errors({"faults": "A slug not in the fixed fault list."})),
        },
    )
    def put(self, request: Request, session_id: str, set_id: str) -> Response:
        session, logged_set, role = access_set_tagging(request.user, session_id, set_id)
        serializer = CoachFaultsSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        tagged = coach_faults_replace(
            session=session,
            logged_set=logged_set,
            user=request.user,
            role=role,
            faults=serializer.validated_data["faults"],
        )
        return Response(SetOutSerializer(tagged).data)
