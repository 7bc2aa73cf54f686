from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from cairn.coaching import services
from cairn.people.models import Person
from cairn.people.signals import reporting_line_changed


@receiver(reporting_line_changed)
def keep_one_on_one_per_reporting_line(
    sender: Any,
    *,
    person: Person,
    old_manager: Person | None,
    new_manager: Person | None,
    **kwargs: Any,
) -> None:
    services.follow_reporting_line(person, old_manager, new_manager)
