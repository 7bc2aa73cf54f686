from __future__ import annotations

from django.apps import AppConfig


class DebriefsConfig(AppConfig):
    name = "cairn.debriefs"
    label = "debriefs"
    verbose_name = "Group debriefs"

    def ready(self) -> None:
        from cairn.debriefs import notifications  # noqa: F401  (registers them)
