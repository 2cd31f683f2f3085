"""The calendar feed's link through the API: the client's own (``me/calendar/``) and, for their
coach, a client's (``clients/{id}/calendar/``); each can be reset (the old URL then answers 404).
The same services as the phone's "Add to my calendar" page."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from coaching.access import access_client, require_client
from coaching.api.permissions import IsClient, IsCoach
from coaching.api.schema import READ_ERRORS, errors
from coaching.api.views import ApiView
from coaching.calendar_feed.links import feed_links
from coaching.calendar_feed.services import calendar_feed_for, calendar_feed_reset
from coaching.models import Client

TAG = ["calendar"]
CLIENT_ID = OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH, description="The client.")
FEED_TEXT = (
    "The private iCalendar feed (`.ics`) of the client's planned days for the next 8 weeks, for a phone "
    "calendar to subscribe to. The URL's token is its only credential (calendar apps cannot sign in): "
    "treat it as a secret. The feed is made on first use; the same URL is answered until it is reset."
)


class CalendarLinkSerializer(serializers.Serializer):
    url = serializers.URLField(help_text="The feed's https address (paste it into a calendar app).")
    webcal_url = serializers.CharField(help_text="The same feed as webcal://, which opens the phone's calendar app.")


def _body(request: Request, token: str) -> dict[str, str]:
    links = feed_links(request, token)
    return {"url": links["https_url"], "webcal_url": links["webcal_url"]}


def _answer(request: Request, token: str) -> Response:
    response = Response(CalendarLinkSerializer(_body(request, token)).data)
    response["Cache-Control"] = "private, no-store"  # it carries the feed's secret URL
    return response


def _show(request: Request, client: Client) -> Response:
    _, token = calendar_feed_for(client=client)
    return _answer(request, token)


def _reset(request: Request, client: Client) -> Response:
    _, token = calendar_feed_reset(client=client)
    return _answer(request, token)


@extend_schema(tags=TAG)
class MyCalendarView(ApiView):
    permission_classes = [IsClient]

    @extend_schema(
        operation_id="me_calendar_retrieve",
        summary="Your calendar feed's link (client)",
        description=FEED_TEXT,
        responses={200: CalendarLinkSerializer, **errors(*READ_ERRORS)},
    )
    def get(self, request: Request) -> Response:
        return _show(request, require_client(request.user))


@extend_schema(tags=TAG)
class MyCalendarResetView(ApiView):
    permission_classes = [IsClient]

    @extend_schema(
        operation_id="me_calendar_reset_create",
        summary="Reset your calendar feed's link (client)",
        description="A new link; the old one answers 404 from now on (calendars subscribed to it stop updating). "
        "No body.",
        request=None,
        responses={200: CalendarLinkSerializer, **errors(401, 404, 429)},
    )
    def post(self, request: Request) -> Response:
        return _reset(request, require_client(request.user))


@extend_schema(tags=TAG, parameters=[CLIENT_ID])
class ClientCalendarView(ApiView):
    permission_classes = [IsCoach]

    @extend_schema(
        operation_id="clients_calendar_retrieve",
        summary="A client's calendar feed link (coach)",
        description=FEED_TEXT + " Another coach's client is a 404.",
        responses={200: CalendarLinkSerializer, **errors(*READ_ERRORS)},
    )
    def get(self, request: Request, pk: str) -> Response:
        return _show(request, access_client(request.user, pk))


@extend_schema(tags=TAG, parameters=[CLIENT_ID])
class ClientCalendarResetView(ApiView):
    permission_classes = [IsCoach]

    @extend_schema(
        operation_id="clients_calendar_reset_create",
        summary="Reset a client's calendar feed link (coach)",
        description="A new link for the client (say a phone was lost); the old one answers 404 from now on. No body.",
        request=None,
        responses={200: CalendarLinkSerializer, **errors(401, 404, 429)},
    )
    def post(self, request: Request, pk: str) -> Response:
        return _reset(request, access_client(request.user, pk))
