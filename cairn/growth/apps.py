from __future__ import annotations

from django.apps import AppConfig


class GrowthConfig(AppConfig):
    name = "cairn.growth"
    label = "growth"
    verbose_name = "Growth"

    def ready(self) -> None:
        from cairn.growth import formparts, notifications, panels  # noqa: F401  (registers them)
