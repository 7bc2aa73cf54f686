"""The daily digest email: one email a day to each person, listing the titles and
links of that day's unread notifications of the kinds they get in a digest
(``Channel.DIGEST``) and may still see. The scheduler calls :func:`send_digest` once
a day per person; the key ``digest:<person>:<date>`` makes a second call that day
queue nothing. Like every notification email it names people and kinds of things,
never their content (see ``emails``)."""

from __future__ import annotations

import datetime as dt
import logging
import zoneinfo

from django.db.models import QuerySet

from cairn.mail.services import queue_email
from cairn.notifications.emails import absolute, recipient_time_zone, render
from cairn.notifications.models import DEFAULT_CHANNEL, Channel, Kind, Notification, Preference
from cairn.notifications.registry import still_visible
from cairn.people.models import Person

log = logging.getLogger(__name__)

# The most notifications one digest lists; it says how many more there are.
MOST = 50


def digest_kinds(person: Person) -> list[str]:
    """The kinds ``person`` gets in the daily digest, by their choice or by default."""
    chosen = dict(Preference.objects.filter(person=person).values_list("kind", "channel"))
    return [
        kind for kind in Kind.values if chosen.get(kind, DEFAULT_CHANNEL[kind]) == Channel.DIGEST
    ]


def day_bounds(person: Person, day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """Midnight to midnight of ``day`` in ``person``'s time zone."""
    try:
        zone = zoneinfo.ZoneInfo(recipient_time_zone(person))
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        zone = zoneinfo.ZoneInfo("UTC")
    start = dt.datetime.combine(day, dt.time.min, tzinfo=zone)
    end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
    return start, end


def for_digest(person: Person, day: dt.date) -> QuerySet[Notification]:
    start, end = day_bounds(person, day)
    return (
        Notification.objects.visible_to(person)
        .unread()
        .filter(kind__in=digest_kinds(person), created_at__gte=start, created_at__lt=end)
        .order_by("created_at", "id")
    )


def send_digest(person: Person, day: dt.date) -> bool:
    """Queue ``person``'s digest of ``day``; returns whether an email was queued
    (not when there is nothing to tell, nor when that day's digest is queued already,
    nor for someone who cannot sign in any more)."""
    if not person.user.is_active or not person.user.email:
        return False
    rows = still_visible(person, for_digest(person, day))
    if not rows:
        return False
    shown = rows[:MOST]
    subject, text, html = render(
        "digest",
        person,
        {
            "day": day,
            "count": len(rows),
            "items": [{"notification": row, "link": absolute(row.url)} for row in shown],
            "more": len(rows) - len(shown),
        },
    )
    queued = queue_email(
        key=f"digest:{person.pk}:{day.isoformat()}",
        to=person.user.email,
        subject=subject,
        text=text,
        html=html,
    )
    if queued is not None:
        log.info("notification.digest_queued person=%s count=%s", person.pk, len(rows))
    return queued is not None
