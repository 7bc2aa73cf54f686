"""Every write to coaching content, one function per use case.

Each function checks policy (``PermissionDenied`` if the actor may not), validates
domain rules (``ValidationError`` with a message a person can read), runs in one
transaction and logs what happened by id — never by content, since notes and
agendas must not reach logs.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from cairn.coaching import policy
from cairn.coaching.builtin_templates import DEFAULT_TEMPLATE_SLUG
from cairn.coaching.models import (
    ActionItem,
    AgendaItem,
    Cadence,
    Direction,
    Engagement,
    EngagementKind,
    EngagementStatus,
    Note,
    NoteVisibility,
    Session,
    SessionTemplate,
)
from cairn.coaching.nudges import looks_like_status_report
from cairn.people.models import Person, ReportingLines

log = logging.getLogger("cairn.coaching")

FIRST_SESSION_HOUR = 10


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _check_template(template: SessionTemplate | None, organisation_id: int) -> None:
    """A built-in template or one of the organisation's own, never another's."""
    if template is not None and template.organisation_id not in (None, organisation_id):
        raise ValidationError("Choose one of the templates listed.")


def default_template() -> SessionTemplate:
    """The built-in Inspire template, which a data migration loads."""
    return SessionTemplate.objects.get(slug=DEFAULT_TEMPLATE_SLUG, organisation=None)


def direction_between(giver: Person, receiver: Person) -> str:
    """Downward when the giver manages the receiver (at any level), upward when the
    reverse, peer otherwise."""
    lines = ReportingLines.of(giver.organisation_id)
    if giver.pk in lines.chain(receiver.pk):
        return Direction.DOWNWARD
    if receiver.pk in lines.chain(giver.pk):
        return Direction.UPWARD
    return Direction.PEER


# --- engagements -------------------------------------------------------------------


@transaction.atomic
def propose_engagement(
    actor: Person,
    *,
    giver: Person,
    receiver: Person,
    kind: str,
    cadence: str,
    template: SessionTemplate | None = None,
    direction: str | None = None,
) -> Engagement:
    """Either future party proposes an engagement; the other accepts it.

    Manager one-on-ones are not proposed: they follow reporting lines.
    """
    _require(actor.pk in (giver.pk, receiver.pk))
    if giver.pk == receiver.pk:
        raise ValidationError("An engagement is between two different people.")
    if (
        giver.organisation_id != actor.organisation_id
        or receiver.organisation_id != actor.organisation_id
    ):
        raise PermissionDenied
    if kind == EngagementKind.ONE_ON_ONE:
        raise ValidationError(
            "Manager one-on-ones start by themselves when a reporting line is set."
        )
    _check_template(template, actor.organisation_id)
    if Engagement.objects.open().filter(giver=giver, receiver=receiver, kind=kind).exists():
        raise ValidationError("You already have an open engagement of this kind together.")
    engagement = Engagement.objects.create(
        organisation_id=actor.organisation_id,
        kind=kind,
        direction=direction or direction_between(giver, receiver),
        giver=giver,
        receiver=receiver,
        proposed_by=actor,
        cadence=cadence,
        template=template or default_template(),
    )
    log.info("engagement.proposed engagement=%s actor=%s", engagement.pk, actor.pk)
    return engagement


@transaction.atomic
def accept_engagement(
    actor: Person, engagement: Engagement, *, now: dt.datetime | None = None
) -> None:
    _require(policy.can_accept(actor, engagement))
    engagement.status = EngagementStatus.AGREED
    engagement.agreed_at = now or timezone.now()
    engagement.save(update_fields=["status", "agreed_at"])
    log.info("engagement.agreed engagement=%s actor=%s", engagement.pk, actor.pk)


@transaction.atomic
def close_engagement(
    actor: Person, engagement: Engagement, *, now: dt.datetime | None = None
) -> None:
    _require(policy.can_close(actor, engagement))
    _close(engagement, now or timezone.now())
    log.info("engagement.closed engagement=%s actor=%s", engagement.pk, actor.pk)


def _close(engagement: Engagement, now: dt.datetime) -> None:
    engagement.status = EngagementStatus.CLOSED
    engagement.closed_at = now
    engagement.save(update_fields=["status", "closed_at"])
    # Closing deletes nothing. Sessions that will not happen now stay, shown as not
    # held: deleting them would destroy what either party wrote there, and deleting
    # only the empty ones would tell the other party which held a private note.


@transaction.atomic
def follow_reporting_line(
    person: Person, old_manager: Person | None, new_manager: Person | None
) -> None:
    """Keep one manager one-on-one per reporting line: close the one with the old
    manager and start one with the new. Called when a reporting line changes."""
    now = timezone.now()
    if old_manager is not None:
        for engagement in Engagement.objects.open().filter(
            kind=EngagementKind.ONE_ON_ONE, giver=old_manager, receiver=person
        ):
            _close(engagement, now)
    if new_manager is not None:
        Engagement.objects.get_or_create(
            kind=EngagementKind.ONE_ON_ONE,
            giver=new_manager,
            receiver=person,
            status=EngagementStatus.ACTIVE,
            defaults={
                "organisation_id": person.organisation_id,
                "direction": Direction.DOWNWARD,
                "proposed_by": new_manager,
                "cadence": Cadence.WEEKLY,
                "template": default_template(),
                "agreed_at": now,
            },
        )


# --- sessions ----------------------------------------------------------------------


def next_session_time(engagement: Engagement, *, now: dt.datetime | None = None) -> dt.datetime:
    """When the next session falls by the engagement's cadence.

    One interval after the latest session, rolled forward past missed beats so it is
    never in the past; the first session is tomorrow morning.
    """
    now = now or timezone.now()
    latest = engagement.sessions.order_by("-scheduled_for").first()
    if latest is None:
        tomorrow = timezone.localdate(now) + dt.timedelta(days=1)
        return timezone.make_aware(dt.datetime.combine(tomorrow, dt.time(FIRST_SESSION_HOUR)))
    interval = engagement.cadence_interval
    # Step in local wall-clock time, so that a 10:00 session stays at 10:00 when the
    # clocks change for daylight saving (UTC arithmetic would move it by an hour).
    candidate = timezone.localtime(latest.scheduled_for) + interval
    while candidate <= now:
        candidate += interval
    return candidate


@transaction.atomic
def schedule_session(
    actor: Person,
    engagement: Engagement,
    *,
    scheduled_for: dt.datetime | None = None,
    template: SessionTemplate | None = None,
    now: dt.datetime | None = None,
) -> Session:
    """Either party schedules a session; without a time it follows the cadence.

    The first session makes an agreed engagement active.
    """
    _require(policy.can_schedule(actor, engagement))
    _check_template(template, engagement.organisation_id)
    session = Session.objects.create(
        engagement=engagement,
        template=template or engagement.template,
        scheduled_for=scheduled_for or next_session_time(engagement, now=now),
    )
    if engagement.status == EngagementStatus.AGREED:
        engagement.status = EngagementStatus.ACTIVE
        engagement.save(update_fields=["status"])
    log.info("session.scheduled session=%s actor=%s", session.pk, actor.pk)
    return session


@transaction.atomic
def complete_session(actor: Person, session: Session, *, now: dt.datetime | None = None) -> Session:
    """End a session. Talking points not discussed move into the next session, which
    is scheduled by the cadence when there is none yet. Returns that next session.

    Either party may end it while the engagement is open; ``ValidationError`` when it
    has ended already."""
    engagement = session.engagement
    _require(policy.can_contribute(actor, engagement))
    if session.is_completed:
        raise ValidationError("This session has already ended.")
    now = now or timezone.now()
    session.completed_at = now
    session.save(update_fields=["completed_at"])

    next_session = (
        engagement.sessions.upcoming()
        .filter(scheduled_for__gte=session.scheduled_for)
        .exclude(pk=session.pk)
        .order_by("scheduled_for")
        .first()
    )
    if next_session is None:
        next_session = schedule_session(actor, engagement, now=now)
    carried = [
        AgendaItem(
            session=next_session,
            author_id=item.author_id,
            text=item.text,
            looks_like_status=item.looks_like_status,
            nudge_dismissed=item.nudge_dismissed,
            carried_from=item,
            created_at=now,
        )
        for item in session.agenda_items.filter(discussed=False)
    ]
    AgendaItem.objects.bulk_create(carried)
    log.info("session.completed session=%s actor=%s carried=%s", session.pk, actor.pk, len(carried))
    return next_session


# --- agenda ------------------------------------------------------------------------


@transaction.atomic
def add_agenda_item(actor: Person, session: Session, text: str) -> AgendaItem:
    """Either party adds a talking point before or during a session."""
    _require(policy.can_contribute(actor, session.engagement))
    if session.is_completed:
        raise ValidationError("This session has ended: add the point to the next one.")
    item = AgendaItem.objects.create(
        session=session,
        author=actor,
        text=text,
        looks_like_status=looks_like_status_report(text),
    )
    log.info("agenda_item.added item=%s actor=%s", item.pk, actor.pk)
    return item


@transaction.atomic
def mark_agenda_item(actor: Person, item: AgendaItem, *, discussed: bool) -> None:
    """Tick a point discussed, or untick it, while its session is running."""
    _require(policy.can_change_agenda(actor, item.session))
    item.discussed = discussed
    item.save(update_fields=["discussed"])


@transaction.atomic
def dismiss_status_nudge(actor: Person, item: AgendaItem) -> None:
    _require(policy.can_change_agenda(actor, item.session))
    item.nudge_dismissed = True
    item.save(update_fields=["nudge_dismissed"])


# --- notes -------------------------------------------------------------------------


@transaction.atomic
def add_note(actor: Person, session: Session, *, body: str, visibility: str) -> Note:
    """A shared note (both parties read it) or a private one (its author alone)."""
    _require(policy.can_contribute(actor, session.engagement))
    if visibility not in NoteVisibility.values:
        raise ValidationError("Choose whether the note is shared or private.")
    note = Note.objects.create(session=session, author=actor, body=body, visibility=visibility)
    log.info("note.added note=%s actor=%s", note.pk, actor.pk)
    return note


@transaction.atomic
def delete_note(actor: Person, note: Note) -> None:
    _require(policy.can_edit_note(actor, note))
    log.info("note.deleted note=%s actor=%s", note.pk, actor.pk)
    note.delete()


# --- action items ------------------------------------------------------------------


@transaction.atomic
def add_action_item(
    actor: Person, session: Session, *, owner: Person, description: str, due_on: dt.date
) -> ActionItem:
    """Who does what by when; the owner is one of the two parties."""
    engagement = session.engagement
    _require(policy.can_contribute(actor, engagement))
    if not engagement.is_party(owner):
        raise ValidationError("An action item belongs to one of the two of you.")
    item = ActionItem.objects.create(
        engagement=engagement,
        session=session,
        owner=owner,
        description=description,
        due_on=due_on,
        created_by=actor,
    )
    log.info("action_item.added item=%s actor=%s", item.pk, actor.pk)
    return item


@transaction.atomic
def set_action_item_done(
    actor: Person, item: ActionItem, *, done: bool, now: dt.datetime | None = None
) -> None:
    """Tick an item off (recording when) or reopen it."""
    _require(policy.can_tick_action_item(actor, item))
    item.done_at = (now or timezone.now()) if done else None
    item.save(update_fields=["done_at"])
