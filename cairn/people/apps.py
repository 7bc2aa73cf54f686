from __future__ import annotations

from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "cairn.people"
    label = "people"
    verbose_name = "People"

    def ready(self) -> None:
        from cairn.people import middleware  # noqa: F401  (keeps the zone in the session at sign-in)
