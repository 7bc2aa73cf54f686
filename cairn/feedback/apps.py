from __future__ import annotations

from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    name = "cairn.feedback"
    label = "feedback"
    verbose_name = "Feedback"

    def ready(self) -> None:
        from cairn.feedback import notifications, panels, reminders  # noqa: F401  (registers)
