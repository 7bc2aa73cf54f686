from __future__ import annotations

from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "cairn.people"
    label = "people"
    verbose_name = "People"

    def ready(self) -> None:
        from cairn.people import checks, middleware  # noqa: F401  (the zone at sign-in; checks)
