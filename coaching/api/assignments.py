"""Assignments: a client's own copy of a program, and its prescription in force."""

from __future__ import annotations

from typing import Any

from django.db.models import prefetch_related_objects
from django.http import Http404
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from coaching.access import access_assignment, assignments_of, exercise_map, require_client
from coaching.api.permissions import IsClient, IsCoachForWrites
from coaching.api.schema import (
    ASSIGNMENT_ERRORS,
    ID_PARAMETER,
    LIST_ERRORS,
    READ_ERRORS,
    WRITE_ERRORS,
    errors,
    field_errors,
)
from coaching.api.serializers import (
    AssignmentCreateSerializer,
    AssignmentFilterSerializer,
    AssignmentSerializer,
    DayDueQuerySerializer,
    MyAssignmentSerializer,
    days_of,
)
from coaching.api.views import ApiListView, ApiView
from coaching.models import Assignment
from coaching.selectors import assignment_day_due, versions_in_force
from coaching.services import prescriptions
from coaching.weeks import local_today
from programs.lines import Line


def _render(assignments: list[Assignment], *, many: bool = True) -> Any:
    versions = versions_in_force([a.pk for a in assignments], timezone.localdate())
    prefetch_related_objects(assignments, "days")
    if many:
        return AssignmentSerializer(assignments, many=True, context={"versions": versions}).data
    return AssignmentSerializer(assignments[0], context={"versions": versions}).data


@extend_schema(tags=["assignments"])
class AssignmentListView(ApiListView):
    """A coach's clients' assignments (a client sees only their own); coaches create them."""

    permission_classes = [IsCoachForWrites]
    serializer_class = AssignmentSerializer

    @extend_schema(
        summary="List assignments",
        parameters=[AssignmentFilterSerializer],
        responses={200: AssignmentSerializer(many=True), **errors(*LIST_ERRORS)},
    )
    def get(self, request: Any) -> Response:
        queryset = assignments_of(request.user).select_related("client").order_by("-start_date", "-id")
        filters = AssignmentFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        if "client" in filters.validated_data:
            queryset = queryset.filter(client_id=filters.validated_data["client"])
        return self.paged(queryset, lambda page: _render(list(page)))

    @extend_schema(
        summary="Assign a program to a client",
        description="Ends the client's previous active assignment. The prescription applies from `start_date`; "
        'without `prescription`, the days and lines of `program` are copied. Without `days`, one day "Day A"; '
        "without `sessions_per_week`, the pinned weekdays plus one for each unpinned day.",
        request=AssignmentCreateSerializer,
        responses={201: AssignmentSerializer, **errors(*WRITE_ERRORS, bad_input=ASSIGNMENT_ERRORS)},
    )
    def post(self, request: Any) -> Response:
        serializer = AssignmentCreateSerializer(
            data=request.data, context={"request": request, "exercises": exercise_map(request.user)}
        )
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        program = data.get("program")
        days = days_of(data)
        if data.get("prescription"):
            lines = [Line.from_cleaned(line, data["unit"]) for line in data["prescription"]]
        else:
            # The program's week; days given in the body (renamed, pinned) replace the program's.
            program_days, lines = prescriptions.program_week(program, unit=data["unit"])
            days = days if days is not None else program_days
        assignment = prescriptions.assignment_create(
            client=data["client"],
            program=program,
            start_date=data["start_date"],
            lines=lines,
            changed_by=request.user,
            sessions_per_week=data.get("sessions_per_week"),
            unit=data["unit"],
            deload_every_weeks=data.get("deload_every_weeks"),
            load_increment_pct=data["load_increment_pct"],
            days=days,
        )
        return Response(_render([assignment], many=False), status=status.HTTP_201_CREATED)


@extend_schema(parameters=[ID_PARAMETER], tags=["assignments"])
class AssignmentDetailView(ApiView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="One assignment with its prescription in force",
        description="The assignment with its days and `prescription`: the lines in force now, in the days' "
        "order, then by position.",
        responses={200: AssignmentSerializer, **errors(*READ_ERRORS)},
    )
    def get(self, request: Any, pk: str) -> Response:
        return Response(_render([access_assignment(request.user, pk)], many=False))


@extend_schema(tags=["assignments"])
class MyAssignmentView(ApiView):
    """The signed-in client's active assignment."""

    permission_classes = [IsClient]

    @extend_schema(
        summary="Your current assignment (client)",
        description="With `day_due`: the day Today opens on, on `date` (the phone's local date).",
        parameters=[DayDueQuerySerializer],
        responses={
            200: MyAssignmentSerializer,
            **errors(
                400, *READ_ERRORS, bad_input=field_errors({"date": "A date that is not YYYY-MM-DD, or out of range."})
            ),
        },
    )
    def get(self, request: Any) -> Response:
        require_client(request.user)
        query = DayDueQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        assignment = assignments_of(request.user).filter(is_active=True).select_related("client__coach").first()
        if assignment is None:
            raise Http404("You have no assignment yet.")
        on = query.validated_data.get("date") or local_today(assignment.client.coach)
        versions = versions_in_force([assignment.pk], timezone.localdate())
        prefetch_related_objects([assignment], "days")
        context = {"versions": versions, "day_due": assignment_day_due(assignment, on)}
        return Response(MyAssignmentSerializer(assignment, context=context).data)
