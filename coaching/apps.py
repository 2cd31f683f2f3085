from __future__ import annotations

from django.apps import AppConfig


class CoachingConfig(AppConfig):
    name = "coaching"
    verbose_name = "Coaching"

    def ready(self) -> None:
        # The receiver that deletes a video's stored files with its row.
        from coaching.videos import services  # noqa: F401
