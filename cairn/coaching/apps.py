from __future__ import annotations

from django.apps import AppConfig


class CoachingConfig(AppConfig):
    name = "cairn.coaching"
    label = "coaching"
    verbose_name = "Coaching"

    def ready(self) -> None:
        from cairn.coaching import panels, receivers  # noqa: F401  (registers panels, connects receivers)
