from __future__ import annotations

from django.apps import AppConfig


class CoachingConfig(AppConfig):
    name = "cairn.coaching"
    label = "coaching"
    verbose_name = "Coaching"

    def ready(self) -> None:
        # Registers panels and notification checks, connects receivers, registers the
        # scheduler's jobs.
        from cairn.coaching import (  # noqa: F401
            colleagues,
            notifications,
            panels,
            receivers,
            reminders,
            stalled,
        )

    def reload_builtins(self) -> None:
        """The built-in session templates, after a test flushed the database."""
        from cairn.coaching.builtin_templates import sync_builtin_templates
        from cairn.coaching.models import SessionTemplate, TemplateSection

        sync_builtin_templates(SessionTemplate, TemplateSection)
