"""Who sees what of notifications: the notifications row of docs/design.md's
who-sees-what table.

| content                                   | the recipient                  | anyone else |
|-------------------------------------------|--------------------------------|-------------|
| a notification (kind, title, time, link,  | read, mark read — while they   | —           |
|   read or not)                            |   may still see its subject    |             |
| the unread count in the bell              | read                           | —           |
| their choice of channel per kind          | rw                             | —           |

"Anyone else" includes the recipient's managers, org admins, program admins, the HR
role, a Django superuser (the admin registers no notification) and everyone in
another organisation: a notification of someone else's answers 404, like one that
does not exist.

A notification is shown only while its recipient may still see what it is about: the
list, the bell and the link that opens one all pass through
``registry.still_visible``, which asks the app that owns the subject (a plan taken
back, an engagement the recipient is no party to any more: gone from the list and
the count, and its link answers 404). A subject type no app registered is shown to
nobody. A notification never holds content — only people's names and the kind of
thing — so the bell and the list cannot leak what the subject's page would not show.
"""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from django.http import Http404
from django.utils.http import url_has_allowed_host_and_scheme

from cairn.lib.access import get_or_404
from cairn.notifications.models import (
    DEFAULT_CHANNEL,
    Kind,
    Notification,
    NotificationQuerySet,
    Preference,
)
from cairn.notifications.registry import still_visible
from cairn.people.models import Person

# The bell counts up to this many and then says "99+".
BELL_CAP = 99
# How many of the newest unread notifications the bell looks at: more than the cap,
# so that a few whose subjects are hidden now do not bring the count under it.
BELL_WINDOW = 200


def recent_for(viewer: Person) -> NotificationQuerySet:
    """The viewer's own notifications, newest first (their subjects not yet checked:
    pass each page through ``registry.still_visible``)."""
    return Notification.objects.visible_to(viewer).order_by("-created_at", "-id")


def get_notification_for(viewer: Person, code: UUID | str) -> Notification:
    """The viewer's own notification, while they may still see its subject; 404
    otherwise (someone else's, unknown, malformed or about something hidden now)."""
    notification = get_or_404(Notification.objects.visible_to(viewer), code=code)
    if not still_visible(viewer, [notification]):
        raise Http404
    return notification


@dataclass(frozen=True)
class Bell:
    """The unread count as the bell shows it."""

    count: int

    @property
    def label(self) -> str:
        return f"{BELL_CAP}+" if self.count > BELL_CAP else str(self.count)


def bell_for(viewer: Person) -> Bell:
    """How many unread notifications the viewer may still see, up to ``BELL_CAP``
    and beyond it only as "more": one query for the newest ``BELL_WINDOW`` unread
    rows (their subjects only), and one per kind of subject among them, whatever
    the number of notifications."""
    rows = (
        Notification.objects.visible_to(viewer)
        .unread()
        .order_by("-created_at", "-id")
        .only("id", "subject_type", "subject_id")[:BELL_WINDOW]
    )
    return Bell(min(len(still_visible(viewer, rows)), BELL_CAP + 1))


def safe_target(notification: Notification) -> str | None:
    """The notification's stored link, if it is a path on this site; None for
    anything else (an absolute or scheme-relative URL is never followed)."""
    url = notification.url
    if (
        url.startswith("/")
        and not url.startswith("//")
        and "\\" not in url
        and url_has_allowed_host_and_scheme(url, allowed_hosts=None)
    ):
        return url
    return None


def channels_for(viewer: Person) -> dict[str, str]:
    """The viewer's channel for each kind: their choice, or the default."""
    chosen = dict(Preference.objects.filter(person=viewer).values_list("kind", "channel"))
    return {kind: chosen.get(kind, DEFAULT_CHANNEL[kind]) for kind in Kind.values}


def can_change_preferences(actor: Person, person: Person) -> bool:
    return actor.pk == person.pk


def can_mark_read(actor: Person, notification: Notification) -> bool:
    return actor.pk == notification.recipient_id
