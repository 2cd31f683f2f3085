"""Teams in the API (docs/api.md "Teams"; who may do what: docs/api-decisions.md "Teams").

What a user may not see is a 404 (``coaching.access``); a forbidden action on what they see (a
member managing the team, a covering coach handing over a client that is not theirs) is a 403.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from coaching.access import (
    access_review_to_cosign,
    access_team_member,
    access_visible_client,
    coach_for,
    require_member,
)
from coaching.api.permissions import IsCoachOrMember
from coaching.api.schema import ID_PARAMETER, WRITE_ERRORS, errors, field_errors
from coaching.api.throttles import LoginThrottle, WritesThrottle
from coaching.api.views import ApiView
from coaching.models import Coach
from coaching.reviews.api import _render
from coaching.reviews.serializers import ReviewSerializer
from coaching.teams import services
from coaching.teams.models import TeamMembership
from coaching.teams.serializers import (
    CosignCreateSerializer,
    InviteCreateSerializer,
    InviteSerializer,
    MemberUpdateSerializer,
    ShareCreateSerializer,
    ShareSerializer,
    TeamCreateSerializer,
    TeamInviteAcceptSerializer,
    TeamMemberSerializer,
    TeamSerializer,
    TransferredSerializer,
    TransferSerializer,
)

TAG = ["teams"]
MEMBER_PARAMETER = OpenApiParameter("member", OpenApiTypes.INT, OpenApiParameter.PATH, description="A team member id.")
TOKEN_PARAMETER = OpenApiParameter("token", OpenApiTypes.STR, OpenApiParameter.PATH)


def _team_body(membership: TeamMembership) -> Any:
    return TeamSerializer(membership.team).data


@extend_schema(tags=TAG)
class TeamView(ApiView):
    permission_classes = [IsCoachOrMember]

    @extend_schema(
        summary="Your team and its members",
        description="Any member reads their own team; someone in no team gets a 404.",
        responses={200: TeamSerializer, **errors(401, 404)},
    )
    def get(self, request: Any) -> Response:
        return Response(_team_body(require_member(request.user)))

    @extend_schema(
        summary="Create a team",
        description="A coach in no team creates one and becomes its owner.",
        request=TeamCreateSerializer,
        responses={
            201: TeamSerializer,
            **errors(*WRITE_ERRORS, bad_input=field_errors({"name": "Empty, or you are already in a team."})),
        },
    )
    def post(self, request: Any) -> Response:
        if coach_for(request.user) is None:
            raise NotFound()
        serializer = TeamCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.team_create(user=request.user, name=serializer.validated_data["name"])
        return Response(_team_body(require_member(request.user)), status=status.HTTP_201_CREATED)


@extend_schema(tags=TAG)
class TeamMembersView(ApiView):
    permission_classes = [IsCoachOrMember]

    @extend_schema(
        summary="Invite a member",
        description="The owner invites `email` as a `coach` or a `reviewer`: the invite link is emailed "
        "(by a worker) and returned as `invite_url`. Another member: 403.",
        request=InviteCreateSerializer,
        responses={
            201: InviteSerializer,
            **errors(
                *WRITE_ERRORS,
                bad_input=field_errors(
                    {"email": "Not an email, or already a member.", "role": "Not coach or reviewer."}
                ),
            ),
        },
    )
    def post(self, request: Any) -> Response:
        team = require_member(request.user).team
        serializer = InviteCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        invite = services.member_invite(team=team, by=request.user, **serializer.validated_data)
        body = {
            "pk": invite.pk,
            "email": invite.email,
            "role": invite.role,
            "expires_at": invite.expires_at,
            "invite_url": services.invite_url(invite),
        }
        return Response(InviteSerializer(body).data, status=status.HTTP_201_CREATED)


@extend_schema(parameters=[ID_PARAMETER], tags=TAG)
class TeamMemberDetailView(ApiView):
    permission_classes = [IsCoachOrMember]

    @extend_schema(
        summary="Change a member's role",
        description="The owner only (another member: 403; a member of another team: 404).",
        request=MemberUpdateSerializer,
        responses={200: TeamMemberSerializer, **errors(*WRITE_ERRORS)},
    )
    def patch(self, request: Any, pk: str) -> Response:
        membership = access_team_member(request.user, pk)
        serializer = MemberUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        membership = services.member_update(
            membership=membership, by=request.user, role=serializer.validated_data["role"]
        )
        return Response(TeamMemberSerializer(membership).data)

    @extend_schema(
        summary="Remove a member",
        description="The owner only. The member's clients go back to the owner with their whole history; "
        "shares with the member end. Nothing is deleted.",
        request=None,
        responses={204: None, **errors(400, 401, 403, 404, 429)},
    )
    def delete(self, request: Any, pk: str) -> Response:
        services.member_remove(membership=access_team_member(request.user, pk), by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(parameters=[TOKEN_PARAMETER], tags=TAG)
class TeamInviteAcceptView(ApiView):
    """The invite link is the credential; signed in, you join as yourself (the invite's email)."""

    permission_classes = [AllowAny]
    throttle_classes = [LoginThrottle, WritesThrottle]
    throttle_scope = "login"

    @extend_schema(
        summary="Accept a team invite",
        description="Signed in as the invited email: join as yourself. Not signed in: `name` and "
        "`password` make the member's login. The link is spent.",
        request=TeamInviteAcceptSerializer,
        # 401: an Authorization header with a revoked or unknown token (signing in is optional).
        responses={201: TeamMemberSerializer, **errors(400, 401, 415, 429)},
    )
    def post(self, request: Any, token: str) -> Response:
        serializer = TeamInviteAcceptSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        membership = services.invite_accept(token=token, user=request.user, **serializer.validated_data)
        return Response(TeamMemberSerializer(membership).data, status=status.HTTP_201_CREATED)


def _share_body(share: Any) -> dict[str, Any]:
    membership = TeamMembership.objects.select_related("user").get(user_id=share.member_id)
    return {"member": membership.pk, "name": membership.user.name, "role": membership.role, "created": share.created}


@extend_schema(parameters=[ID_PARAMETER], tags=TAG)
class ClientSharesView(ApiView):
    permission_classes = [IsCoachOrMember]

    @extend_schema(
        summary="Share a client with a team member",
        description="The client's primary coach shares them with a member (a covering coach or a "
        "reviewer), who then reads the client's sessions, reviews and threads. Anyone else who sees "
        "the client: 403.",
        request=ShareCreateSerializer,
        responses={
            201: ShareSerializer,
            **errors(*WRITE_ERRORS, bad_input=field_errors({"member": "Not a member of your team."})),
        },
    )
    def post(self, request: Any, pk: str) -> Response:
        client = access_visible_client(request.user, pk)
        serializer = ShareCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        member = TeamMembership.objects.filter(pk=serializer.validated_data["member"]).select_related("user").first()
        if member is None:
            return Response({"member": ["Not a member of your team."]}, status=status.HTTP_400_BAD_REQUEST)
        share = services.client_share(client=client, by=request.user, member=member)
        return Response(ShareSerializer(_share_body(share)).data, status=status.HTTP_201_CREATED)


@extend_schema(parameters=[ID_PARAMETER, MEMBER_PARAMETER], tags=TAG)
class ClientShareDetailView(ApiView):
    permission_classes = [IsCoachOrMember]

    @extend_schema(
        summary="End a client's share with a member",
        description="The primary coach only (403 for anyone else who sees the client). Kept in the client's history.",
        request=None,
        responses={204: None, **errors(401, 403, 404, 429)},
    )
    def delete(self, request: Any, pk: str, member: str) -> Response:
        client = access_visible_client(request.user, pk)
        membership = access_team_member(request.user, member)
        if not services.client_unshare(client=client, by=request.user, member=membership):
            raise NotFound()
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(parameters=[ID_PARAMETER], tags=TAG)
class ClientTransferView(ApiView):
    permission_classes = [IsCoachOrMember]

    @extend_schema(
        summary="Hand a client over to another coach of the team",
        description="The primary coach or the team's owner. Every session, review, prescription and thread "
        "stays with the client; the hand-over is a line in the client's history.",
        request=TransferSerializer,
        responses={
            200: TransferredSerializer,
            **errors(*WRITE_ERRORS, bad_input=field_errors({"coach": "Not a coach of your team."})),
        },
    )
    def post(self, request: Any, pk: str) -> Response:
        client = access_visible_client(request.user, pk)
        serializer = TransferSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        member = TeamMembership.objects.filter(pk=serializer.validated_data["coach"]).first()
        coach = Coach.objects.filter(user_id=member.user_id).first() if member is not None else None
        if coach is None:
            return Response({"coach": ["Choose a coach of your team."]}, status=status.HTTP_400_BAD_REQUEST)
        client = services.client_transfer(client=client, by=request.user, to=coach)
        return Response(TransferredSerializer({"id": client.pk, "name": client.name, "coach": member.pk}).data)


@extend_schema(parameters=[ID_PARAMETER], tags=["reviews"])
class ReviewCosignView(ApiView):
    permission_classes = [IsCoachOrMember]

    @extend_schema(
        summary="Co-sign a review (the client's reviewer)",
        description="A reviewer the client is shared with co-signs the review's `pain` and `refer` proposals; "
        "until then approving it is a 409 naming them. Anyone else who sees the review: 403.",
        request=CosignCreateSerializer,
        responses={200: ReviewSerializer, **errors(*WRITE_ERRORS, 409)},
    )
    def post(self, request: Any, pk: str) -> Response:
        review = access_review_to_cosign(request.user, pk)
        serializer = CosignCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.review_cosign(review=review, reviewer=request.user, note=serializer.validated_data["note"])
        return Response(_render(request.user, review))
