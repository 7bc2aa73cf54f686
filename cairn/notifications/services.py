"""Telling people. Every app calls :func:`notify` in the transaction of the event;
the person's preference for the kind decides whether it is kept (off: not at all),
and whether an email goes at once (``cairn.mail``) or in the daily digest.

The title names people and the kind of thing ("Maria Manager proposed a coaching
engagement"), never what anyone wrote; the link leads to the page that shows the
thing, which checks access again."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

from cairn.lib.access import require
from cairn.notifications import policy
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


# --- The recipient's own writes: reading, and choosing channels -------------------


def mark_read(actor: Person, notification: Notification, *, now: datetime | None = None) -> None:
    """The recipient marks one of their notifications read (again: nothing changes)."""
    require(policy.can_mark_read(actor, notification))
    if notification.read_at is None:
        notification.read_at = now or timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=notification.read_at
        )
        log.info("notification.read notification=%s", notification.pk)


def mark_all_read(actor: Person, *, now: datetime | None = None) -> int:
    """The actor marks every one of their unread notifications read; returns how many."""
    marked = Notification.objects.visible_to(actor).unread().update(read_at=now or timezone.now())
    log.info("notification.read_all person=%s count=%s", actor.pk, marked)
    return marked


def set_channels(actor: Person, person: Person, channels: Mapping[str, str]) -> None:
    """``person`` chooses a channel for every kind (only they may). Every kind must
    be given a known channel, or nothing is saved (``ValidationError``)."""
    require(policy.can_change_preferences(actor, person))
    unknown_kinds = sorted(set(channels) - set(Kind.values))
    if unknown_kinds:
        raise ValidationError(
            "There is no kind of notification called %(kinds)s.",
            params={"kinds": ", ".join(unknown_kinds)},
        )
    missing = [Kind(kind).label for kind in Kind.values if kind not in channels]
    if missing:
        raise ValidationError(
            "Choose how to hear of every kind: %(kinds)s.", params={"kinds": "; ".join(missing)}
        )
    if not set(channels.values()) <= set(Channel.values):
        raise ValidationError("Choose in Cairn only, email at once, daily digest or off.")
    with transaction.atomic():
        Preference.objects.bulk_create(
            [
                Preference(person=person, kind=kind, channel=channel)
                for kind, channel in channels.items()
            ],
            update_conflicts=True,
            unique_fields=["person", "kind"],
            update_fields=["channel"],
        )
    log.info("notification.preferences person=%s", person.pk)
