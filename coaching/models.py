from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import cast

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower

from coaching.threads.models import NOTE_MAX_CHARS
from coaching.weeks import first_monday_on_or_after
from programs.models import (
    LOAD_KG_FIELD,
    DayFields,
    Exercise,
    LineFields,
    ProgramTemplate,
    Unit,
    display_load,
    shown_load,
)
from programs.progression.types import Checkin
from programs.progression.types import LowBack as LowBackValue

WEEKDAYS = [
    (0, "Monday"),
    (1, "Tuesday"),
    (2, "Wednesday"),
    (3, "Thursday"),
    (4, "Friday"),
    (5, "Saturday"),
    (6, "Sunday"),
]


class Coach(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="coach")
    time_zone = models.CharField(max_length=64, default="UTC")
    review_weekday = models.PositiveSmallIntegerField(choices=WEEKDAYS, default=0)
    review_time = models.TimeField(default=dt.time(6, 0))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(review_weekday__lte=6), name="coach_review_weekday_valid"),
        ]

    def __str__(self) -> str:
        return self.user.name or self.user.email


class ChangeCounter(models.Model):
    """Per-coach monotonic sequence for the sessions feed (``?since=`` cursors).

    Writers lock this row from taking their numbers to the end of their transaction (they take
    them last), so sequence numbers become visible in the order they were handed out: a reader
    can never see seq 11 committed while seq 10 is still in flight, and so never skips a change.
    """

    coach = models.OneToOneField(Coach, on_delete=models.CASCADE, related_name="change_counter")
    value = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.coach}: {self.value}"


class Client(models.Model):
    coach = models.ForeignKey(Coach, on_delete=models.CASCADE, related_name="clients")
    name = models.CharField(max_length=150)
    email = models.EmailField()
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="client_profile",
    )
    invite_token = models.CharField(max_length=64, null=True, blank=True, unique=True)
    invite_expires_at = models.DateTimeField(null=True, blank=True)
    # When the current invite's email was claimed for sending (cleared when the invite is
    # renewed): the send task's conditional update on it mails each invite once.
    invite_sent_at = models.DateTimeField(null=True, blank=True)
    notes = models.TextField(blank=True)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint("coach", Lower("email"), name="client_coach_email_unique"),
            models.CheckConstraint(
                condition=Q(invite_token__isnull=True) | Q(invite_expires_at__isnull=False),
                name="client_invite_has_expiry",
            ),
        ]
        indexes = [
            # Client list: a coach's clients by name.
            models.Index(fields=["coach", "name"], name="client_coach_name_idx"),
        ]

    def __str__(self) -> str:
        return self.name


class Assignment(models.Model):
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="assignments")
    program = models.ForeignKey(
        ProgramTemplate, null=True, blank=True, on_delete=models.SET_NULL, related_name="assignments"
    )
    start_date = models.DateField()
    sessions_per_week = models.PositiveSmallIntegerField(default=3)
    unit = models.CharField(max_length=2, choices=Unit.choices, default=Unit.KG)
    deload_every_weeks = models.PositiveSmallIntegerField(null=True, blank=True)
    load_increment_pct = models.DecimalField(max_digits=4, decimal_places=1, default=Decimal("5"))
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-start_date", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["client"], condition=Q(is_active=True), name="assignment_one_active_per_client"
            ),
            models.CheckConstraint(
                condition=Q(sessions_per_week__gte=1, sessions_per_week__lte=14),
                name="assignment_sessions_per_week_range",
            ),
            models.CheckConstraint(condition=Q(unit__in=["kg", "lb"]), name="assignment_unit_valid"),
            models.CheckConstraint(
                condition=Q(deload_every_weeks__isnull=True) | Q(deload_every_weeks__gte=2, deload_every_weeks__lte=52),
                name="assignment_deload_every_range",
            ),
            models.CheckConstraint(
                condition=Q(load_increment_pct__gt=0, load_increment_pct__lte=50),
                name="assignment_load_increment_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.client} from {self.start_date:%Y-%m-%d}"

    @property
    def first_monday(self) -> dt.date:
        return first_monday_on_or_after(self.start_date)


class AssignmentDay(DayFields):
    """A training day of the assignment's prescription. Days are the assignment's, not a version's:
    renaming or pinning a day changes no line; adding or deleting one writes a new version."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="days")

    class Meta:
        ordering = ["assignment", "position", "number"]
        constraints = [
            models.UniqueConstraint(fields=["assignment", "number"], name="assignment_day_number_unique"),
            *DayFields.day_constraints("assignment_day"),
        ]

    def __str__(self) -> str:
        return f"{self.assignment}: {self.name}"


class PrescriptionVersion(models.Model):
    """One version of an assignment's prescription and the week it applies from."""

    class Source(models.TextChoices):
        ASSIGNED = "assigned", "Assigned"
        COACH_EDIT = "coach_edit", "Edited by the coach"
        REVIEW = "review", "Approved review"

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="versions")
    effective_from = models.DateField()
    source = models.CharField(max_length=12, choices=Source.choices)
    reason = models.TextField(blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    review = models.ForeignKey(
        "WeeklyReview", null=True, blank=True, on_delete=models.SET_NULL, related_name="versions"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["assignment", "effective_from", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(source__in=["assigned", "coach_edit", "review"]),
                name="prescription_version_source_valid",
            ),
        ]
        indexes = [
            # The version in force on a date: latest effective_from <= date per assignment.
            models.Index(fields=["assignment", "effective_from", "id"], name="presc_version_effective_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.assignment} v{self.pk} from {self.effective_from:%Y-%m-%d}"


class PrescriptionLine(LineFields):
    version = models.ForeignKey(PrescriptionVersion, on_delete=models.CASCADE, related_name="lines")
    # While a deload is in force: the line to return to the week after.
    pre_deload = models.JSONField(null=True, blank=True)

    class Meta:
        ordering = ["version", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["version", "position"], name="prescription_line_position_unique"),
            *LineFields.line_constraints("prescription_line"),
        ]

    def __str__(self) -> str:
        return f"{self.exercise_id} {self.sets}×{self.range_low}–{self.range_high}"


class LoggedSession(models.Model):
    """A session logged by a client (or their coach); the id is made by the client's device."""

    class LowBack(models.TextChoices):
        """The check-in's low back (docs/domain.md "Readiness check-in")."""

        FINE = "fine", "Fine"
        TIGHT = "tight", "Tight"
        PAINFUL = "painful", "Painful"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4)
    # No index of its own on client or assignment: ``session_client_seq_idx`` and
    # ``session_client_time_idx`` lead with the client, ``session_assignment_time_idx`` with the
    # assignment (one index fewer to write per session, the same reads).
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="sessions", db_index=False)
    # The client's coach, denormalised so the coach's change feed reads its own rows by index
    # (``session_coach_seq_idx``) without a join: every write sets it from ``client.coach``, and a
    # client's transfer moves it (``coaching.teams.services.client_transfer``).
    # No index of its own: ``session_coach_seq_idx`` leads with it.
    coach = models.ForeignKey(Coach, on_delete=models.CASCADE, related_name="sessions", db_index=False)
    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="sessions", db_index=False)
    performed_at = models.DateTimeField()
    # The UTC offset the device sent, in minutes, so performed_at reads back as it was written.
    performed_at_offset = models.SmallIntegerField(default=0)
    client_modified_at = models.DateTimeField()
    notes = models.TextField(blank=True, max_length=5000)
    # The number of the training day followed; None (older clients, imports) is dayless
    # (docs/domain.md "Training days"). Not a foreign key: a deleted day leaves the number behind.
    day = models.PositiveSmallIntegerField(null=True, blank=True)
    # The readiness check-in answered before the session (docs/domain.md "Readiness check-in"):
    # scores 1–5 or unanswered, the low back, and whether the day was taken at the readiness cut.
    # A session has a check-in when one of the four is answered (``checkin``).
    checkin_sleep = models.PositiveSmallIntegerField(null=True, blank=True)
    checkin_soreness = models.PositiveSmallIntegerField(null=True, blank=True)
    checkin_stress = models.PositiveSmallIntegerField(null=True, blank=True)
    checkin_low_back = models.CharField(max_length=7, blank=True, choices=LowBack.choices)
    checkin_cut_taken = models.BooleanField(default=False)
    deleted_at = models.DateTimeField(null=True, blank=True)
    change_seq = models.BigIntegerField(default=0)
    body_hash = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-performed_at"]
        indexes = [
            # Sessions feed: a client's changes after a cursor, oldest first.
            models.Index(fields=["client", "change_seq"], name="session_client_seq_idx"),
            # Reviews and history: an assignment's sessions by time.
            models.Index(fields=["assignment", "performed_at"], name="session_assignment_time_idx"),
            # Review batches: a client's sessions in the look-back window, and the last one before it.
            models.Index(fields=["client", "performed_at"], name="session_client_time_idx"),
            # Coach feed (``sessions_changed_since``): a coach's changes after a cursor, oldest first.
            models.Index(fields=["coach", "change_seq"], name="session_coach_seq_idx"),
            # Dashboard: the latest sessions (of the coach's clients), newest first; and the
            # sessions of the last two weeks, for the attention checks' hashed subqueries.
            models.Index(F("performed_at").desc(), name="session_recent_idx", condition=Q(deleted_at__isnull=True)),
            # Dashboard: the latest sessions of the coach's own clients, newest first.
            models.Index(
                "coach",
                F("performed_at").desc(),
                F("id").desc(),
                name="session_coach_recent_idx",
                condition=Q(deleted_at__isnull=True),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(Q(checkin_sleep__isnull=True) | Q(checkin_sleep__gte=1, checkin_sleep__lte=5))
                & (Q(checkin_soreness__isnull=True) | Q(checkin_soreness__gte=1, checkin_soreness__lte=5))
                & (Q(checkin_stress__isnull=True) | Q(checkin_stress__gte=1, checkin_stress__lte=5)),
                name="session_checkin_scores_1_to_5",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.client} {self.performed_at:%Y-%m-%d %H:%M}"

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    @property
    def checkin(self) -> Checkin | None:
        """The readiness check-in, or None when none of its questions was answered."""
        if (
            self.checkin_sleep is None
            and self.checkin_soreness is None
            and self.checkin_stress is None
            and not self.checkin_low_back
        ):
            return None
        return Checkin(
            sleep=self.checkin_sleep,
            soreness=self.checkin_soreness,
            stress=self.checkin_stress,
            low_back=cast(LowBackValue, self.checkin_low_back or None),
            cut_taken=self.checkin_cut_taken,
        )


RPE_VALUES = [Decimal(n) / 2 for n in range(2, 21)]


class LoggedSet(models.Model):
    class Side(models.TextChoices):
        BOTH = "both", "Both"
        LEFT = "left", "Left"
        RIGHT = "right", "Right"

    # Its own index stays, though the unique (session, position) and (session, uid) lead with it:
    # deduplicated (nine sets a session share a key), it is a fraction of their size, and the feed's
    # look-up of a page's sets by session reads it faster (bench/feed.py: 7.5-8.2 s of page time
    # with it, 8.7 s without).
    session = models.ForeignKey(LoggedSession, on_delete=models.CASCADE, related_name="sets")
    # The set's identity within its session, kept across edits (docs/api.md "Logged sessions"):
    # the client's ``id`` when it sends one, else the stored set's at that position, else new.
    uid = models.UUIDField(default=uuid.uuid4)
    position = models.PositiveSmallIntegerField()
    exercise = models.ForeignKey(Exercise, on_delete=models.PROTECT, related_name="+")
    side = models.CharField(max_length=5, choices=Side.choices, default=Side.BOTH)
    reps = models.PositiveSmallIntegerField(null=True, blank=True)
    seconds = models.PositiveSmallIntegerField(null=True, blank=True)
    load_kg = models.DecimalField(**LOAD_KG_FIELD, default=Decimal("0"))
    unit = models.CharField(max_length=2, choices=Unit.choices, default=Unit.KG)
    rpe = models.DecimalField(max_digits=3, decimal_places=1, null=True, blank=True)
    tempo_kept = models.BooleanField(null=True, blank=True)
    faults = models.JSONField(default=list, blank=True)
    pain = models.PositiveSmallIntegerField(null=True, blank=True)

    # A coach's tags on this set, when a reader attached them (coaching.sessions.faults.selectors),
    # and how the coach's pages show them (``fault_rows``).
    coach_tags: list[CoachFault]
    fault_labels: list[str]
    coach_tag_rows: list[tuple[str, str, str, dt.datetime]]
    my_faults: list[str]

    class Meta:
        ordering = ["session", "position"]
        constraints = [
            models.UniqueConstraint(fields=["session", "position"], name="logged_set_position_unique"),
            models.UniqueConstraint(fields=["session", "uid"], name="logged_set_uid_unique"),
            models.CheckConstraint(
                condition=(Q(reps__isnull=False) & Q(seconds__isnull=True))
                | (Q(reps__isnull=True) & Q(seconds__isnull=False)),
                name="logged_set_reps_xor_seconds",
            ),
            models.CheckConstraint(
                condition=Q(reps__isnull=True) | Q(reps__gte=0, reps__lte=1000), name="logged_set_reps_range"
            ),
            models.CheckConstraint(
                condition=Q(seconds__isnull=True) | Q(seconds__gte=0, seconds__lte=3600),
                name="logged_set_seconds_range",
            ),
            models.CheckConstraint(condition=Q(load_kg__gte=0, load_kg__lte=1000), name="logged_set_load_range"),
            models.CheckConstraint(condition=Q(unit__in=["kg", "lb"]), name="logged_set_unit_valid"),
            models.CheckConstraint(condition=Q(rpe__isnull=True) | Q(rpe__in=RPE_VALUES), name="logged_set_rpe_halves"),
            models.CheckConstraint(
                condition=Q(pain__isnull=True) | Q(pain__gte=0, pain__lte=10), name="logged_set_pain_range"
            ),
            models.CheckConstraint(condition=Q(side__in=["both", "left", "right"]), name="logged_set_side_valid"),
        ]
        indexes = [
            # Dashboard attention, per client: a set with pain in the client's recent sessions, and
            # the sided sets of their per-side exercises; partial, so a client with neither costs a
            # probe of a small index, not a read of every recent set.
            models.Index(fields=["session"], name="set_pain_idx", condition=Q(pain__gt=0)),
            models.Index(fields=["session"], name="set_sided_idx", condition=Q(side__in=["left", "right"])),
        ]

    def __str__(self) -> str:
        amount = f"{self.reps} reps" if self.reps is not None else f"{self.seconds} s"
        return f"{self.exercise_id} {amount} @ {self.load_display} {self.unit}"

    @property
    def load_display(self) -> Decimal:
        return display_load(self.load_kg, self.unit)

    @property
    def load_shown(self) -> Decimal:
        """The load as a person reads it (a kettlebell in lb as its bell's whole lb)."""
        return shown_load(self.load_kg, self.unit, self.exercise.implement)


class WeeklyReview(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="reviews")
    week_start = models.DateField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    metrics = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    # Late data (coaching/reviews/recompute.py): when a late session or a coach's tag last changed
    # this pending review, what did (RecomputeCause) and who tagged; the ids its items had before
    # (approving with one of them is a 409 "this review was updated").
    recomputed_at = models.DateTimeField(null=True, blank=True)
    recomputed_cause = models.CharField(max_length=10, blank=True, default="")
    recomputed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    replaced_item_ids = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-week_start", "id"]
        constraints = [
            models.UniqueConstraint(fields=["assignment", "week_start"], name="review_assignment_week_unique"),
            models.CheckConstraint(
                condition=Q(status__in=["pending", "approved", "rejected"]), name="review_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(status="pending", decided_at__isnull=True)
                | (~Q(status="pending") & Q(decided_at__isnull=False)),
                name="review_decided_iff_not_pending",
            ),
        ]
        indexes = [
            # Review queue: pending reviews, newest week first.
            models.Index(fields=["status", "week_start"], name="review_status_week_idx"),
            # Review queue, all statuses: newest week first, so a page reads its weeks only (the
            # clients' names sorted within a week: PostgreSQL's incremental sort).
            models.Index(F("week_start").desc(), name="review_week_idx"),
            # Dashboard attention, per client: the assignment's pending review (a refer flag).
            models.Index(fields=["assignment"], name="review_pending_assignment_idx", condition=Q(status="pending")),
        ]

    def __str__(self) -> str:
        return f"Review of {self.assignment.client} for week {self.week_start:%Y-%m-%d}"


class ReviewItem(models.Model):
    class Action(models.TextChoices):
        PROGRESS = "progress", "Progress"
        HOLD = "hold", "Hold"
        REGRESS = "regress", "Regress"
        DELOAD = "deload", "Deload"

    class Rule(models.TextChoices):
        SAFETY = "safety", "1. Safety"
        DATA = "data", "2. Enough data"
        TECHNIQUE = "technique", "3. Technique"
        DELOAD = "deload", "4. Deload"
        TOO_HARD = "too_hard", "5. Too hard"
        PROGRESS = "progress", "6. Progress"
        HOLD = "hold", "7. Hold"

    class Decision(models.TextChoices):
        PENDING = "pending", "Pending"
        APPROVED = "approved", "Approved"
        EDITED = "edited", "Approved with edits"
        KEPT = "kept", "Not approved: current line kept"
        REJECTED = "rejected", "Rejected"

    review = models.ForeignKey(WeeklyReview, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField()
    # The line's training day, its number and its name when the review was made (a day may be
    # renamed or deleted later; the review says what the coach saw).
    day = models.PositiveSmallIntegerField(default=1)
    day_name = models.CharField(max_length=40, default="Day A")
    exercise = models.ForeignKey(Exercise, on_delete=models.PROTECT, related_name="+")
    action = models.CharField(max_length=10, choices=Action.choices)
    flags = models.JSONField(default=list, blank=True)
    rule = models.CharField(max_length=10, choices=Rule.choices)
    current = models.JSONField()
    proposed = models.JSONField()
    rationale = models.TextField()
    decision = models.CharField(max_length=10, choices=Decision.choices, default=Decision.PENDING)
    approved_line = models.JSONField(null=True, blank=True)
    # A `refer` proposal: who recorded that the client was referred to a clinician, and when.
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    referred_at = models.DateTimeField(null=True, blank=True)
    # The coach's note to the client with an approved proposal, shown beside the change on Today
    # and History ("the extra 2.5 kg is earned").
    # db_default: review generation inserts its rows with a statement of its own (services/bulk.py).
    note = models.TextField(blank=True, default="", db_default="", max_length=NOTE_MAX_CHARS)

    class Meta:
        ordering = ["review", "position"]
        constraints = [
            models.UniqueConstraint(fields=["review", "position"], name="review_item_position_unique"),
            models.CheckConstraint(
                condition=Q(action__in=["progress", "hold", "regress", "deload"]),
                name="review_item_action_valid",
            ),
            models.CheckConstraint(
                condition=Q(rule__in=["safety", "data", "technique", "deload", "too_hard", "progress", "hold"]),
                name="review_item_rule_valid",
            ),
            # Who recorded a referral is never without when (the user may later be deleted: then only when).
            models.CheckConstraint(
                condition=Q(referred_by__isnull=True) | Q(referred_at__isnull=False),
                name="review_item_referral_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.exercise_id}: {self.action} ({self.rule})"


__all__ = [
    "Assignment",
    "ChangeCounter",
    "ExerciseAlias",
    "Client",
    "Coach",
    "LoggedSession",
    "LoggedSet",
    "PrescriptionLine",
    "PrescriptionVersion",
    "ReviewItem",
    "ReviewNotice",
    "SessionImport",
    "SessionComment",
    "SetVideo",
    "ThreadRead",
    "WebhookDelivery",
    "WebhookEndpoint",
    "WebhookEvent",
    "WeeklyReview",
]


class ReviewNotice(models.Model):
    """The one "your reviews are ready" email per coach and week (the row claims the send)."""

    coach = models.ForeignKey(Coach, on_delete=models.CASCADE, related_name="review_notices")
    week_start = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["coach", "week_start"], name="review_notice_coach_week_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.coach} week {self.week_start:%Y-%m-%d}"


# The webhooks', the calendar feed's, the session imports', the coach fault tags', the threads' and Web
# Push's models live in their sub-domain's packages; imported here so the app loads them.
from coaching.calendar_feed.models import CalendarFeed  # noqa: E402, F401
from coaching.push.models import PushSubscription  # noqa: E402, F401
from coaching.reviews.models import RecomputeCause, ReviewRecompute  # noqa: E402, F401
from coaching.sessions.faults.models import CoachFault  # noqa: E402, F401
from coaching.sessions.imports.models import ExerciseAlias, SessionImport  # noqa: E402, F401
from coaching.teams.models import ClientHistoryEntry, ClientShare, ReviewCosign, Team, TeamInvite, TeamMembership  # noqa: E402, F401
from coaching.threads.models import SessionComment, ThreadRead  # noqa: E402
from coaching.videos.models import SetVideo  # noqa: E402
from coaching.webhooks.models import WebhookDelivery, WebhookEndpoint, WebhookEvent  # noqa: E402
