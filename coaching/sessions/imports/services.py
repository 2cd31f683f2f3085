"""The dry run (parse, match the names to the library, keep the parsed rows) and the commit
(through ``sessions_apply``: the sync's validation and change feed; it never deletes a set).

Query counts are flat in the file's size: the dry run and its plan read the coach's aliases, the
library and the sessions already imported once each; the commit adds one upsert of the aliases
and ``sessions_apply``'s constant count per 500 sessions.
"""

from __future__ import annotations

import datetime as dt
import difflib
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from coaching.access import exercises_for, require_coach
from coaching.models import Client, LoggedSession
from coaching.sessions.imports import hevy, hinge, strong
from coaching.sessions.imports.common import ImportFileError, ParsedFile, decode, fold, session_id, to_json
from coaching.sessions.imports.models import ExerciseAlias, SessionImport
from coaching.sessions.services import SessionInput, SetInput, sessions_apply
from coaching.weeks import is_time_zone, zone_named
from programs.models import Exercise

PARSERS: dict[str, Callable[..., ParsedFile]] = {"hinge": hinge.parse, "strong": strong.parse, "hevy": hevy.parse}
EXPIRES_AFTER = dt.timedelta(hours=24)
SUGGESTIONS = 5
BATCH = 500  # sessions per ``sessions_apply`` call (the sync's own limit)


class ImportMappingError(Exception):
    """The commit's ``exercise_map`` is incomplete or names what is not there: name → messages."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__(errors)
        self.errors = errors


@dataclass(frozen=True)
class Unmatched:
    name: str
    sets: int
    suggestions: list[str]  # slugs, the coach's own exercises first


@dataclass
class Plan:
    """What committing the import would do, as the dry run reports it."""

    sessions: int = 0
    new_sessions: int = 0
    sets: int = 0
    matched: dict[str, str] = field(default_factory=dict)  # name → slug (remembered or the same name)
    unmatched: list[Unmatched] = field(default_factory=list)
    errors: list[dict[str, Any]] = field(default_factory=list)
    warmups_skipped: int = 0

    @property
    def imported_before(self) -> int:
        return self.sessions - self.new_sessions


def _library(user: Any) -> list[Exercise]:
    """The exercises the coach may log, their own first (they win a name or slug they share)."""
    return sorted(exercises_for(user), key=lambda e: (e.owner_id is None, e.name, e.pk))


def _suggest(name: str, library: list[Exercise]) -> list[str]:
    """Slugs whose name or slug is close to ``name`` (difflib), the coach's own first."""
    wanted = fold(name)
    scored: dict[str, tuple[bool, float]] = {}
    for exercise in library:
        ratio = max(
            difflib.SequenceMatcher(None, wanted, fold(exercise.name)).ratio(),
            difflib.SequenceMatcher(None, slugify(name), exercise.slug).ratio(),
        )
        if ratio >= 0.45 and exercise.slug not in scored:
            scored[exercise.slug] = (exercise.owner_id is None, -ratio)
    return sorted(scored, key=lambda slug: scored[slug])[:SUGGESTIONS]


def _match(coach_id: int, names: Mapping[str, int], library: list[Exercise]) -> tuple[dict[str, str], list[Unmatched]]:
    """Each name's exercise: a remembered alias, else the library's exercise of that name or slug."""
    aliases = dict(
        ExerciseAlias.objects.filter(coach_id=coach_id, name__in=[fold(n) for n in names]).values_list(
            "name", "exercise__slug"
        )
    )
    slugs = {e.slug for e in library}
    by_name: dict[str, str] = {}
    for exercise in library:  # own first: setdefault keeps the first
        by_name.setdefault(fold(exercise.name), exercise.slug)
        by_name.setdefault(exercise.slug, exercise.slug)
    matched: dict[str, str] = {}
    unmatched: list[Unmatched] = []
    for name, count in names.items():
        slug = aliases.get(fold(name))
        if slug not in slugs:
            slug = by_name.get(fold(name)) or by_name.get(slugify(name))
        if slug:
            matched[name] = slug
        else:
            unmatched.append(Unmatched(name=name, sets=count, suggestions=_suggest(name, library)))
    return matched, unmatched


def _names(payload: dict[str, Any]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for workout in payload["workouts"]:
        for s in workout["sets"]:
            counts[s["name"]] = counts.get(s["name"], 0) + 1
    return counts


def import_plan(*, user: Any, session_import: SessionImport) -> Plan:
    payload = session_import.payload
    ids = [w["session_id"] for w in payload["workouts"]]
    existing = set(
        LoggedSession.objects.filter(client_id=session_import.client_id, pk__in=ids).values_list("pk", flat=True)
    )
    matched, unmatched = _match(session_import.coach_id, _names(payload), _library(user))
    return Plan(
        sessions=len(ids),
        new_sessions=sum(1 for i in ids if uuid.UUID(i) not in existing),
        sets=sum(len(w["sets"]) for w in payload["workouts"]),
        matched=matched,
        unmatched=unmatched,
        errors=payload["errors"],
        warmups_skipped=payload["warmups_skipped"],
    )


def import_dry_run(
    *,
    user: Any,
    client: Client,
    data: bytes | str,
    format: str,
    time_zone: str | None = None,
    unit: str = "kg",
    include_warmups: bool = False,
    file_name: str = "",
) -> SessionImport:
    """Parse the file and keep its rows for the commit; nothing of the client's is written.

    ``ImportFileError`` when the file as a whole cannot be read (nothing is kept).
    """
    coach = require_coach(user)
    zone_name = time_zone or coach.time_zone
    if not is_time_zone(zone_name):
        raise ValidationError({"time_zone": [f"“{zone_name}” is not a time zone."]})
    tz = zone_named(zone_name)
    text = decode(data)
    parsed = PARSERS[format](text, unit=unit, tz=tz, include_warmups=include_warmups)
    if not parsed.workouts and not parsed.errors:
        raise ImportFileError("The file has a header but no sets.")
    payload = to_json(parsed)
    for workout in payload["workouts"]:
        workout["session_id"] = workout["id"] or str(session_id(client_id=client.pk, format=format, key=workout["key"]))
    return SessionImport.objects.create(
        coach=coach,
        client=client,
        format=format,
        time_zone=zone_name,
        unit=unit,
        include_warmups=include_warmups,
        file_name=file_name[:255],
        payload=payload,
        expires_at=timezone.now() + EXPIRES_AFTER,
    )


def _set_inputs(s: dict[str, Any], exercise: Exercise) -> list[SetInput]:
    """A file's set as ours: reps or seconds as the exercise counts them; a one-side-at-a-time
    exercise's set (the other apps do not say a side) as a left and a right set."""
    holds = exercise.measure == Exercise.Measure.SECONDS
    values = {
        "exercise": exercise.slug,
        "reps": None if holds else (s["reps"] if s["reps"] is not None else 0),
        "seconds": (s["seconds"] or 0) if holds else None,
        "load": Decimal(s["load"]),
        "unit": s["unit"],
        "rpe": None if s["rpe"] is None else Decimal(s["rpe"]),
        "tempo_kept": s["tempo_kept"],
        "faults": tuple(s["faults"]),
        "pain": s["pain"],
    }
    per_side = exercise.laterality == Exercise.Laterality.PER_SIDE
    if per_side and s["side"] == "both":
        return [SetInput(side="left", **values), SetInput(side="right", **values)]
    return [SetInput(side=s["side"], **values)]


def _exercise_map_errors(
    given: Mapping[str, str | None], plan: Plan, library: dict[str, Exercise]
) -> dict[str, list[str]]:
    names = {u.name for u in plan.unmatched} | set(plan.matched)
    errors: dict[str, list[str]] = {}
    for name, slug in given.items():
        if name not in names:
            errors[name] = ["This name is not in the file."]
        elif slug and slug not in library:
            errors[name] = [f"Unknown exercise “{slug}”."]
    missing = [u.name for u in plan.unmatched if u.name not in given]
    if missing:
        errors["non_field_errors"] = [f"Choose an exercise (or skip) for: {', '.join(missing)}."]
    return errors


@transaction.atomic
def import_commit(
    *, user: Any, session_import: SessionImport, exercise_map: Mapping[str, str | None] | None = None
) -> dict[str, Any]:
    """Write the dry run's sessions through ``sessions_apply`` and remember the coach's mapping.

    ``exercise_map`` maps a file's name to a slug, or to None/"" to leave that name's sets out; every
    unmatched name needs an entry (else ``ImportMappingError``). A session
    already imported with the same sets is ``unchanged``; one whose sets differ at the same time
    is a ``conflict`` and keeps its stored sets.
    """
    given = dict(exercise_map or {})
    plan = import_plan(user=user, session_import=session_import)
    library = {e.slug: e for e in reversed(_library(user))}  # reversed: the own exercise is set last, wins
    errors = _exercise_map_errors(given, plan, library)
    if errors:
        raise ImportMappingError(errors)
    client = session_import.client
    assignment = client.assignments.order_by("-is_active", "-start_date", "-id").first()
    if assignment is None:
        raise ValidationError({"non_field_errors": ["This client has no program assigned: assign one first."]})
    remembered = [
        ExerciseAlias(coach_id=session_import.coach_id, name=fold(name), exercise=library[slug])
        for name, slug in given.items()
        if slug
    ]
    if remembered:
        ExerciseAlias.objects.bulk_create(
            remembered,
            update_conflicts=True,
            unique_fields=["coach", "name"],
            update_fields=["exercise", "updated_at"],
        )
    mapping = plan.matched | given
    items: list[SessionInput] = []
    for workout in session_import.payload["workouts"]:
        sets = [
            one for s in workout["sets"] if (slug := mapping.get(s["name"])) for one in _set_inputs(s, library[slug])
        ]
        start = dt.datetime.fromisoformat(workout["start"])
        modified = dt.datetime.fromisoformat(workout["modified"]) if workout["modified"] else start
        items.append(
            SessionInput(
                id=uuid.UUID(workout["session_id"]),
                assignment_id=assignment.pk,
                performed_at=start,
                client_modified_at=modified,
                notes=workout["notes"],
                sets=tuple(sets),
                day=workout["day"],
            )
        )
    results = []
    for start_at in range(0, len(items), BATCH):
        results.extend(sessions_apply(user=user, items=items[start_at : start_at + BATCH], tie_keeps_sets=True))
    sessions = [{"id": str(r.id), "status": r.status, **({"errors": r.errors} if r.errors else {})} for r in results]
    counts: dict[str, int] = {}
    for r in results:
        counts[r.status] = counts.get(r.status, 0) + 1
    report = {"counts": counts, "sets": sum(len(i.sets) for i in items), "sessions": sessions}
    session_import.status = SessionImport.Status.COMMITTED
    session_import.committed_at = timezone.now()
    session_import.report = report
    session_import.save(update_fields=["status", "committed_at", "report"])
    return report


__all__ = [
    "ImportFileError",
    "ImportMappingError",
    "Plan",
    "Unmatched",
    "import_commit",
    "import_dry_run",
    "import_plan",
]
