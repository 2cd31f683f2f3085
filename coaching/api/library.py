"""Exercise library and program templates (coach)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, QuerySet
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.response import Response

from coaching.access import access_template, exercise_map, exercises_for, templates_of
from coaching.api.permissions import IsCoach, IsCoachForWrites
from coaching.api.schema import ID_PARAMETER, LIST_ERRORS, PROGRAM_ERRORS, READ_ERRORS, WRITE_ERRORS, errors
from coaching.api.serializers import (
    ExerciseCreateSerializer,
    ExerciseSerializer,
    ProgramSerializer,
    ProgramWriteSerializer,
    days_of,
)
from coaching.api.views import ApiListView, ApiView
from programs import services
from programs.lines import Line
from programs.models import ProgramLine, ProgramTemplate


@extend_schema(tags=["library"])
class ExerciseListView(ApiListView):
    """The shared hinge library plus the coach's own exercises (a client sees their coach's)."""

    permission_classes = [IsCoachForWrites]
    serializer_class = ExerciseSerializer

    @extend_schema(summary="List exercises", responses={200: ExerciseSerializer(many=True), **errors(*LIST_ERRORS)})
    def get(self, request: Any) -> Response:
        queryset = exercises_for(request.user).select_related("easier", "harder").order_by("name", "id")
        return self.paged(queryset, lambda page: ExerciseSerializer(page, many=True).data)

    @extend_schema(
        summary="Add your own exercise",
        request=ExerciseCreateSerializer,
        responses={201: ExerciseSerializer, **errors(*WRITE_ERRORS)},
    )
    def post(self, request: Any) -> Response:
        serializer = ExerciseCreateSerializer(data=request.data, context={"exercises": exercise_map(request.user)})
        serializer.is_valid(raise_exception=True)
        exercise = services.exercise_create(owner=request.user, **serializer.validated_data)
        return Response(ExerciseSerializer(exercise).data, status=status.HTTP_201_CREATED)


def _programs(user: Any) -> QuerySet[ProgramTemplate]:
    lines = ProgramLine.objects.select_related("exercise").order_by("position")
    return templates_of(user).prefetch_related(Prefetch("lines", queryset=lines), "days")


@contextmanager
def _program_fields() -> Iterator[None]:
    """The week's validator names a template's lines ``prescription``; a program body calls them ``lines``."""
    try:
        yield
    except ValidationError as exc:
        if not hasattr(exc, "error_dict"):
            raise
        renamed = {"lines" if key == "prescription" else key: value for key, value in exc.message_dict.items()}
        raise ValidationError(renamed) from exc


def _lines(validated: dict[str, Any]) -> list[Any] | None:
    if "lines" not in validated:
        return None
    return [Line.from_cleaned(line) for line in validated["lines"]]


@extend_schema(tags=["programs"])
class ProgramListView(ApiListView):
    permission_classes = [IsCoach]
    serializer_class = ProgramSerializer

    @extend_schema(
        summary="List your programs",
        description="Your program templates with their days and lines, by name, paged.",
        responses={200: ProgramSerializer(many=True), **errors(*LIST_ERRORS)},
    )
    def get(self, request: Any) -> Response:
        queryset = _programs(request.user).order_by("name", "id")
        return self.paged(queryset, lambda page: ProgramSerializer(page, many=True).data)

    @extend_schema(
        summary="Create a program",
        description='A template of training days and lines; a body without `days` is one day named "Day A". '
        "The week's rules (1–7 days, each with a line, weekdays on one day at most) answer 400 under `days` "
        "and `lines`.",
        request=ProgramWriteSerializer,
        responses={201: ProgramSerializer, **errors(*WRITE_ERRORS, bad_input=PROGRAM_ERRORS)},
    )
    def post(self, request: Any) -> Response:
        serializer = ProgramWriteSerializer(
            data=request.data, context={"exercises": exercise_map(request.user), "unit": "kg"}
        )
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        with _program_fields():
            template = services.template_create(
                owner=request.user,
                name=data["name"],
                notes=data.get("notes", ""),
                lines=_lines(data) or (),
                days=days_of(data),
            )
        return Response(ProgramSerializer(_programs(request.user).get(pk=template.pk)).data, status=201)


@extend_schema(parameters=[ID_PARAMETER], tags=["programs"])
class ProgramDetailView(ApiView):
    permission_classes = [IsCoach]

    @extend_schema(
        summary="One program with its days and lines",
        description="One of your program templates.",
        responses={200: ProgramSerializer, **errors(*READ_ERRORS)},
    )
    def get(self, request: Any, pk: str) -> Response:
        template = access_template(request.user, pk)
        return Response(ProgramSerializer(_programs(request.user).get(pk=template.pk)).data)

    @extend_schema(
        summary="Change a program",
        description="Only the fields given change; `lines`, when given, replaces all the lines in order, and "
        "`days`, when given, all the days (the lines, given or kept, must fit them).",
        request=ProgramWriteSerializer(partial=True),
        responses={200: ProgramSerializer, **errors(*WRITE_ERRORS, bad_input=PROGRAM_ERRORS)},
    )
    def patch(self, request: Any, pk: str) -> Response:
        template = access_template(request.user, pk)
        serializer = ProgramWriteSerializer(
            data=request.data, partial=True, context={"exercises": exercise_map(request.user), "unit": "kg"}
        )
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        with _program_fields():
            services.template_update(
                template=template,
                name=data.get("name"),
                notes=data.get("notes"),
                lines=_lines(data),
                days=days_of(data),
            )
        return Response(ProgramSerializer(_programs(request.user).get(pk=template.pk)).data)

    @extend_schema(
        summary="Delete a program",
        description="Assignments made from it keep their own copy of the lines.",
        responses={204: OpenApiResponse(description="Deleted."), **errors(401, 403, 404, 429)},
    )
    def delete(self, request: Any, pk: str) -> Response:
        services.template_delete(template=access_template(request.user, pk))
        return Response(status=status.HTTP_204_NO_CONTENT)
