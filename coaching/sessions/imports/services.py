"""The dry run (parse, match the names to the library, keep the parsed rows) and the commit
(through ``sessions_apply``: the sync's validation and change feed; it never deletes a set).

Query counts are flat in the file's size: the dry run and its plan read the coach's aliases, the
library and the sessions already imported once each; the commit adds one upsert of the aliases
and ``sessions_apply``'s constant count per 500 sessions.
"""

from __future__ import annotations

import datetime as dt
import difflib
import logging
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.text import slugify

from coaching.access import exercises_for, require_coach
from coaching.models import Client, LoggedSession
from coaching.sessions.imports import hevy, hinge, strong
from coaching.sessions.imports.common import ImportFileError, ParsedFile, decode, fold, session_id, to_json
from coaching.sessions.imports.models import ExerciseAlias, SessionImport
from coaching.sessions.services import SessionInput, SetInput, sessions_apply
from coaching.transient import TRANSIENT
from coaching.weeks import is_time_zone, zone_named
from programs.models import Exercise

PARSERS: dict[str, Callable[..., ParsedFile]] = {"hinge": hinge.parse, "strong": strong.parse, "hevy": hevy.parse}
EXPIRES_AFTER = dt.timedelta(hours=24)
SUGGESTIONS = 5
BATCH = 500  # sessions per ``sessions_apply`` call (the sync's own limit)
ID_QUERY_CHUNK = 5000
logger = logging.getLogger(__name__)


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


def import_plan(*, user: Any, session_import: SessionImport, library: list[Exercise] | None = None) -> Plan:
    payload = session_import.payload
    ids = [w["session_id"] for w in payload["workouts"]]
    existing: set[uuid.UUID] = set()
    for at in range(0, len(ids), ID_QUERY_CHUNK):  # SQLite's bound on a statement's variables
        existing.update(
            LoggedSession.objects.filter(
                client_id=session_import.client_id, pk__in=ids[at : at + ID_QUERY_CHUNK]
            ).values_list("pk", flat=True)
        )
    matched, unmatched = _match(session_import.coach_id, _names(payload), library or _library(user))
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


def inline_max() -> int:
    """Imports of at most this many sessions are written in the request; bigger ones by a task."""
    return int(getattr(settings, "IMPORTS_INLINE_MAX_SESSIONS", BATCH))


def chunk_size() -> int:
    """Sessions per chunk of a commit: each chunk is one transaction."""
    return max(1, min(BATCH, int(getattr(settings, "IMPORTS_CHUNK_SESSIONS", BATCH))))


@dataclass
class _Mapping:
    """What the commit writes each name as, and the client's assignment the sessions log under."""

    mapping: dict[str, str | None]
    library: dict[str, Exercise]
    assignment_id: int


def _mapping(*, user: Any, session_import: SessionImport, given: Mapping[str, str | None]) -> _Mapping:
    """Check ``given`` against the file (``ImportMappingError``) and the client's assignment."""
    exercises = _library(user)
    plan = import_plan(user=user, session_import=session_import, library=exercises)
    library = {e.slug: e for e in reversed(exercises)}  # reversed: the own exercise is set last, wins
    errors = _exercise_map_errors(given, plan, library)
    if errors:
        raise ImportMappingError(errors)
    assignment = session_import.client.assignments.order_by("-is_active", "-start_date", "-id").first()
    if assignment is None:
        raise ValidationError({"non_field_errors": ["This client has no program assigned: assign one first."]})
    mapping: dict[str, str | None] = {**plan.matched, **given}
    return _Mapping(mapping=mapping, library=library, assignment_id=assignment.pk)


def _remember(session_import: SessionImport, given: Mapping[str, str | None], library: dict[str, Exercise]) -> None:
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


def _items(workouts: list[dict[str, Any]], m: _Mapping) -> list[SessionInput]:
    items: list[SessionInput] = []
    for workout in workouts:
        sets = [
            one
            for s in workout["sets"]
            if (slug := m.mapping.get(s["name"]))
            for one in _set_inputs(s, m.library[slug])
        ]
        start = dt.datetime.fromisoformat(workout["start"])
        modified = dt.datetime.fromisoformat(workout["modified"]) if workout["modified"] else start
        items.append(
            SessionInput(
                id=uuid.UUID(workout["session_id"]),
                assignment_id=m.assignment_id,
                performed_at=start,
                client_modified_at=modified,
                notes=workout["notes"],
                sets=tuple(sets),
                day=workout["day"],
            )
        )
    return items


# A task's report lists only the sessions a coach must look at (not created or unchanged), at most this many.
REPORT_SESSIONS = 1000
QUIET = {"created", "updated", "unchanged"}


def _report_session(r: Any) -> dict[str, Any]:
    return {"id": str(r.id), "status": r.status, **({"errors": r.errors} if r.errors else {})}


def _add_results(report: dict[str, Any], results: list[Any], sets: int, *, every_session: bool) -> dict[str, Any]:
    counts: dict[str, int] = dict(report.get("counts", {}))
    for r in results:
        counts[r.status] = counts.get(r.status, 0) + 1
    listed = list(report.get("sessions", []))
    for r in results:
        if every_session or (r.status not in QUIET and len(listed) < REPORT_SESSIONS):
            listed.append(_report_session(r))
    return {"counts": counts, "sets": report.get("sets", 0) + sets, "sessions": listed}


class _Moved(Exception):
    """Another runner wrote this chunk first (a redelivered task): this one stops."""


def _write_chunk(
    *, user: Any, import_id: int, start: int, items: list[SessionInput], every_session: bool
) -> dict[str, Any]:
    """One chunk in one transaction: its sessions and the import's progress, or neither; the
    import's report so far is returned.

    The import row is locked first and must still be at ``start``, so two runners of one import
    (a task delivered twice) never write or count a chunk twice."""
    with transaction.atomic():
        row = (
            SessionImport.objects.select_for_update()
            .filter(pk=import_id)
            .values("progress_done", "status", "report")
            .first()
        )
        if row is None or row["progress_done"] != start or row["status"] != SessionImport.Status.COMMITTING:
            raise _Moved
        results = sessions_apply(user=user, items=items, tie_keeps_sets=True)
        report = _add_results(row["report"], results, sum(len(i.sets) for i in items), every_session=every_session)
        SessionImport.objects.filter(pk=import_id).update(progress_done=start + len(items), report=report)
    return report


def _finish(import_id: int) -> None:
    SessionImport.objects.filter(pk=import_id, status=SessionImport.Status.COMMITTING).filter(
        progress_done=models.F("progress_total")
    ).update(status=SessionImport.Status.COMMITTED, committed_at=timezone.now(), error="")


def import_fail(*, import_id: int, message: str) -> None:
    """Stop the import with ``message``; what its chunks wrote stays (a re-commit resumes)."""
    SessionImport.objects.filter(pk=import_id, status=SessionImport.Status.COMMITTING).update(
        status=SessionImport.Status.FAILED, error=message[:2000]
    )


def import_commit_run(*, import_id: int, budget_seconds: float | None = None) -> bool:
    """Write a committing import's remaining sessions, chunk by chunk; True when none remain.

    With ``budget_seconds`` it stops after the chunk that spends it (the task enqueues itself
    again, so no run comes near the task's time limit). A chunk that fails for another reason
    than a passing one (``TRANSIENT``, retried by the task) marks the import failed with the
    message; the chunks before it stay written.
    """
    session_import = SessionImport.objects.select_related("coach__user", "client").filter(pk=import_id).first()
    if session_import is None or session_import.status != SessionImport.Status.COMMITTING:
        return True
    user = session_import.coach.user
    began = time.monotonic()
    try:
        m = _mapping(user=user, session_import=session_import, given=session_import.exercise_map)
    except ImportMappingError as exc:  # an exercise deleted since the commit was asked for
        reasons = "; ".join(f"{name}: {' '.join(messages)}" for name, messages in exc.errors.items())
        import_fail(import_id=import_id, message=f"The exercise mapping no longer fits your library ({reasons}).")
        return True
    except ValidationError as exc:
        import_fail(import_id=import_id, message=" ".join(exc.messages))
        return True
    workouts = session_import.payload["workouts"]
    start = session_import.progress_done
    size = chunk_size()
    while start < len(workouts):
        chunk = workouts[start : start + size]
        try:
            _write_chunk(user=user, import_id=import_id, start=start, items=_items(chunk, m), every_session=False)
        except _Moved:
            return True  # the other runner goes on
        except TRANSIENT:
            raise
        except Exception as exc:
            logger.exception("session import %s: chunk at %s failed", import_id, start)
            import_fail(
                import_id=import_id,
                message=(
                    f"Writing sessions {start + 1:,}–{start + len(chunk):,} of {len(workouts):,} failed "
                    f"({type(exc).__name__}). The {start:,} before are written and kept: import again to resume."
                ),
            )
            return True
        start += len(chunk)
        if budget_seconds is not None and start < len(workouts) and time.monotonic() - began > budget_seconds:
            return False
    _finish(import_id)
    return True


def _begin(session_import: SessionImport, given: Mapping[str, str | None]) -> None:
    """Mark the (locked) import committing with its mapping: a pending or committed one starts at
    the first session (a repeat creates nothing twice), a failed or committing one resumes where
    its chunks stopped."""
    fields: dict[str, Any] = {
        "status": SessionImport.Status.COMMITTING,
        "exercise_map": dict(given),
        "progress_total": len(session_import.payload["workouts"]),
        "error": "",
        # The import stays visible (not expired) while it runs and a day after.
        "expires_at": max(session_import.expires_at, timezone.now() + EXPIRES_AFTER),
    }
    if session_import.status in (SessionImport.Status.PENDING, SessionImport.Status.COMMITTED):
        fields |= {"progress_done": 0, "report": {}, "committed_at": None}
    SessionImport.objects.filter(pk=session_import.pk).update(**fields)
    for name, value in fields.items():
        setattr(session_import, name, value)


def _start(
    *, user: Any, session_import: SessionImport, exercise_map: Mapping[str, str | None] | None, inline: bool
) -> dict[str, Any] | None:
    given = dict(exercise_map or {})
    with transaction.atomic():
        locked = SessionImport.objects.select_for_update().select_related("client").get(pk=session_import.pk)
        m = _mapping(user=user, session_import=locked, given=given)
        _remember(locked, given, m.library)
        _begin(locked, given)
        if not inline and locked.progress_total > inline_max():
            import_id = locked.pk
            transaction.on_commit(lambda: _enqueue(import_id))
            report = None
        else:
            # Small: every chunk (one, at the default sizes) in this transaction, as one write.
            report = _commit_inline(user=user, session_import=locked, m=m)
    session_import.refresh_from_db()
    return report


def import_commit_start(
    *, user: Any, session_import: SessionImport, exercise_map: Mapping[str, str | None] | None = None
) -> dict[str, Any] | None:
    """Check the mapping now (``ImportMappingError``, ``ValidationError``), remember it, then write:
    an import of at most ``inline_max()`` sessions here (its report is returned), a bigger one by
    the ``commit_session_import`` task after this transaction commits (None is returned; the
    import row shows its progress). ``session_import`` is refreshed."""
    return _start(user=user, session_import=session_import, exercise_map=exercise_map, inline=False)


def _commit_inline(*, user: Any, session_import: SessionImport, m: _Mapping) -> dict[str, Any]:
    workouts = session_import.payload["workouts"]
    start, size = session_import.progress_done, chunk_size()
    report: dict[str, Any] = dict(session_import.report)
    while start < len(workouts):
        chunk = workouts[start : start + size]
        report = _write_chunk(
            user=user, import_id=session_import.pk, start=start, items=_items(chunk, m), every_session=True
        )
        start += len(chunk)
    _finish(session_import.pk)
    return report


def _enqueue(import_id: int) -> None:
    from coaching.sessions.imports.tasks import commit_session_import  # noqa: PLC0415 - tasks import services

    commit_session_import.delay(import_id)


def import_commit(
    *, user: Any, session_import: SessionImport, exercise_map: Mapping[str, str | None] | None = None
) -> dict[str, Any]:
    """Write the dry run's sessions through ``sessions_apply`` now, in one transaction whatever
    the file's size, and remember the coach's mapping (``import_commit_start`` for a small import).

    ``exercise_map`` maps a file's name to a slug, or to None/"" to leave that name's sets out; every
    unmatched name needs an entry (else ``ImportMappingError``). A session
    already imported with the same sets is ``unchanged``; one whose stored sets differ at the same
    time is a ``conflict`` and keeps its stored sets.
    """
    report = _start(user=user, session_import=session_import, exercise_map=exercise_map, inline=True)
    assert report is not None  # noqa: S101 - inline always reports
    return report


def imports_purge(*, now: dt.datetime | None = None) -> int:
    """Delete the imports expired (404) for longer than ``IMPORTS_PURGE_AFTER_DAYS``, with their
    parsed rows; one still committing is kept. The sessions they wrote stay. Returns how many."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=settings.IMPORTS_PURGE_AFTER_DAYS)
    stale = SessionImport.objects.filter(expires_at__lt=cutoff).exclude(status=SessionImport.Status.COMMITTING)
    deleted, _ = stale.delete()
    return deleted


__all__ = [
    "ImportFileError",
    "ImportMappingError",
    "Plan",
    "Unmatched",
    "import_commit",
    "import_commit_run",
    "import_commit_start",
    "import_fail",
    "imports_purge",
    "import_dry_run",
    "import_plan",
]
