from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from coaching.clients.services import coach_create


class Command(BaseCommand):
    help = "Create a coach account (email login)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--email", required=True)
        parser.add_argument("--password", required=True)
        parser.add_argument("--name", default="")
        parser.add_argument("--time-zone", default="UTC")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            coach = coach_create(
                email=options["email"],
                password=options["password"],
                name=options["name"],
                time_zone=options["time_zone"],
            )
        except ValidationError as exc:
            messages = [m for field_messages in exc.message_dict.values() for m in field_messages]
            raise CommandError(" ".join(messages)) from exc
        self.stdout.write(self.style.SUCCESS(f"Created coach {coach.user.email}."))
