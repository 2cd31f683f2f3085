"""Rows the API reads but other code writes: weekly reviews and their items, made directly."""

from __future__ import annotations

import datetime as dt
from typing import Any

from knox.models import AuthToken
from rest_framework.test import APIClient

from coaching.models import Assignment, ReviewItem, WeeklyReview
from coaching.selectors import version_in_force
from programs.lines import Line

WEEK = dt.date(2026, 11, 16)


def token_client(user: Any) -> APIClient:
    """An API client signed in with a fresh knox token, as an app would be."""
    _, token = AuthToken.objects.create(user=user)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return api


def make_review(assignment: Assignment, week_start: dt.date = WEEK, status: str = "pending") -> WeeklyReview:
    """A review whose items propose +2.5 kg (or +1 set) on each current line."""
    review = WeeklyReview.objects.create(
        assignment=assignment,
        week_start=week_start,
        status=status,
        decided_at=None if status == "pending" else dt.datetime(2026, 11, 23, 7, tzinfo=dt.UTC),
        metrics={
            "adherence_pct": 66.7,
            "adherence_band": "fair",
            "sessions_logged": 2,
            "sessions_prescribed": 3,
            "exercises": {"romanian-deadlift": {"sets": 6, "volume_load_kg": 1224.7}},
        },
    )
    version = version_in_force(assignment, week_start)
    assert version is not None
    items = []
    for position, line in enumerate(version.lines.select_related("exercise").order_by("position")):
        current = Line.from_row(line).to_json()
        proposed = {**current, "load": current["load"] + 2.5} if current["load"] else {**current, "sets": 4}
        items.append(
            ReviewItem(
                review=review,
                position=position,
                exercise=line.exercise,
                action="progress",
                flags=[],
                rule="progress",
                current=current,
                proposed=proposed,
                rationale=f"Progress {line.exercise.slug}: both last sessions qualified.",
            )
        )
    ReviewItem.objects.bulk_create(items)
    return review
