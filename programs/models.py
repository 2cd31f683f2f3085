from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from programs.days import Day, mask_weekdays
from programs.faults import FAULTS
from programs.progression import units
from programs.progression.text import fmt_span

# Loads are kept in kg with enough places that a value typed in lb reads back exactly.
LOAD_KG_FIELD = {"max_digits": 16, "decimal_places": 10}


class Unit(models.TextChoices):
    KG = "kg", "kg"
    LB = "lb", "lb"


class Exercise(models.Model):
    """One exercise of the library; ``owner`` is null for the seeded hinge library."""

    class Implement(models.TextChoices):
        BARBELL = "barbell", "Barbell"
        DUMBBELL = "dumbbell", "Dumbbell"
        KETTLEBELL = "kettlebell", "Kettlebell"
        BODYWEIGHT = "bodyweight", "Bodyweight"
        DOWEL = "dowel", "Dowel"

    class Measure(models.TextChoices):
        REPS = "reps", "Reps"
        SECONDS = "seconds", "Seconds (hold)"

    class Laterality(models.TextChoices):
        BILATERAL = "bilateral", "Bilateral"
        PER_SIDE = "per_side", "Per side"

    slug = models.SlugField(max_length=80)
    name = models.CharField(max_length=120)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="own_exercises",
        help_text="The coach who added it; empty for the shared library.",
    )
    implement = models.CharField(max_length=12, choices=Implement.choices)
    measure = models.CharField(max_length=8, choices=Measure.choices, default=Measure.REPS)
    laterality = models.CharField(max_length=10, choices=Laterality.choices, default=Laterality.BILATERAL)
    easier = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="harder_of")
    harder = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="easier_of")
    description = models.TextField(blank=True)
    cues = models.JSONField(default=list, blank=True)
    faults = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["slug"], condition=Q(owner__isnull=True), name="exercise_library_slug_unique"
            ),
            models.UniqueConstraint(fields=["owner", "slug"], name="exercise_owner_slug_unique"),
            models.CheckConstraint(
                condition=Q(implement__in=["barbell", "dumbbell", "kettlebell", "bodyweight", "dowel"]),
                name="exercise_implement_valid",
            ),
            models.CheckConstraint(condition=Q(measure__in=["reps", "seconds"]), name="exercise_measure_valid"),
            models.CheckConstraint(
                condition=Q(laterality__in=["bilateral", "per_side"]),
                name="exercise_laterality_valid",
            ),
            models.CheckConstraint(condition=~Q(easier=F("id")) & ~Q(harder=F("id")), name="exercise_ladder_not_self"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def load_step_kg(self) -> Decimal:
        return units.load_step_kg(self.implement)

    @property
    def is_per_side(self) -> bool:
        return self.laterality == self.Laterality.PER_SIDE

    @property
    def fault_choices(self) -> list[tuple[str, str]]:
        return [(slug, FAULTS.get(slug, slug)) for slug in self.faults]


class ProgramTemplate(models.Model):
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="program_templates")
    name = models.CharField(max_length=120)
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "name"], name="program_owner_name_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class DayFields(models.Model):
    """A training day (docs/domain.md "Training days"; ``programs.days.Day`` is its value): shared by
    template days and assignment days. ``number`` is kept for the day's life, ``position`` orders
    the week, ``weekday_mask`` holds the weekday pins (bit 0 = Monday)."""

    number = models.PositiveSmallIntegerField(default=1)
    name = models.CharField(max_length=40, default="Day A")
    position = models.PositiveSmallIntegerField(default=0)
    weekday_mask = models.PositiveSmallIntegerField(default=0)

    class Meta:
        abstract = True

    @classmethod
    def day_constraints(cls, prefix: str) -> list[models.BaseConstraint]:
        return [
            models.CheckConstraint(condition=Q(number__gte=1, number__lte=7), name=f"{prefix}_number_range"),
            models.CheckConstraint(condition=Q(weekday_mask__lte=127), name=f"{prefix}_weekday_mask_range"),
        ]

    @property
    def weekdays(self) -> tuple[int, ...]:
        return mask_weekdays(self.weekday_mask)

    @property
    def label(self) -> str:
        return Day.from_row(self).label


class ProgramDay(DayFields):
    template = models.ForeignKey(ProgramTemplate, on_delete=models.CASCADE, related_name="days")

    class Meta:
        ordering = ["template", "position", "number"]
        constraints = [
            models.UniqueConstraint(fields=["template", "number"], name="program_day_number_unique"),
            *DayFields.day_constraints("program_day"),
        ]

    def __str__(self) -> str:
        return f"{self.template}: {self.name}"


class LineFields(models.Model):
    """What a prescription line says; shared by template lines and assignment lines. ``day`` is the
    number of its training day (1 for a prescription without days); ``position`` orders the lines
    of one day (it is unique in the whole template or version, so it also orders them all)."""

    day = models.PositiveSmallIntegerField(default=1)
    position = models.PositiveSmallIntegerField(default=0)
    exercise = models.ForeignKey(Exercise, on_delete=models.PROTECT, related_name="+")
    sets = models.PositiveSmallIntegerField(default=3)
    reps_low = models.PositiveSmallIntegerField(null=True, blank=True)
    reps_high = models.PositiveSmallIntegerField(null=True, blank=True)
    seconds_low = models.PositiveSmallIntegerField(null=True, blank=True)
    seconds_high = models.PositiveSmallIntegerField(null=True, blank=True)
    load_kg = models.DecimalField(**LOAD_KG_FIELD, default=Decimal("0"))
    unit = models.CharField(max_length=2, choices=Unit.choices, default=Unit.KG)
    tempo = models.CharField(max_length=12, blank=True, help_text="e.g. 3-2-1: down, pause, up")
    target_rpe = models.DecimalField(max_digits=3, decimal_places=1, null=True, blank=True)
    rest_seconds = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        abstract = True

    @classmethod
    def line_constraints(cls, prefix: str) -> list[models.BaseConstraint]:
        reps = Q(reps_low__isnull=False, reps_high__isnull=False, seconds_low__isnull=True, seconds_high__isnull=True)
        secs = Q(seconds_low__isnull=False, seconds_high__isnull=False, reps_low__isnull=True, reps_high__isnull=True)
        return [
            models.CheckConstraint(condition=Q(day__gte=1, day__lte=7), name=f"{prefix}_day_range"),
            models.CheckConstraint(condition=Q(sets__gte=1, sets__lte=20), name=f"{prefix}_sets_range"),
            models.CheckConstraint(condition=reps | secs, name=f"{prefix}_reps_xor_seconds"),
            models.CheckConstraint(
                condition=Q(reps_low__isnull=True) | Q(reps_low__gte=1, reps_low__lte=F("reps_high")),
                name=f"{prefix}_reps_range_ordered",
            ),
            models.CheckConstraint(
                condition=Q(reps_high__isnull=True) | Q(reps_high__lte=100),
                name=f"{prefix}_reps_high_max",
            ),
            models.CheckConstraint(
                condition=Q(seconds_low__isnull=True) | Q(seconds_low__gte=1, seconds_low__lte=F("seconds_high")),
                name=f"{prefix}_seconds_range_ordered",
            ),
            models.CheckConstraint(
                condition=Q(seconds_high__isnull=True) | Q(seconds_high__lte=600),
                name=f"{prefix}_seconds_high_max",
            ),
            models.CheckConstraint(condition=Q(load_kg__gte=0, load_kg__lte=1000), name=f"{prefix}_load_range"),
            models.CheckConstraint(condition=Q(unit__in=["kg", "lb"]), name=f"{prefix}_unit_valid"),
            models.CheckConstraint(
                condition=Q(target_rpe__isnull=True) | Q(target_rpe__gte=1, target_rpe__lte=10),
                name=f"{prefix}_target_rpe_range",
            ),
        ]

    @property
    def range_low(self) -> int:
        return self.reps_low if self.reps_low is not None else (self.seconds_low or 0)

    @property
    def range_high(self) -> int:
        return self.reps_high if self.reps_high is not None else (self.seconds_high or 0)

    @property
    def load_display(self) -> Decimal:
        return display_load(self.load_kg, self.unit)

    @property
    def load_shown(self) -> Decimal:
        """The load as a coach reads it (a kettlebell in lb as its bell's whole lb)."""
        return shown_load(self.load_kg, self.unit, self.exercise.implement)

    @property
    def range_text(self) -> str:
        """ "5–8 reps", "5 reps", "10–20 s": the range as every coach page writes it."""
        return range_text(self.range_low, self.range_high, hold=self.seconds_low is not None)


class ProgramLine(LineFields):
    template = models.ForeignKey(ProgramTemplate, on_delete=models.CASCADE, related_name="lines")

    class Meta:
        ordering = ["template", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["template", "position"], name="program_line_position_unique"),
            *LineFields.line_constraints("program_line"),
        ]

    def __str__(self) -> str:
        return f"{self.template}: {self.exercise_id} × {self.sets}"


def range_text(low: object, high: object, *, hold: bool) -> str:
    """A rep or seconds range in the coach's words; a one-number range is that number alone."""
    return f"{fmt_span(low, high)} {'s' if hold else 'reps'}"


def to_kg(value: Decimal, unit: str) -> Decimal:
    """A load typed in ``unit`` as kg (``units.to_kg``)."""
    return units.to_kg(Decimal(value), unit)


def shown_load(load_kg: Decimal, unit: str, implement: str) -> Decimal:
    """A stored kg load as a person reads it: a kettlebell bell in lb as whole lb (24 kg is 53 lb,
    though the API returns 52.91); every other load as ``display_load``."""
    if implement == "kettlebell" and unit == Unit.LB:
        bell = units.bell_shown(units.from_kg(Decimal(load_kg), unit), unit)
        if bell is not None:
            return bell
    return display_load(load_kg, unit)


def display_load(load_kg: Decimal, unit: str) -> Decimal:
    """A stored kg load shown in ``unit``, to two places without trailing zeros."""
    value = units.from_kg(Decimal(load_kg), unit).quantize(Decimal("0.01"))
    return value.quantize(Decimal(1)) if value == value.to_integral() else value.normalize()
