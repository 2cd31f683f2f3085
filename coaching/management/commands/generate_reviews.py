"""Generate weekly reviews in this process: the same service as the hourly Celery task."""

from __future__ import annotations

import datetime as dt
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from coaching.reviews.generation import all_missing_batches, reviews_generate, week_batches, week_over
from coaching.weeks import monday_of


def _monday(value: str) -> dt.date:
    try:
        day = dt.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"--week must be a date like 2026-11-16, not “{value}”.") from exc
    if day.weekday() != 0:
        monday = monday_of(day)
        raise CommandError(f"--week must be a Monday: {day:%Y-%m-%d} is a {day:%A} (that week starts {monday}).")
    return day


class Command(BaseCommand):
    help = (
        "Create the weekly reviews: for the week starting --week (a Monday), or by default every "
        "finished week with no review yet. A --week that is not over yet (in every coach's time "
        "zone) is refused unless --force, since its reviews would lack the rest of the week. "
        "Running it again creates nothing new."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--week", help="Monday of the week to review (YYYY-MM-DD)")
        parser.add_argument(
            "--force",
            action="store_true",
            help="With --week: generate it even though the week is not over yet (its reviews then show "
            "only the sessions logged so far, often 0%% adherence and no data).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["force"] and not options["week"]:
            raise CommandError("--force goes with --week: the default run only generates weeks that are over.")
        if options["week"]:
            week = _monday(options["week"])
            if not options["force"] and not week_over(week):
                end = week + dt.timedelta(days=6)
                raise CommandError(
                    f"The week of {week} is not over yet (it ends on Sunday {end:%d %b %Y}, in each coach's "
                    "time zone): its reviews would show 0% adherence and no data for the days still to come. "
                    "Nothing was written. Run it once the week is over, or add --force to generate it anyway."
                )
            batches = week_batches(week)
        else:
            batches = all_missing_batches()
        tty = sys.stdout.isatty() and self.stdout._out is sys.stdout  # type: ignore[attr-defined]

        def progress(done: int, total: int) -> None:
            if tty:
                width = 30
                filled = width * done // total
                self.stdout.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} batches", ending="")
                self.stdout.flush()

        summary = reviews_generate(batches, progress=progress)
        if tty and batches:
            self.stdout.write("")
        actions = ", ".join(f"{name} {count}" for name, count in sorted(summary.actions.items())) or "none"
        self.stdout.write(
            f"Reviews created: {summary.created}; skipped as existing: {summary.skipped}; proposals: {actions}."
        )
