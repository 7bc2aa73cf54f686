"""The privacy proof of issue 11's notifications: a canary planted in every private
artefact — notes private and shared, agendas, action items, agreement terms, the
reasons for moving, cancelling or skipping a session and for declining a proposal, the
debrief, the mission statement, plan dreams and objectives, a mentoring request's
challenge, goals and answer, enrolment goals, a story's title and words and its
review, assessment evidence — never reaches a notification (title, link) or an
email (subject, text, HTML, calendar), although every event of the journey tells
someone and everyone chose to be emailed at once. And whatever a counseling
engagement tells reaches its two parties only.

It lives above the apps it drives (coaching, growth, mastery, mentoring, library)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone

from cairn.coaching import services as coaching
from cairn.coaching.agreements import terms_for
from cairn.coaching.models import ActionItem, AgreementVersion, Engagement, EngagementKind
from cairn.debriefs import services as debriefs
from cairn.debriefs.tests.factories import make_debrief, open_now
from cairn.growth import services as growth
from cairn.library import services as library
from cairn.library.models import ReviewDecision
from cairn.mail.models import OutgoingEmail
from cairn.mastery import services as mastery
from cairn.mastery.models import Competency
from cairn.mastery.tests.factories import grant, import_example
from cairn.mentoring import services as mentoring
from cairn.mentoring.tests.factories import enrol_mentee, enrol_mentor, make_profile, make_program
from cairn.notifications import registry
from cairn.notifications.models import Channel, Kind, Notification, Preference
from cairn.people import services as people
from cairn.tags.models import Tag
from cairn.testing import Cast, make_person

pytestmark = pytest.mark.django_db

CANARY = "KESTREL-canary-7731"


def planted(what: str) -> str:
    return f"{CANARY} in the {what}"


def everyone_wants_email(cast: Cast) -> None:
    """Everyone of the cast, and a second org admin, chose an email at once for
    every kind."""
    second_admin = make_person(cast.org, "Sam Second", is_org_admin=True)
    Preference.objects.bulk_create(
        Preference(person=person, kind=kind, channel=Channel.EMAIL)
        for person in [*cast.everyone().values(), second_admin]
        for kind in Kind.values
    )


def coaching_journey(cast: Cast) -> Engagement:
    """A coaching engagement from proposal to debrief, its agreement amended, with
    notes, agenda and action items."""
    terms = dataclasses.replace(
        terms_for(EngagementKind.COACHING, "fortnightly"),
        purpose=planted("purpose"),
        confidentiality=planted("confidentiality"),
    )
    engagement = coaching.propose_engagement(
        cast.coach,
        giver=cast.coach,
        receiver=cast.report,
        kind=EngagementKind.COACHING,
        cadence="fortnightly",
        terms=terms,
    )
    coaching.accept_engagement(cast.report, engagement)
    amended = dataclasses.replace(terms, purpose=planted("amended purpose"))
    coaching.propose_amendment(cast.report, engagement, amended)
    session_work(cast, engagement)
    lifecycle(cast, engagement)
    return engagement


def lifecycle(cast: Cast, engagement: Engagement) -> None:
    """Sessions moved, cancelled and skipped, and a proposal declined, each with a
    reason only the two parties read."""
    later = timezone.now() + dt.timedelta(days=3)
    moved, cancelled, skipped = (
        coaching.schedule_session(
            cast.coach, engagement, scheduled_for=later + dt.timedelta(days=n)
        )
        for n in (0, 1, 2)
    )
    coaching.reschedule_session(
        cast.report, moved, moved.scheduled_for + dt.timedelta(hours=1), reason=planted("move")
    )
    coaching.cancel_session(cast.coach, cancelled, reason=planted("cancellation"))
    coaching.skip_session(cast.report, skipped, reason=planted("skip"))
    proposal = coaching.propose_engagement(
        cast.peer,
        giver=cast.peer,
        receiver=cast.report,
        kind=EngagementKind.MENTORING,
        cadence="weekly",
    )
    coaching.decline_engagement(cast.report, proposal, reason=planted("declined proposal"))


def session_work(cast: Cast, engagement: Engagement) -> None:
    giver, receiver = engagement.giver, engagement.receiver
    session = coaching.schedule_session(
        giver, engagement, scheduled_for=timezone.now() + dt.timedelta(days=1)
    )
    coaching.add_agenda_item(receiver, session, planted("agenda"))
    coaching.add_note(giver, session, body=planted("private note"), visibility="private")
    coaching.add_note(receiver, session, body=planted("shared note"), visibility="shared")
    due = timezone.localdate() + dt.timedelta(days=7)
    coaching.add_action_item(
        giver, session, owner=receiver, description=planted("action item"), due_on=due
    )
    coaching.add_action_item(
        receiver, session, owner=giver, description=planted("action item back"), due_on=due
    )


def debrief(engagement: Engagement) -> None:
    coaching.close_engagement(engagement.giver, engagement)
    coaching.write_debrief(
        engagement.receiver,
        engagement,
        learnings=planted("debrief learnings"),
        distinctions=planted("debrief distinctions"),
        felt="transformational",
        next_steps=planted("debrief next steps"),
    )


def growth_journey(cast: Cast) -> None:
    growth.save_mission_statement(cast.report, text=planted("mission statement"))
    growth.save_plan(cast.report, dreams=planted("dreams"), become=planted("become"))
    growth.add_objective(cast.report, what=planted("objective"), why=planted("objective why"))
    growth.share(cast.report, cast.coach)


def mastery_journey(cast: Cast) -> None:
    track = import_example(cast.org).tracks.get(position=0)
    delivery = Competency.objects.get(track_links__track=track, name="Delivery")
    level = track.levels.get(name="Engineer")
    mastery.record_assessment(
        cast.coach, cast.report, delivery, level, evidence=planted("coach's evidence")
    )
    mastery.record_assessment(
        cast.report, cast.report, delivery, level, evidence=planted("self evidence")
    )
    mastery.share_assessments(cast.report, cast.manager)


def mentoring_journey(cast: Cast) -> None:
    make_profile(cast.director, helps="Design reviews and roadmaps")
    request = mentoring.send_request(
        cast.peer, cast.director, challenge=planted("challenge"), goals=planted("goals")
    )
    mentoring.answer_request(cast.director, request, accept=True, message=planted("answer"))
    program = make_program(cast.program_admin)
    enrol_mentor(program, cast.coach, capacity=2, goals=planted("mentor's enrolment goals"))
    enrol_mentee(program, cast.peer, goals=planted("mentee's enrolment goals"))
    mentoring.run_matching(cast.program_admin, program)
    mentoring.publish(cast.program_admin, program)


def library_journey(cast: Cast) -> None:
    grant(cast.coach, "coach")
    story = library.write_story(
        cast.report,
        title=planted("story title"),
        problem=planted("story problem"),
        actions=planted("story actions"),
        lessons=planted("story lessons"),
        tags=[Tag.objects.get(organisation=None, slug="leadership")],
    )
    library.submit_story(cast.report, story)
    review: dict[str, Any] = {
        "strengths": planted("review strengths"),
        "questions": planted("review questions"),
        "comments": planted("review comments"),
    }
    library.review_story(cast.coach, story, decision=ReviewDecision.RETURN, **review)
    library.submit_story(cast.report, story)
    library.review_story(cast.coach, story, decision=ReviewDecision.PUBLISH, **review)


def role_journey(cast: Cast) -> None:
    people.update_person(
        cast.admin,
        cast.report,
        name=cast.report.name,
        email=cast.report.user.email,
        title=cast.report.title,
        team=cast.report.team,
        manager=cast.report.manager,
        is_org_admin=False,
        is_active=True,
        is_program_admin=False,
        is_hr=True,
    )


def group_debrief_journey(cast: Cast) -> None:
    """A team debrief: invited, reflections written, opened, an action item given, a
    private note kept. The title is the host's and may be told; nothing written is."""
    group = make_debrief(cast.manager, people=[cast.report, cast.peer])
    debriefs.write_reflection(cast.report, group, happened=planted("group reflection"))
    debriefs.add_note(cast.report, group, body=planted("group debrief note"))
    open_now(group)
    debriefs.add_action_item(
        cast.manager,
        group,
        description=planted("group debrief action item"),
        owner=cast.report,
        due_on=timezone.localdate() + dt.timedelta(days=7),
    )


def everything_sent() -> list[tuple[str, str]]:
    """Every place a notification or an email could carry words, named."""
    places: list[tuple[str, str]] = []
    for n in Notification.objects.all():
        places += [(f"notification {n.kind} title", n.title), (f"notification {n.kind} url", n.url)]
    for e in OutgoingEmail.objects.all():
        for field in ("to", "subject", "text", "html", "ics"):
            places.append((f"email {e.key} {field}", getattr(e, field)))
    for message in mail.outbox:
        places.append((f"sent {message.subject}", str(message.subject)))
        places.append((f"sent body {message.subject}", str(message.message())))
    return places


def test_no_canary_reaches_any_notification_or_email(
    cast: Cast, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    everyone_wants_email(cast)
    with django_capture_on_commit_callbacks(execute=True):
        engagement = coaching_journey(cast)
        growth_journey(cast)
        mastery_journey(cast)
        debrief(engagement)
        mentoring_journey(cast)
        library_journey(cast)
        role_journey(cast)
        group_debrief_journey(cast)

    # The journey told something of every kind it drives, so the check below looks
    # at real notifications and emails, not at an empty table.
    told = set(Notification.objects.values_list("kind", flat=True))
    assert told >= {
        Kind.ENGAGEMENT_PROPOSED,
        Kind.AGREEMENT_TO_ACCEPT,
        Kind.ACTION_ASSIGNED,
        Kind.SHARED_WITH_YOU,
        Kind.REQUEST_RECEIVED,
        Kind.REQUEST_ANSWERED,
        Kind.MATCH_PUBLISHED,
        Kind.REVIEW_REQUESTED,
        Kind.STORY_RETURNED,
        Kind.STORY_PUBLISHED,
        Kind.ROLE_TO_CONFIRM,
        Kind.SESSION_CHANGED,
        Kind.ENGAGEMENT_DECLINED,
        Kind.DEBRIEF_INVITED,
        Kind.DEBRIEF_OPENED,
    }
    notifications = Notification.objects.count()
    assert OutgoingEmail.objects.filter(key__startswith="notification:").count() == notifications
    assert len(mail.outbox) >= notifications
    leaks = [where for where, text in everything_sent() if CANARY.lower() in text.lower()]
    assert leaks == []


def test_a_counseling_engagement_tells_its_two_parties_only(
    cast: Cast, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    everyone_wants_email(cast)
    with django_capture_on_commit_callbacks(execute=True):
        engagement = coaching.propose_engagement(
            cast.manager,
            giver=cast.manager,
            receiver=cast.report,
            kind=EngagementKind.COUNSELING,
            cadence="weekly",
        )
        coaching.accept_engagement(cast.report, engagement)
        amended = dataclasses.replace(
            coaching.current_terms(engagement), purpose=planted("counseling purpose")
        )
        coaching.propose_amendment(cast.manager, engagement, amended)
        session_work(cast, engagement)

    parties = {cast.manager, cast.report}
    about = {
        "coaching.engagement": [engagement.pk],
        "coaching.agreementversion": list(
            AgreementVersion.objects.filter(engagement=engagement).values_list("pk", flat=True)
        ),
        "coaching.actionitem": list(
            ActionItem.objects.filter(engagement=engagement).values_list("pk", flat=True)
        ),
    }
    rows = [
        n
        for n in Notification.objects.select_related("recipient")
        if n.subject_id in about.get(n.subject_type, [])
    ]
    assert {n.kind for n in rows} == {
        Kind.ENGAGEMENT_PROPOSED,
        Kind.AGREEMENT_TO_ACCEPT,
        Kind.ACTION_ASSIGNED,
    }
    assert {n.recipient for n in rows} == parties
    # Every notification the journey made is about the engagement: nobody else heard.
    assert Notification.objects.count() == len(rows)
    party_emails = {p.user.email for p in parties}
    assert {e.to for e in OutgoingEmail.objects.all()} <= party_emails
    assert {address for m in mail.outbox for address in m.to} <= party_emails
    for name, person in cast.everyone().items():
        if person not in parties:
            assert registry.still_visible(person, rows) == [], name
            assert not Notification.objects.visible_to(person).exists(), name
    leaks = [where for where, text in everything_sent() if CANARY.lower() in text.lower()]
    assert leaks == []
