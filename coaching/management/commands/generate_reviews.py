"""Generate weekly reviews in this process: the same service as the hourly Celery task."""

from __future__ import annotations

import datetime as dt
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from coaching.services.review_generation import all_missing_batches, reviews_generate, week_batches


def _monday(value: str) -> dt.date:
    try:
        day = dt.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"--week must be a date like 2026-11-16, not “{value}”.") from exc
    if day.weekday() != 0:
        monday = day - dt.timedelta(days=day.weekday())
        raise CommandError(f"--week must be a Monday: {day:%Y-%m-%d} is a {day:%A} (that week starts {monday}).")
    return day


class Command(BaseCommand):
    help = (
        "Create the weekly reviews: for the week starting --week (a Monday), or by default every "
        "finished week with no review yet. Running it again creates nothing new."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--week", help="Monday of the week to review (YYYY-MM-DD)")

    def handle(self, *args: Any, **options: Any) -> None:
        batches = week_batches(_monday(options["week"])) if options["week"] else all_missing_batches()
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
