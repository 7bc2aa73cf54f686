"""Factories for coaching: engagements, sessions, agenda, notes and action items."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from cairn.coaching import services as coaching
from cairn.coaching.models import (
    ActionItem,
    AgendaItem,
    Engagement,
    EngagementKind,
    EngagementStatus,
    Note,
    NoteVisibility,
    Session,
)
from cairn.people.models import Person
from cairn.testing import make_person  # noqa: F401


def one_on_one(manager: Person, report: Person) -> Engagement:
    """The manager one-on-one that a reporting line starts by itself."""
    return Engagement.objects.get(
        kind=EngagementKind.ONE_ON_ONE,
        giver=manager,
        receiver=report,
        status=EngagementStatus.ACTIVE,
    )


def make_engagement(
    giver: Person,
    receiver: Person,
    kind: str = EngagementKind.COACHING,
    *,
    agreed: bool = True,
    cadence: str = "fortnightly",
) -> Engagement:
    engagement = coaching.propose_engagement(
        giver, giver=giver, receiver=receiver, kind=kind, cadence=cadence
    )
    if agreed:
        coaching.accept_engagement(receiver, engagement)
    return engagement


def make_session(
    engagement: Engagement, *, when: dt.datetime | None = None, completed: bool = False
) -> Session:
    session = coaching.schedule_session(
        engagement.giver, engagement, scheduled_for=when or timezone.now() + dt.timedelta(days=1)
    )
    if completed:
        session.completed_at = session.scheduled_for + dt.timedelta(hours=1)
        session.save(update_fields=["completed_at"])
    return session


def make_agenda_item(
    session: Session, author: Person, text: str = "How are you, really?"
) -> AgendaItem:
    return coaching.add_agenda_item(author, session, text)


def make_note(
    session: Session, author: Person, body: str = "A note", *, private: bool = False
) -> Note:
    visibility = NoteVisibility.PRIVATE if private else NoteVisibility.SHARED
    return coaching.add_note(author, session, body=body, visibility=visibility)


def make_action_item(
    session: Session,
    owner: Person,
    description: str = "Read the chapter on feedback",
    *,
    due_on: dt.date | None = None,
    by: Person | None = None,
) -> ActionItem:
    return coaching.add_action_item(
        by or owner,
        session,
        owner=owner,
        description=description,
        due_on=due_on or timezone.localdate() + dt.timedelta(days=7),
    )


def soon(days: int = 2, hour: int = 10) -> dt.datetime:
    """A time ``days`` from today at ``hour`` o'clock, in the current time zone."""
    day = timezone.localdate() + dt.timedelta(days=days)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))
