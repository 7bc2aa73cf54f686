"""Telling people. Every app calls :func:`notify` in the transaction of the event;
the person's preference for the kind decides whether it is kept (off: not at all),
and whether an email goes at once (``cairn.mail``) or in the daily digest.

The title names people and the kind of thing ("Maria Manager proposed a coaching
engagement"), never what anyone wrote; the link leads to the page that shows the
thing, which checks access again."""

from __future__ import annotations

import logging

from django.db import models

from cairn.notifications.models import DEFAULT_CHANNEL, Channel, Kind, Notification, Preference
from cairn.notifications.registry import subject_type_of
from cairn.people.models import Person

log = logging.getLogger(__name__)


def channel_for(person: Person, kind: str) -> str:
    chosen = (
        Preference.objects.filter(person=person, kind=kind)
        .values_list("channel", flat=True)
        .first()
    )
    return chosen or DEFAULT_CHANNEL[kind]


def notify(
    recipient: Person,
    kind: Kind,
    *,
    title: str,
    url: str,
    key: str,
    subject: models.Model | None = None,
) -> Notification | None:
    """Tell ``recipient`` of one event, named by ``key`` (the same key twice tells
    once). Returns the notification, or None when they switched the kind off, the
    key was used already, or the recipient cannot sign in any more."""
    if not recipient.user.is_active:
        return None
    channel = channel_for(recipient, kind)
    if channel == Channel.OFF:
        return None
    notification, created = Notification.objects.get_or_create(
        key=key[:200],
        defaults={
            "recipient": recipient,
            "kind": kind,
            "title": title[:200],
            "url": url[:300],
            "subject_type": subject_type_of(subject) if subject is not None else "",
            "subject_id": subject.pk if subject is not None else None,
        },
    )
    if not created:
        return None
    if channel == Channel.EMAIL:
        from cairn.notifications.emails import email_now

        email_now(notification)
    log.info("notification.created notification=%s kind=%s", notification.pk, kind)
    return notification
