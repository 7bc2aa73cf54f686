"""Sessions and action items in people's calendars: the private feed and the
invitations, built with the ``icalendar`` package (RFC 5545), never by hand.

What an entry carries is the whole of what leaves Cairn: a title made of the kind of
session and the two people's names, the time, and a link back. Never a note, an
agenda point or an action item's text: an action item's entry says only "Action
item due". A counseling session is titled "Meeting": a work calendar is often open
to colleagues and managers, and counseling's existence stays between its two
parties. Every entry is ``CLASS:PRIVATE`` too, so a calendar shared with others
shows it as busy, no more.

Times are in UTC (``DTSTART:…Z``): every client shows them in its own time zone,
and no ``VTIMEZONE`` needs to be kept in step with the time zone database. An action
item is an all-day event on its due date (``VALUE=DATE``), free rather than busy:
Google Calendar and Outlook show events from a subscribed feed, and ignore to-dos.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import logging
import secrets
from collections.abc import Iterable
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress, vText

from cairn.coaching.models import (
    ActionItem,
    CalendarFeed,
    Engagement,
    EngagementKind,
    EngagementStatus,
    Session,
)
from cairn.mail.services import queue_email
from cairn.people.models import Person

log = logging.getLogger("cairn.coaching")

PRODID = "-//Cairn//Coaching calendar//EN"
# Sessions have no length of their own yet: an hour is what the templates plan for.
SESSION_LENGTH = dt.timedelta(hours=1)
# How far back the feed reaches: a calendar needs recent history, not every year.
FEED_HISTORY = dt.timedelta(days=180)

KIND_WORDS = {
    EngagementKind.ONE_ON_ONE: "One-on-one",
    EngagementKind.COACHING: "Coaching",
    EngagementKind.COMPETENCY_COACHING: "Competency coaching",
    EngagementKind.MENTORING: "Mentoring",
    # Not "Counseling": see the module's docstring.
    EngagementKind.COUNSELING: "Meeting",
}

REQUEST = "REQUEST"
CANCEL = "CANCEL"


# --- what an entry says ------------------------------------------------------------


def session_title(session: Session) -> str:
    engagement = session.engagement
    kind = KIND_WORDS.get(EngagementKind(engagement.kind), "Meeting")
    return f"{kind}: {engagement.giver.name} & {engagement.receiver.name}"


def absolute(path: str) -> str:
    return f"{settings.CAIRN_BASE_URL.rstrip('/')}{path}"


def _host() -> str:
    return urlsplit(settings.CAIRN_BASE_URL).hostname or "cairn.invalid"


def session_uid(session: Session) -> str:
    """The same for every invitation and feed entry of one session, so that a move or
    a cancellation updates the entry a calendar holds rather than adding one."""
    return f"session-{session.code}@{_host()}"


def action_item_uid(item: ActionItem) -> str:
    return f"action-{item.code}@{_host()}"


def _calendar(*, method: str = "") -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    if method:
        calendar.add("method", method)
    return calendar


def _session_event(session: Session, *, now: dt.datetime, cancelled: bool = False) -> Event:
    link = absolute(reverse("coaching:session", args=[session.code]))
    event = Event()
    event.add("uid", session_uid(session))
    event.add("dtstamp", now.astimezone(dt.UTC))
    event.add("sequence", session.sequence)
    event.add("summary", session_title(session))
    start = session.scheduled_for.astimezone(dt.UTC)
    event.add("dtstart", start)
    event.add("dtend", start + SESSION_LENGTH)
    event.add("url", link)
    event.add("description", f"Open in Cairn: {link}")
    event.add("class", "PRIVATE")
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    return event


def _action_item_event(item: ActionItem, *, now: dt.datetime) -> Event:
    link = absolute(reverse("coaching:session", args=[item.session.code]) + "#actions")
    event = Event()
    event.add("uid", action_item_uid(item))
    event.add("dtstamp", now.astimezone(dt.UTC))
    event.add("summary", "Action item due")
    event.add("dtstart", item.due_on)
    event.add("dtend", item.due_on + dt.timedelta(days=1))
    event.add("transp", "TRANSPARENT")
    event.add("url", link)
    event.add("description", f"Open in Cairn: {link}")
    event.add("class", "PRIVATE")
    return event


# --- the feed ----------------------------------------------------------------------


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def feed_url(feed: CalendarFeed) -> str:
    return absolute(reverse("coaching:calendar-feed", args=[feed.secret]))


def find_feed(secret: str) -> CalendarFeed | None:
    """The feed a secret opens, or None: one indexed look-up by the secret's hash,
    then a constant-time comparison, so an unknown and a reset secret take the same
    path and the same time."""
    wanted = _hash(secret)
    feed = (
        CalendarFeed.objects.filter(secret_hash=wanted, person__user__is_active=True)
        .select_related("person")
        .first()
    )
    if feed is None or not hmac.compare_digest(feed.secret_hash, wanted):
        return None
    return feed


@transaction.atomic
def reset_feed(person: Person, *, now: dt.datetime | None = None) -> CalendarFeed:
    """Give the person a feed with a new secret, replacing the old one, whose URL
    stops working at once. The person's own write: nobody resets another's."""
    secret = secrets.token_urlsafe(32)
    feed, _ = CalendarFeed.objects.update_or_create(
        person=person,
        defaults={
            "secret": secret,
            "secret_hash": _hash(secret),
            "created_at": now or timezone.now(),
        },
    )
    log.info("calendar_feed.reset feed=%s person=%s", feed.pk, person.pk)
    return feed


@transaction.atomic
def stop_feed(person: Person) -> None:
    """Turn the person's feed off: its URL answers 404 from now on."""
    deleted, _ = CalendarFeed.objects.filter(person=person).delete()
    if deleted:
        log.info("calendar_feed.stopped person=%s", person.pk)


def feed_entries(
    person: Person, *, now: dt.datetime
) -> tuple[Iterable[Session], Iterable[ActionItem]]:
    """What the person's feed holds, in two queries whatever its size: their
    sessions (both parties', through ``visible_to``, so counseling only in its two
    parties' feeds) from ``FEED_HISTORY`` ago on, less the cancelled ones and those
    of a closed engagement that were never held; and their own open action items."""
    sessions = (
        Session.objects.visible_to(person)
        .filter(scheduled_for__gte=now - FEED_HISTORY, cancelled_at__isnull=True)
        .exclude(engagement__status=EngagementStatus.CLOSED, completed_at__isnull=True)
        .select_related("engagement__giver", "engagement__receiver")
        .order_by("scheduled_for")
    )
    items = (
        ActionItem.objects.visible_to(person)
        .open()
        .filter(owner=person)
        .select_related("session")
        .order_by("due_on", "id")
    )
    return sessions, items


def feed_ics(person: Person, *, now: dt.datetime | None = None) -> bytes:
    now = now or timezone.now()
    calendar = _calendar()
    calendar.add("x-wr-calname", "Cairn")
    # How often a client should fetch it again (Apple's, Google's and Outlook's names).
    calendar.add("refresh-interval", dt.timedelta(hours=1), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", vText("PT1H"))
    sessions, items = feed_entries(person, now=now)
    for session in sessions:
        calendar.add_component(_session_event(session, now=now))
    for item in items:
        calendar.add_component(_action_item_event(item, now=now))
    ics: bytes = calendar.to_ical()
    return ics


# --- invitations -------------------------------------------------------------------


def invitation_ics(session: Session, method: str, *, now: dt.datetime | None = None) -> str:
    """An iTIP invitation (RFC 5546) for both parties: METHOD REQUEST when a session
    is scheduled or moved, CANCEL when it is cancelled. Cairn is the organiser, and
    asks for no reply."""
    now = now or timezone.now()
    calendar = _calendar(method=method)
    event = _session_event(session, now=now, cancelled=method == CANCEL)
    organizer = vCalAddress(f"mailto:{settings.DEFAULT_FROM_EMAIL}")
    organizer.params["CN"] = vText("Cairn")
    event.add("organizer", organizer)
    engagement = session.engagement
    for party in (engagement.giver, engagement.receiver):
        attendee = vCalAddress(f"mailto:{party.user.email}")
        attendee.params["CN"] = vText(party.name)
        attendee.params["ROLE"] = vText("REQ-PARTICIPANT")
        attendee.params["PARTSTAT"] = vText("NEEDS-ACTION")
        attendee.params["RSVP"] = vText("FALSE")
        event.add("attendee", attendee, encode=False)
    calendar.add_component(event)
    ics: bytes = calendar.to_ical()
    return ics.decode()


def _when(session: Session) -> str:
    local = timezone.localtime(session.scheduled_for)
    return f"{local:%A %-d %B %Y, %H:%M} ({local.tzname()})"


def _with_parties(session: Session) -> Session:
    """The session with both parties and their accounts, read in one query."""
    engagement = session.engagement
    people = Person.objects.select_related("user").in_bulk(
        [engagement.giver_id, engagement.receiver_id]
    )
    engagement.giver = people[engagement.giver_id]
    engagement.receiver = people[engagement.receiver_id]
    return session


def send_invitations(session: Session, method: str, *, now: dt.datetime | None = None) -> None:
    """Queue an invitation for each party, in the transaction of the change: one
    email per party per change (the key names the session, its sequence and the
    person), sent by the mail worker once the change commits. The subject and text
    say what, when and where to open it; never what the session holds."""
    now = now or timezone.now()
    if method == REQUEST and session.scheduled_for < now:
        # A session written down after it happened needs no invitation.
        return
    _with_parties(session)
    ics = invitation_ics(session, method, now=now)
    title = session_title(session)
    link = absolute(reverse("coaching:session", args=[session.code]))
    if method == CANCEL:
        subject = f"Cancelled: {title}"
        text = f"This session is cancelled.\n\n{title}\nWas: {_when(session)}\n\n{link}\n"
    elif session.sequence:
        subject = f"Moved: {title}"
        text = f"This session has moved.\n\n{title}\nNow: {_when(session)}\n\n{link}\n"
    else:
        subject = f"Invitation: {title}"
        text = f"{title}\n{_when(session)}\n\n{link}\n"
    engagement = session.engagement
    for party in (engagement.giver, engagement.receiver):
        if not party.user.is_active:
            continue
        queue_email(
            key=f"invite:{session.code}:{session.sequence}:{party.code}",
            to=party.user.email,
            subject=subject,
            text=text,
            ics=ics,
            ics_method=method,
        )
    log.info("session.invitations session=%s sequence=%s", session.pk, session.sequence)


def withdraw_invitations(engagement: Engagement, *, now: dt.datetime) -> None:
    """Cancel the invitations of the engagement's sessions still to come, when it
    closes: each one's sequence goes up and both parties get a cancellation. The
    sessions themselves stay, shown as not held (``services._close``)."""
    to_come = list(
        engagement.sessions.upcoming()
        .filter(scheduled_for__gt=now)
        .select_for_update(of=("self",))
        .order_by("scheduled_for")
    )
    for session in to_come:
        session.sequence += 1
        session.save(update_fields=["sequence"])
        session.engagement = engagement
        send_invitations(session, CANCEL, now=now)
