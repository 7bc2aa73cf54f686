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
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from cairn.coaching import calendar, policy
from cairn.coaching.agreements import COUNSELING_SPONSOR_REFUSAL, AgreementTerms, terms_for
from cairn.coaching.builtin_templates import DEFAULT_TEMPLATE_SLUG
from cairn.coaching.models import (
    CONFIDENTIALITY_MAX,
    DEBRIEF_TEXT_MAX,
    ENDS_AFTER_SESSIONS_MAX,
    KINDS_WITH_AGREEMENT,
    PURPOSE_MAX,
    REASON_MAX,
    ActionItem,
    AgendaItem,
    AgreementVersion,
    Cadence,
    Debrief,
    Direction,
    Ending,
    Engagement,
    EngagementKind,
    EngagementStatus,
    Feeling,
    Note,
    NoteVisibility,
    Session,
    SessionTemplate,
    SponsorSees,
    VersionStatus,
)
from cairn.coaching.nudges import looks_like_status_report
from cairn.lib.access import require
from cairn.lib.versions import Conflict
from cairn.notifications.models import Kind
from cairn.notifications.services import notify
from cairn.people.models import Person, managers_of

log = logging.getLogger("cairn.coaching")

FIRST_SESSION_HOUR = 10
SLOT_TAKEN = "There is a session of this engagement at that time already."


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
    if giver.pk in managers_of(receiver.pk):
        return Direction.DOWNWARD
    if receiver.pk in managers_of(giver.pk):
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
    terms: AgreementTerms | None = None,
    now: dt.datetime | None = None,
    tell: bool = True,
) -> Engagement:
    """Either future party proposes an engagement; the other accepts it.

    The first version of its agreement comes with it: ``terms``, or the built-in
    terms of its kind at the proposed cadence. Proposing counts as the proposer's
    acceptance of that version; the engagement is agreed when the other party
    accepts it (``accept_engagement``). Manager one-on-ones are not proposed: they
    follow reporting lines.

    The other party is told (``Kind.ENGAGEMENT_PROPOSED``), unless ``tell`` is False:
    a caller that accepts it for them at once (a mentoring request accepted) has
    nothing to ask of them.
    """
    require(actor.pk in (giver.pk, receiver.pk))
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
    if kind not in KINDS_WITH_AGREEMENT:
        raise ValidationError("Choose one of the kinds listed.")
    _check_template(template, actor.organisation_id)
    if Engagement.objects.open().filter(giver=giver, receiver=receiver, kind=kind).exists():
        raise ValidationError("You already have an open engagement of this kind together.")
    now = now or timezone.now()
    if terms is None:
        terms = terms_for(kind, cadence)
    _validate_terms(terms, kind)
    try:
        # A savepoint: of two proposals at once, the database's one-open-engagement
        # constraint lets one through and the other is told it exists.
        with transaction.atomic():
            engagement = Engagement.objects.create(
                organisation_id=actor.organisation_id,
                kind=kind,
                direction=direction or direction_between(giver, receiver),
                giver=giver,
                receiver=receiver,
                proposed_by=actor,
                # The agreement's cadence: the built-in terms take the proposed one.
                cadence=terms.cadence,
                template=template or default_template(),
                created_at=now,
            )
    except IntegrityError:
        raise ValidationError(
            "You already have an open engagement of this kind together."
        ) from None
    _add_version(engagement, actor, terms, now, number=1)
    if tell:
        other = receiver if actor.pk == giver.pk else giver
        notify(
            other,
            Kind.ENGAGEMENT_PROPOSED,
            title=f"{actor.name} proposed a {engagement.get_kind_display().lower()} engagement",
            url=reverse("coaching:engagement", args=[engagement.code]),
            key=f"engagement-proposed:{engagement.pk}:{other.pk}",
            subject=engagement,
        )
    log.info("engagement.proposed engagement=%s actor=%s", engagement.pk, actor.pk)
    return engagement


@transaction.atomic
def accept_engagement(
    actor: Person, engagement: Engagement, *, now: dt.datetime | None = None
) -> None:
    """The party who did not propose it agrees to a proposed engagement, accepting
    the agreement version waiting for them. ``PermissionDenied`` for anyone else,
    or when nothing waits for them; ``ValidationError`` once it is agreed (a second
    click, or both at once: the row is locked and read again, so one wins)."""
    locked = Engagement.objects.select_for_update(of=("self",)).get(pk=engagement.pk)
    if locked.status != EngagementStatus.PROPOSED and engagement.is_party(actor):
        raise ValidationError("This proposal has been answered already.")
    require(policy.can_accept(actor, engagement))
    now = now or timezone.now()
    if engagement.needs_agreement:
        version = engagement.agreement_versions.pending().get()
        version.engagement = engagement
        _accept_version(actor, version, now)
        return
    _agree(engagement, now)
    log.info("engagement.agreed engagement=%s actor=%s", engagement.pk, actor.pk)


@transaction.atomic
def decline_engagement(
    actor: Person, engagement: Engagement, *, reason: str = "", now: dt.datetime | None = None
) -> None:
    """The party a proposal waits for declines it, with an optional reason that only
    the two of them read. The engagement closes unheld (``declined_at``), its waiting
    agreement version lapses, and the proposer is told by name only. Either can
    propose again later. ``PermissionDenied`` for anyone else; ``ValidationError``
    once it is no longer proposed (a second click) or for an overlong reason."""
    require(policy.can_accept(actor, engagement))
    reason = clean_reason(reason)
    locked = Engagement.objects.select_for_update().get(pk=engagement.pk)
    if locked.status != EngagementStatus.PROPOSED:
        raise ValidationError("This proposal has been answered already.")
    now = now or timezone.now()
    engagement.status = EngagementStatus.CLOSED
    engagement.closed_at = now
    engagement.declined_at = now
    engagement.decline_reason = reason
    engagement.save(update_fields=["status", "closed_at", "declined_at", "decline_reason"])
    engagement.agreement_versions.pending().update(status=VersionStatus.LAPSED)
    other = engagement.other_party(actor)
    notify(
        other,
        Kind.ENGAGEMENT_DECLINED,
        title=f"{actor.name} declined the {engagement.get_kind_display().lower()} engagement",
        url=reverse("coaching:engagement", args=[engagement.code]),
        key=f"engagement-declined:{engagement.pk}:{other.pk}",
        # No subject: a closed engagement's notifications go (``notifications.py``),
        # and this one is the news that it closed. The proposer is a party, and
        # stays one, so the link always opens for them.
    )
    log.info("engagement.declined engagement=%s actor=%s", engagement.pk, actor.pk)


def clean_reason(reason: str) -> str:
    """An optional reason for a change, trimmed; ``ValidationError`` when too long."""
    reason = (reason or "").strip()
    if len(reason) > REASON_MAX:
        raise ValidationError({"reason": f"Keep the reason to {REASON_MAX} characters."})
    return reason


def _agree(engagement: Engagement, now: dt.datetime) -> None:
    engagement.status = EngagementStatus.AGREED
    engagement.agreed_at = now
    engagement.save(update_fields=["status", "agreed_at"])


# --- agreements --------------------------------------------------------------------


def _validate_terms(terms: AgreementTerms, kind: str) -> None:
    """Every problem with the terms at once, by field, in words a person reads."""
    errors: dict[str, str] = {}
    if not terms.purpose.strip():
        errors["purpose"] = "Say what the engagement is for."
    elif len(terms.purpose) > PURPOSE_MAX:
        errors["purpose"] = f"Keep the purpose to {PURPOSE_MAX} characters."
    if not terms.confidentiality.strip():
        errors["confidentiality"] = "Say what stays between you."
    elif len(terms.confidentiality) > CONFIDENTIALITY_MAX:
        errors["confidentiality"] = f"Keep this to {CONFIDENTIALITY_MAX} characters."
    if terms.cadence not in Cadence.values:
        errors["cadence"] = "Choose how often you will meet."
    if terms.sponsor_sees not in SponsorSees.values:
        errors["sponsor_sees"] = "Choose what a sponsor may see."
    elif kind == EngagementKind.COUNSELING and terms.sponsor_sees != SponsorSees.NOTHING:
        errors["sponsor_sees"] = COUNSELING_SPONSOR_REFUSAL
    if terms.ending == Ending.AFTER_SESSIONS:
        count = terms.ends_after_sessions
        if count is None or not 1 <= count <= ENDS_AFTER_SESSIONS_MAX:
            errors["ends_after_sessions"] = (
                f"Say after how many sessions it ends, from 1 to {ENDS_AFTER_SESSIONS_MAX}."
            )
    elif terms.ending == Ending.ON_DATE:
        if terms.ends_on is None:
            errors["ends_on"] = "Say on which date it ends."
    elif terms.ending != Ending.WHEN_EITHER_ASKS:
        errors["ending"] = "Choose how the engagement ends."
    if errors:
        raise ValidationError(errors)


def _add_version(
    engagement: Engagement,
    actor: Person,
    terms: AgreementTerms,
    now: dt.datetime,
    *,
    number: int,
) -> AgreementVersion:
    # Only what the chosen ending uses is kept, so the row satisfies its constraint
    # whatever the form carried for the other endings.
    return AgreementVersion.objects.create(
        engagement=engagement,
        number=number,
        purpose=terms.purpose.strip(),
        cadence=terms.cadence,
        confidentiality=terms.confidentiality.strip(),
        advice=terms.advice,
        sponsor_sees=terms.sponsor_sees,
        ending=terms.ending,
        ends_after_sessions=(
            terms.ends_after_sessions if terms.ending == Ending.AFTER_SESSIONS else None
        ),
        ends_on=terms.ends_on if terms.ending == Ending.ON_DATE else None,
        proposed_by=actor,
        proposed_at=now,
    )


def terms_of(version: AgreementVersion) -> AgreementTerms:
    return AgreementTerms(
        purpose=version.purpose,
        cadence=version.cadence,
        confidentiality=version.confidentiality,
        advice=version.advice,
        sponsor_sees=version.sponsor_sees,
        ending=version.ending,
        ends_after_sessions=version.ends_after_sessions,
        ends_on=version.ends_on,
    )


def current_terms(engagement: Engagement) -> AgreementTerms:
    """The terms to start an amendment from: the version waiting to be accepted if
    there is one, else the one in force, else the built-in terms of the kind."""
    latest = (
        engagement.agreement_versions.filter(
            status__in=[VersionStatus.PENDING, VersionStatus.ACCEPTED]
        )
        .order_by("-number")
        .first()
    )
    return terms_of(latest) if latest else terms_for(engagement.kind, engagement.cadence)


@transaction.atomic
def propose_amendment(
    actor: Person,
    engagement: Engagement,
    terms: AgreementTerms,
    *,
    now: dt.datetime | None = None,
    opened: int | None = None,
) -> AgreementVersion:
    """Either party proposes a new version of the agreement, which counts as their
    acceptance of it; it holds once the other party accepts it.

    ``opened`` is the number of the version the proposal amends (the one on the
    table when the form was opened, 0 before the first): ``Conflict`` (see
    ``cairn.lib.versions``), nothing written, when another has come since — the two
    parties proposing at once never silently replace each other's proposal.

    A version still waiting is replaced by the new one (kept as history). Until the
    other party accepts, an agreed or active engagement goes on under the version
    in force; a proposed one stays proposed. ``ValidationError`` once the
    engagement has closed, or when the terms change nothing.
    """
    require(policy.can_propose_amendment(actor, engagement))
    # Lock the engagement: two amendments at once would both take the next number.
    locked = Engagement.objects.select_for_update().get(pk=engagement.pk)
    if not locked.is_open:
        raise ValidationError("This engagement is closed: its agreement can no longer change.")
    _validate_terms(terms, engagement.kind)
    versions = locked.agreement_versions
    latest = versions.filter(status__in=[VersionStatus.PENDING, VersionStatus.ACCEPTED]).first()
    if opened is not None and latest is not None and latest.number != opened:
        raise Conflict(
            current=latest,
            opened=opened,
            current_version=latest.number,
            by=latest.proposed_by,
            at=latest.proposed_at,
        )
    if latest is not None and _same_terms(terms_of(latest), terms):
        raise ValidationError(
            "These are the terms already on the table: change something to propose an amendment."
        )
    now = now or timezone.now()
    versions.pending().update(status=VersionStatus.SUPERSEDED)
    number = (versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    version = _add_version(engagement, actor, terms, now, number=number)
    other = engagement.receiver if actor.pk == engagement.giver_id else engagement.giver
    notify(
        other,
        Kind.AGREEMENT_TO_ACCEPT,
        title=f"{actor.name} proposed an amendment to your agreement",
        url=reverse("coaching:engagement", args=[engagement.code]),
        key=f"agreement-to-accept:{version.pk}:{other.pk}",
        subject=version,
    )
    log.info(
        "agreement.proposed engagement=%s version=%s actor=%s", engagement.pk, version.pk, actor.pk
    )
    return version


def _same_terms(a: AgreementTerms, b: AgreementTerms) -> bool:
    def normal(t: AgreementTerms) -> tuple[object, ...]:
        return (
            t.purpose.strip(),
            t.cadence,
            t.confidentiality.strip(),
            t.advice,
            t.sponsor_sees,
            t.ending,
            t.ends_after_sessions if t.ending == Ending.AFTER_SESSIONS else None,
            t.ends_on if t.ending == Ending.ON_DATE else None,
        )

    return normal(a) == normal(b)


@transaction.atomic
def accept_agreement(
    actor: Person, version: AgreementVersion, *, now: dt.datetime | None = None
) -> None:
    """The party who did not propose a waiting version accepts it: it comes into
    force (its cadence becomes the engagement's), and a proposed engagement becomes
    agreed. ``PermissionDenied`` for a non-party; ``ValidationError`` when it is not
    waiting any more, is the actor's own proposal, or the engagement has closed."""
    engagement = version.engagement
    require(engagement.is_party(actor))
    if not engagement.is_open:
        raise ValidationError("This engagement is closed: its agreement can no longer change.")
    if version.status == VersionStatus.ACCEPTED:
        raise ValidationError("This version is accepted already.")
    if version.status != VersionStatus.PENDING:
        raise ValidationError("This version was replaced by a later one: read that one.")
    if version.proposed_by_id == actor.pk:
        raise ValidationError(
            "You proposed this version, which counts as your acceptance: it is waiting "
            "for the other party."
        )
    _accept_version(actor, version, now or timezone.now())


def _accept_version(actor: Person, version: AgreementVersion, now: dt.datetime) -> None:
    # Marked accepted only while still pending, so that of two clicks at once one
    # wins and the other changes nothing.
    updated = AgreementVersion.objects.filter(pk=version.pk, status=VersionStatus.PENDING).update(
        status=VersionStatus.ACCEPTED, accepted_by=actor, accepted_at=now
    )
    if not updated:
        raise ValidationError("This version is accepted already.")
    version.status, version.accepted_by, version.accepted_at = VersionStatus.ACCEPTED, actor, now
    engagement = version.engagement
    engagement.cadence = version.cadence
    fields = ["cadence"]
    if engagement.status == EngagementStatus.PROPOSED:
        engagement.status = EngagementStatus.AGREED
        engagement.agreed_at = now
        fields += ["status", "agreed_at"]
    engagement.save(update_fields=fields)
    log.info(
        "agreement.accepted engagement=%s version=%s actor=%s",
        engagement.pk,
        version.pk,
        actor.pk,
    )


@transaction.atomic
def close_engagement(
    actor: Person, engagement: Engagement, *, now: dt.datetime | None = None
) -> None:
    require(policy.can_close(actor, engagement))
    _close(engagement, now or timezone.now())
    log.info("engagement.closed engagement=%s actor=%s", engagement.pk, actor.pk)


def _close(engagement: Engagement, now: dt.datetime) -> None:
    engagement.status = EngagementStatus.CLOSED
    engagement.closed_at = now
    engagement.save(update_fields=["status", "closed_at"])
    # A version nobody accepted in time never holds: it stays as history.
    engagement.agreement_versions.pending().update(status=VersionStatus.LAPSED)
    # Closing deletes nothing. Sessions that will not happen now stay, shown as not
    # held: deleting them would destroy what either party wrote there, and deleting
    # only the empty ones would tell the other party which held a private note.
    # Their invitations are withdrawn, so they leave both parties' calendars.
    calendar.withdraw_invitations(engagement, now=now)


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


# --- debriefs ----------------------------------------------------------------------


@transaction.atomic
def write_debrief(
    actor: Person,
    engagement: Engagement,
    *,
    learnings: str,
    distinctions: str = "",
    felt: str,
    next_steps: str = "",
    now: dt.datetime | None = None,
) -> Debrief:
    """Either party writes their own debrief of a closed engagement, once: their
    greatest learnings, the distinctions they now make, whether it felt transactional
    or transformational, and what happens next. Both parties read both debriefs.
    ``PermissionDenied`` for a non-party; ``ValidationError`` before the engagement
    has closed, for a second debrief, or for empty or overlong answers."""
    require(engagement.is_party(actor))
    if engagement.status != EngagementStatus.CLOSED:
        raise ValidationError("Write the debrief once the engagement has closed.")
    if Debrief.objects.filter(engagement=engagement, author=actor).exists():
        raise ValidationError("You have written your debrief of this engagement already.")
    errors: dict[str, str] = {}
    if not learnings.strip():
        errors["learnings"] = "Write what you learned most."
    for field, text in (
        ("learnings", learnings),
        ("distinctions", distinctions),
        ("next_steps", next_steps),
    ):
        if len(text) > DEBRIEF_TEXT_MAX:
            errors[field] = f"Keep this to {DEBRIEF_TEXT_MAX} characters."
    if felt not in Feeling.values:
        errors["felt"] = "Choose how it felt."
    if errors:
        raise ValidationError(errors)
    try:
        # A savepoint: a double click loses the race to ``debrief_one_per_party``.
        with transaction.atomic():
            debrief = Debrief.objects.create(
                engagement=engagement,
                author=actor,
                learnings=learnings.strip(),
                distinctions=distinctions.strip(),
                felt=felt,
                next_steps=next_steps.strip(),
                written_at=now or timezone.now(),
            )
    except IntegrityError:
        raise ValidationError("You have written your debrief of this engagement already.") from None
    log.info(
        "debrief.written engagement=%s debrief=%s actor=%s", engagement.pk, debrief.pk, actor.pk
    )
    return debrief


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
    require(policy.can_schedule(actor, engagement))
    _check_template(template, engagement.organisation_id)
    try:
        # A savepoint: ``session_one_per_slot`` turns a double click into a message.
        with transaction.atomic():
            session = Session.objects.create(
                engagement=engagement,
                template=template or engagement.template,
                scheduled_for=scheduled_for or next_session_time(engagement, now=now),
            )
    except IntegrityError:
        raise ValidationError({"scheduled_for": SLOT_TAKEN}) from None
    if engagement.status == EngagementStatus.AGREED:
        engagement.status = EngagementStatus.ACTIVE
        engagement.save(update_fields=["status"])
    calendar.send_invitations(session, calendar.REQUEST, now=now)
    log.info("session.scheduled session=%s actor=%s", session.pk, actor.pk)
    return session


def _check_can_change(actor: Person, session: Session, now: dt.datetime) -> Session:
    """Lock the session and check it may still be moved or cancelled: by a party,
    while the engagement is open, before it has started, ended or been cancelled."""
    require(policy.can_contribute(actor, session.engagement))
    locked = Session.objects.select_for_update(of=("self",)).get(pk=session.pk)
    if locked.is_cancelled:
        raise ValidationError("This session is cancelled already.")
    if locked.is_completed:
        raise ValidationError("This session has ended: it can no longer change.")
    if locked.scheduled_for <= now:
        raise ValidationError("This session has started: it can no longer be moved or cancelled.")
    locked.engagement = session.engagement
    return locked


def _tell_other_party(actor: Person, session: Session, kind: str, what: str) -> None:
    """Tell the other party that a session moved, was cancelled or skipped: who, and
    when (in the recipient's time zone). Never the reason, which shows on the page."""
    engagement = session.engagement
    other = engagement.other_party(actor)
    when = timezone.localtime(session.scheduled_for, other.zone)
    notify(
        other,
        Kind.SESSION_CHANGED,
        title=f"{actor.name} {what} {when:%a %-d %b, %H:%M}",
        url=reverse("coaching:session", args=[session.code]),
        key=f"session-{kind}:{session.pk}:{session.sequence}:{other.pk}",
        subject=session,
    )


@transaction.atomic
def reschedule_session(
    actor: Person,
    session: Session,
    starts_at: dt.datetime,
    *,
    reason: str = "",
    now: dt.datetime | None = None,
) -> Session:
    """Either party moves a session still to come to another time in the future,
    with an optional reason the other party reads on the session page. Both get the
    changed invitation (its sequence one higher) and the other party a notification.
    ``PermissionDenied`` for anyone else; ``ValidationError`` for a session that has
    started, ended or been cancelled, a time in the past or unchanged, or an overlong
    reason."""
    now = now or timezone.now()
    locked = _check_can_change(actor, session, now)
    reason = clean_reason(reason)
    if starts_at <= now:
        raise ValidationError({"scheduled_for": "Choose a time in the future."})
    if starts_at == locked.scheduled_for:
        raise ValidationError({"scheduled_for": "The session is at this time already."})
    locked.scheduled_for = starts_at
    locked.sequence += 1
    locked.changed_by = actor
    locked.change_reason = reason
    try:
        with transaction.atomic():
            locked.save(update_fields=["scheduled_for", "sequence", "changed_by", "change_reason"])
    except IntegrityError:
        raise ValidationError({"scheduled_for": SLOT_TAKEN}) from None
    calendar.send_invitations(locked, calendar.REQUEST, now=now)
    _tell_other_party(actor, locked, "moved", "moved your session to")
    log.info("session.moved session=%s actor=%s", locked.pk, actor.pk)
    return locked


@transaction.atomic
def cancel_session(
    actor: Person, session: Session, *, reason: str = "", now: dt.datetime | None = None
) -> Session:
    """Either party cancels a session still to come, with an optional reason. It
    stays, marked cancelled (what either party wrote there is kept), both get a
    cancellation for their calendars and the other party a notification.
    ``PermissionDenied`` for anyone else; ``ValidationError`` for a session that has
    started, ended or been cancelled already, or an overlong reason."""
    now = now or timezone.now()
    locked = _check_can_change(actor, session, now)
    reason = clean_reason(reason)
    locked.cancelled_at = now
    locked.sequence += 1
    locked.changed_by = actor
    locked.change_reason = reason
    locked.save(update_fields=["cancelled_at", "sequence", "changed_by", "change_reason"])
    calendar.send_invitations(locked, calendar.CANCEL, now=now)
    _tell_other_party(actor, locked, "cancelled", "cancelled your session of")
    log.info("session.cancelled session=%s actor=%s", locked.pk, actor.pk)
    return locked


@transaction.atomic
def skip_session(
    actor: Person, session: Session, *, reason: str = "", now: dt.datetime | None = None
) -> Session:
    """ "We skip this one": either party marks a session not ended as skipped (it
    counts as cancelled: not held, out of the calendars), with an optional reason.
    Its talking points not discussed move to the next session, which is scheduled by
    the cadence when there is none yet. Both get a cancellation for a session still
    to come; the other party a notification. Returns the next session.
    ``PermissionDenied`` for anyone else; ``ValidationError`` for a session that has
    ended or been cancelled, or an overlong reason."""
    now = now or timezone.now()
    require(policy.can_contribute(actor, session.engagement))
    locked = Session.objects.select_for_update(of=("self",)).get(pk=session.pk)
    locked.engagement = session.engagement
    if locked.is_cancelled:
        raise ValidationError("This session is cancelled already.")
    if locked.is_completed:
        raise ValidationError("This session has ended: it can no longer be skipped.")
    reason = clean_reason(reason)
    locked.cancelled_at = now
    locked.skipped_at = now
    locked.sequence += 1
    locked.changed_by = actor
    locked.change_reason = reason
    locked.save(
        update_fields=["cancelled_at", "skipped_at", "sequence", "changed_by", "change_reason"]
    )
    if locked.scheduled_for > now:
        calendar.send_invitations(locked, calendar.CANCEL, now=now)
    next_session = _next_session_after(actor, locked, now)
    carried = _carry_agenda(locked, next_session, now)
    _tell_other_party(actor, locked, "skipped", "skipped your session of")
    log.info("session.skipped session=%s actor=%s carried=%s", locked.pk, actor.pk, carried)
    return next_session


def _next_session_after(actor: Person, session: Session, now: dt.datetime) -> Session:
    """The next session still to be held after ``session``, scheduled by the cadence
    when there is none yet."""
    engagement = session.engagement
    next_session = (
        engagement.sessions.upcoming()
        .filter(scheduled_for__gte=session.scheduled_for)
        .exclude(pk=session.pk)
        .order_by("scheduled_for")
        .first()
    )
    if next_session is None:
        next_session = schedule_session(actor, engagement, now=now)
    return next_session


def _carry_agenda(session: Session, next_session: Session, now: dt.datetime) -> int:
    """Move the talking points not discussed into the next session."""
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
    return len(carried)


@transaction.atomic
def complete_session(actor: Person, session: Session, *, now: dt.datetime | None = None) -> Session:
    """End a session. Talking points not discussed move into the next session, which
    is scheduled by the cadence when there is none yet. Returns that next session.

    Either party may end it while the engagement is open; ``ValidationError`` when it
    has ended already — also when both parties press "End session" at once: the
    session row is locked and read again, so the second waits for the first and is
    told it has ended (never a second carry of its agenda). Ending one before its
    time is the view's question to ask (``cairn.lib.confirm``): this records it as
    held now."""
    engagement = session.engagement
    require(policy.can_contribute(actor, engagement))
    locked = Session.objects.select_for_update(of=("self",)).get(pk=session.pk)
    session.completed_at, session.cancelled_at = locked.completed_at, locked.cancelled_at
    if session.is_completed:
        raise ValidationError("This session has already ended.")
    if session.is_cancelled:
        raise ValidationError("This session was cancelled.")
    now = now or timezone.now()
    session.completed_at = now
    session.save(update_fields=["completed_at"])
    next_session = _next_session_after(actor, session, now)
    carried = _carry_agenda(session, next_session, now)
    log.info("session.completed session=%s actor=%s carried=%s", session.pk, actor.pk, carried)
    return next_session


# --- agenda ------------------------------------------------------------------------


@transaction.atomic
def add_agenda_item(actor: Person, session: Session, text: str) -> AgendaItem:
    """Either party adds a talking point before or during a session."""
    require(policy.can_contribute(actor, session.engagement))
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
    require(policy.can_change_agenda(actor, item.session))
    item.discussed = discussed
    item.save(update_fields=["discussed"])


AGENDA_TEXT_MAX = 300


@transaction.atomic
def edit_agenda_item(
    actor: Person, item: AgendaItem, text: str, *, now: dt.datetime | None = None
) -> AgendaItem:
    """Its author rewrites a talking point while its session has not ended. Whether
    it reads like a status update is judged again. ``PermissionDenied`` for anyone
    else; ``ValidationError`` once the session has ended or for empty or long text."""
    require(policy.is_agenda_item_author(actor, item))
    _check_agenda_open(item)
    text = text.strip()
    if not text:
        raise ValidationError({"text": "Write the talking point you want to bring."})
    if len(text) > AGENDA_TEXT_MAX:
        raise ValidationError({"text": f"Keep the point to {AGENDA_TEXT_MAX} characters."})
    if text == item.text:
        return item
    item.text = text
    item.looks_like_status = looks_like_status_report(text)
    item.edited_at = now or timezone.now()
    item.save(update_fields=["text", "looks_like_status", "edited_at"])
    log.info("agenda_item.edited item=%s actor=%s", item.pk, actor.pk)
    return item


@transaction.atomic
def remove_agenda_item(actor: Person, item: AgendaItem) -> None:
    """Its author takes a talking point off the agenda of a session that has not
    ended (the status nudge's "move it off the agenda" too). A point it was carried
    from stays in its own session's history."""
    require(policy.is_agenda_item_author(actor, item))
    _check_agenda_open(item)
    log.info("agenda_item.removed item=%s actor=%s", item.pk, actor.pk)
    item.delete()


def _check_agenda_open(item: AgendaItem) -> None:
    session = item.session
    if not AgendaItem.objects.select_for_update().filter(pk=item.pk).exists():
        raise ValidationError("This talking point was removed in the meantime.")
    if not session.engagement.is_open:
        raise ValidationError("This engagement is closed: its sessions stay as they were.")
    if session.is_completed:
        raise ValidationError("This session has ended: its agenda stays as it was.")


@transaction.atomic
def dismiss_status_nudge(actor: Person, item: AgendaItem) -> None:
    require(policy.can_change_agenda(actor, item.session))
    item.nudge_dismissed = True
    item.save(update_fields=["nudge_dismissed"])


# --- notes -------------------------------------------------------------------------


@transaction.atomic
def add_note(actor: Person, session: Session, *, body: str, visibility: str) -> Note:
    """A shared note (both parties read it) or a private one (its author alone)."""
    require(policy.can_contribute(actor, session.engagement))
    if visibility not in NoteVisibility.values:
        raise ValidationError("Choose whether the note is shared or private.")
    note = Note.objects.create(session=session, author=actor, body=body, visibility=visibility)
    log.info("note.added note=%s actor=%s", note.pk, actor.pk)
    return note


NOTE_BODY_MAX = 10_000


@transaction.atomic
def edit_note(
    actor: Person, note: Note, *, body: str, visibility: str, now: dt.datetime | None = None
) -> Note:
    """Its author rewrites a note, or changes who reads it. A change is marked with
    when it was made, which both parties see on a shared note. ``PermissionDenied``
    for anyone else; ``ValidationError`` for an empty or overlong body."""
    require(policy.can_edit_note(actor, note))
    if not Note.objects.select_for_update().filter(pk=note.pk).exists():
        raise ValidationError("This note was removed in the meantime.")
    errors: dict[str, str] = {}
    if not body.strip():
        errors["body"] = "Write something before saving the note."
    elif len(body) > NOTE_BODY_MAX:
        errors["body"] = f"Keep the note to {NOTE_BODY_MAX} characters."
    if visibility not in NoteVisibility.values:
        errors["visibility"] = "Choose whether the note is shared or private."
    if errors:
        raise ValidationError(errors)
    if body == note.body and visibility == note.visibility:
        return note
    note.body = body
    note.visibility = visibility
    note.edited_at = now or timezone.now()
    note.save(update_fields=["body", "visibility", "edited_at"])
    log.info("note.edited note=%s actor=%s", note.pk, actor.pk)
    return note


@transaction.atomic
def delete_note(actor: Person, note: Note) -> None:
    require(policy.can_edit_note(actor, note))
    log.info("note.deleted note=%s actor=%s", note.pk, actor.pk)
    note.delete()


# --- action items ------------------------------------------------------------------


@transaction.atomic
def add_action_item(
    actor: Person, session: Session, *, owner: Person, description: str, due_on: dt.date
) -> ActionItem:
    """Who does what by when; the owner is one of the two parties."""
    engagement = session.engagement
    require(policy.can_contribute(actor, engagement))
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
    if owner.pk != actor.pk:
        notify(
            owner,
            Kind.ACTION_ASSIGNED,
            title=f"{actor.name} gave you an action item",
            url=reverse("coaching:session", args=[session.code]),
            key=f"action-assigned:{item.pk}:{owner.pk}",
            subject=item,
        )
    log.info("action_item.added item=%s actor=%s", item.pk, actor.pk)
    return item


ACTION_TEXT_MAX = 300


@transaction.atomic
def edit_action_item(
    actor: Person,
    item: ActionItem,
    *,
    owner: Person,
    description: str,
    due_on: dt.date,
    page: Session | None = None,
) -> ActionItem:
    """Either party changes what, who (one of the two of them) or by when, while the
    engagement is open. A new owner other than the actor is told, as when an item is
    given (names and kind, never the description); ``page`` is the session page the
    notification links to (the item's own by default)."""
    engagement = item.engagement
    _check_action_item_open(actor, item)
    errors: dict[str, str] = {}
    if not engagement.is_party(owner):
        errors["owner"] = "An action item belongs to one of the two of you."
    description = description.strip()
    if not description:
        errors["description"] = "Say what will be done."
    elif len(description) > ACTION_TEXT_MAX:
        errors["description"] = f"Keep this to {ACTION_TEXT_MAX} characters."
    if errors:
        raise ValidationError(errors)
    reassigned = owner.pk != item.owner_id
    item.owner = owner
    item.description = description
    item.due_on = due_on
    item.save(update_fields=["owner", "description", "due_on"])
    if reassigned and owner.pk != actor.pk:
        notify(
            owner,
            Kind.ACTION_ASSIGNED,
            title=f"{actor.name} gave you an action item",
            url=reverse("coaching:session", args=[(page or item.session).code]),
            key=f"action-assigned:{item.pk}:{owner.pk}",
            subject=item,
        )
    log.info("action_item.edited item=%s actor=%s reassigned=%s", item.pk, actor.pk, reassigned)
    return item


def _check_action_item_open(actor: Person, item: ActionItem) -> None:
    """A party, while the engagement is open, on an item still there (the other
    party may have removed it a moment ago): locked until the change is saved."""
    require(item.engagement.is_party(actor))
    if not item.engagement.is_open:
        raise ValidationError(
            "This engagement is closed: its action items stay as they are "
            "(you can still tick yours off)."
        )
    if not ActionItem.objects.select_for_update().filter(pk=item.pk).exists():
        raise ValidationError("This action item was removed in the meantime.")


@transaction.atomic
def remove_action_item(actor: Person, item: ActionItem) -> None:
    """Either party removes an action item while the engagement is open: gone from
    every session page and from its owner's home (a notification of it goes too)."""
    _check_action_item_open(actor, item)
    log.info("action_item.removed item=%s actor=%s", item.pk, actor.pk)
    item.delete()


@transaction.atomic
def set_action_item_done(
    actor: Person, item: ActionItem, *, done: bool, now: dt.datetime | None = None
) -> None:
    """Tick an item off (recording when) or reopen it."""
    require(policy.can_tick_action_item(actor, item))
    item.done_at = (now or timezone.now()) if done else None
    item.save(update_fields=["done_at"])
