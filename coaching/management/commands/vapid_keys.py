"""Print a fresh VAPID key pair for Web Push, as environment lines (README: "Web Push")."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from coaching.push.keys import new_key_pair


class Command(BaseCommand):
    help = "Print a new VAPID key pair (VAPID_PRIVATE_KEY=..., VAPID_PUBLIC_KEY=...) to turn Web Push on."

    def handle(self, *args: Any, **options: Any) -> None:
        private, public = new_key_pair()
        self.stdout.write(f"VAPID_PRIVATE_KEY={private}\nVAPID_PUBLIC_KEY={public}\n")
