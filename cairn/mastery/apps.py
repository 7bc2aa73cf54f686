from __future__ import annotations

from django.apps import AppConfig


class MasteryConfig(AppConfig):
    name = "cairn.mastery"
    label = "mastery"
    verbose_name = "Mastery"

    def ready(self) -> None:
        from cairn.mastery import forms, notifications, panels  # noqa: F401  (registers them)

    def reload_builtins(self) -> None:
        """The built-in ladders, after a test flushed the database."""
        from cairn.mastery.builtin_ladders import sync_builtin_ladders
        from cairn.mastery.models import Ladder, Level, LevelPrivilege

        sync_builtin_ladders(Ladder, Level, LevelPrivilege)
