from __future__ import annotations

import itertools
from datetime import datetime

from django.db import models
from django.utils import timezone

from cairn.notifications.models import Kind, Notification
from cairn.notifications.registry import subject_type_of
from cairn.people.models import Person

_serial = itertools.count(1)


def make_notification(
    recipient: Person,
    title: str = "Maria Manager gave you an action item",
    *,
    kind: Kind = Kind.ACTION_ASSIGNED,
    url: str = "/growth/",
    subject: models.Model | None = None,
    at: datetime | None = None,
    read: bool = False,
) -> Notification:
    """A notification as ``services.notify`` keeps it, without the preference and
    email machinery (tested in ``test_notify.py``)."""
    at = at or timezone.now()
    return Notification.objects.create(
        recipient=recipient,
        kind=kind,
        title=title,
        url=url,
        key=f"test:{next(_serial)}",
        subject_type=subject_type_of(subject) if subject is not None else "",
        subject_id=subject.pk if subject is not None else None,
        created_at=at,
        read_at=at if read else None,
    )
