from __future__ import annotations

from django.apps import AppConfig


class MentoringConfig(AppConfig):
    name = "cairn.mentoring"
    label = "mentoring"
    verbose_name = "Mentoring"

    def ready(self) -> None:
        from cairn.mentoring import notifications  # noqa: F401  (registers its checks)
