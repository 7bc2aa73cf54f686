"""The email of one notification, sent at once (``Channel.EMAIL``), and what every
Cairn email about notifications shares: the recipient's time zone, absolute links,
a text part and an HTML part rendered from templates
(``notifications/email/``).

What goes in: the notification's title (people's names and the kind of thing — its
callers never put note, agenda, plan, request, feedback or story text there), the
kind's label, when it happened and the link. Never the thing itself: the email is
built from the ``Notification`` row alone, so whatever the thing holds cannot reach
it; the link leads to the page, which checks access again.
"""

from __future__ import annotations

import zoneinfo
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from cairn.mail.services import queue_email
from cairn.notifications.models import Notification
from cairn.people.models import Person


def recipient_time_zone(person: Person) -> str:
    """The time zone dates are shown in to ``person``: their own, else their
    organisation's, else the instance's (``Person.zone_name``)."""
    return person.zone_name


@contextmanager
def in_time_zone_of(person: Person) -> Iterator[None]:
    try:
        zone = zoneinfo.ZoneInfo(recipient_time_zone(person))
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    with timezone.override(zone):
        yield


def absolute(url: str) -> str:
    """A link from an email: Cairn's address (``CAIRN_BASE_URL``) and the path."""
    return f"{settings.CAIRN_BASE_URL}{url}" if url.startswith("/") else settings.CAIRN_BASE_URL


def render(template: str, person: Person, context: dict[str, Any]) -> tuple[str, str, str]:
    """The subject, text and HTML of ``notifications/email/<template>``, with dates in
    ``person``'s time zone."""
    context = {"person": person, "base_url": settings.CAIRN_BASE_URL, **context}
    with in_time_zone_of(person):
        subject = render_to_string(f"notifications/email/{template}_subject.txt", context)
        text = render_to_string(f"notifications/email/{template}.txt", context)
        html = render_to_string(f"notifications/email/{template}.html", context)
    return " ".join(subject.split())[:200], text, html


def notification_email(notification: Notification, recipient: Person) -> tuple[str, str, str]:
    """The subject, text and HTML of the email that tells ``recipient`` of one
    notification: its title, its kind, when, and a link — nothing more."""
    return render(
        "notification",
        recipient,
        {
            "notification": notification,
            "kind": notification.get_kind_display(),
            "link": absolute(notification.url),
        },
    )


def email_now(notification: Notification) -> None:
    recipient = notification.recipient
    subject, text, html = notification_email(notification, recipient)
    queue_email(
        key=f"notification:{notification.pk}",
        to=recipient.user.email,
        subject=subject,
        text=text,
        html=html,
    )
