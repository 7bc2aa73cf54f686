"""Invitations: when a session is scheduled, moved or cancelled, both parties get an
email with an ``.ics`` (METHOD REQUEST / CANCEL, one UID per session, a SEQUENCE one
higher on every change), parsed back here with ``icalendar``; and the minimal forms
that move and cancel a session, which only its parties reach."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from cairn.coaching import calendar
from cairn.coaching import services as coaching
from cairn.coaching.models import EngagementKind, Session
from cairn.coaching.tests.factories import (
    make_action_item,
    make_agenda_item,
    make_engagement,
    make_note,
    make_session,
    one_on_one,
    soon,
)
from cairn.mail.models import OutgoingEmail
from cairn.testing import ROLES, Cast, client_for, html, make_person
from cairn.testing.accessibility import problems

pytestmark = pytest.mark.django_db

CANARY = "CANARY-invite-91c2"


def invitations(session: Session) -> list[OutgoingEmail]:
    return list(
        OutgoingEmail.objects.filter(key__startswith=f"invite:{session.code}:").order_by("id")
    )


def event_of(email: OutgoingEmail) -> tuple[Calendar, Any]:
    cal = Calendar.from_ical(email.ics)
    (event,) = cal.walk("VEVENT")
    return cal, event


def assert_no_content(email: OutgoingEmail) -> None:
    for part in (email.subject, email.text, email.html, email.ics):
        assert CANARY not in part


def test_scheduling_moving_and_cancelling_send_one_changing_invitation(cast: Cast) -> None:
    engagement = one_on_one(cast.manager, cast.report)
    session = make_session(engagement, when=soon(2))
    make_agenda_item(session, cast.report, f"agenda {CANARY}")
    make_note(session, cast.manager, f"private {CANARY}", private=True)
    make_action_item(session, cast.report, f"item {CANARY}")
    uid = calendar.session_uid(session)

    coaching.reschedule_session(cast.report, session, soon(3, hour=14))
    coaching.cancel_session(cast.manager, session)

    emails = invitations(session)
    assert [e.key for e in emails] == [
        f"invite:{session.code}:{sequence}:{person.code}"
        for sequence in (0, 1, 2)
        for person in (cast.manager, cast.report)
    ]
    assert [e.to for e in emails[:2]] == [cast.manager.user.email, cast.report.user.email]
    seen = []
    for email in emails:
        assert_no_content(email)
        cal, event = event_of(email)
        assert str(cal["VERSION"]) == "2.0"
        assert str(cal["PRODID"]) == calendar.PRODID
        assert str(cal["METHOD"]) == email.ics_method
        assert str(event["UID"]) == uid
        start = event.decoded("DTSTART")
        assert start.utcoffset() == dt.timedelta(0)
        assert event.decoded("DTEND") - start == calendar.SESSION_LENGTH
        assert event.decoded("DTSTAMP").utcoffset() == dt.timedelta(0)
        attendees = sorted(str(a) for a in event["ATTENDEE"])
        assert attendees == sorted(f"mailto:{p.user.email}" for p in (cast.manager, cast.report))
        assert "ORGANIZER" in event
        seen.append((event["SEQUENCE"], str(cal["METHOD"]), str(event["STATUS"]), start))
    assert seen[::2] == [
        (0, "REQUEST", "CONFIRMED", soon(2)),
        (1, "REQUEST", "CONFIRMED", soon(3, hour=14)),
        (2, "CANCEL", "CANCELLED", soon(3, hour=14)),
    ]
    assert emails[0].subject == "Invitation: One-on-one: Maria Manager & Riley Report"
    assert emails[2].subject.startswith("Moved: ")
    assert emails[4].subject.startswith("Cancelled: ")


def test_invitations_are_delivered_with_the_calendar_attached(
    cast: Cast, django_capture_on_commit_callbacks
) -> None:
    engagement = one_on_one(cast.manager, cast.peer)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        session = make_session(engagement, when=soon(2))
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [cast.manager.user.email, cast.peer.user.email]
    )
    for message in mail.outbox:
        (_name, content, mimetype) = message.attachments[0]
        assert mimetype.startswith("text/calendar; method=REQUEST")
        (event,) = Calendar.from_ical(content).walk("VEVENT")
        assert str(event["UID"]) == calendar.session_uid(session)


def test_a_counseling_invitation_goes_to_its_two_parties_alone(cast: Cast) -> None:
    counseling = make_engagement(cast.coach, cast.report, EngagementKind.COUNSELING)
    session = make_session(counseling, when=soon(2))
    emails = invitations(session)
    assert sorted(e.to for e in emails) == sorted([cast.coach.user.email, cast.report.user.email])
    for email in emails:
        assert "ounsel" not in email.subject + email.text + email.ics
    # Nobody else got any email about it.
    assert not OutgoingEmail.objects.filter(text__contains=str(session.code)).exclude(
        to__in=[cast.coach.user.email, cast.report.user.email]
    )


def test_a_session_written_down_after_it_happened_sends_nothing(cast: Cast) -> None:
    session = make_session(
        one_on_one(cast.manager, cast.report), when=timezone.now() - dt.timedelta(days=1)
    )
    assert invitations(session) == []


def test_a_deactivated_party_gets_no_invitation(cast: Cast) -> None:
    leaver = make_person(cast.org, "Lou Leaver", manager=cast.manager)
    get_user_model().objects.filter(pk=leaver.user_id).update(is_active=False)
    session = make_session(one_on_one(cast.manager, leaver), when=soon(2))
    assert [e.to for e in invitations(session)] == [cast.manager.user.email]


# --- the services' rules -----------------------------------------------------------


def test_only_the_parties_move_or_cancel(cast: Cast) -> None:
    session = make_session(one_on_one(cast.manager, cast.report), when=soon(2))
    for role in ROLES:
        if role in ("manager", "report"):
            continue
        with pytest.raises(PermissionDenied):
            coaching.reschedule_session(getattr(cast, role), session, soon(4))
        with pytest.raises(PermissionDenied):
            coaching.cancel_session(getattr(cast, role), session)
    session.refresh_from_db()
    assert (session.sequence, session.cancelled_at) == (0, None)


def test_what_cannot_be_moved_or_cancelled(cast: Cast) -> None:
    engagement = one_on_one(cast.manager, cast.report)
    now = soon(1)
    session = make_session(engagement, when=soon(2))
    with pytest.raises(ValidationError, match="in the future"):
        coaching.reschedule_session(cast.report, session, now - dt.timedelta(hours=1), now=now)
    with pytest.raises(ValidationError, match="at this time already"):
        coaching.reschedule_session(cast.report, session, session.scheduled_for, now=now)
    with pytest.raises(ValidationError, match="has started"):
        coaching.cancel_session(cast.report, session, now=soon(2, hour=11))
    coaching.cancel_session(cast.report, session, now=now)
    with pytest.raises(ValidationError, match="cancelled already"):
        coaching.reschedule_session(cast.report, session, soon(5), now=now)
    with pytest.raises(ValidationError, match="cancelled"):
        coaching.complete_session(cast.report, Session.objects.get(pk=session.pk))
    ended = make_session(engagement, when=soon(6))
    ended.completed_at = now
    ended.save(update_fields=["completed_at"])
    with pytest.raises(ValidationError, match="has ended"):
        coaching.cancel_session(cast.report, ended, now=now)
    # Nothing failed half-way: one cancellation, no other change.
    session.refresh_from_db()
    assert session.sequence == 1
    assert len(invitations(session)) == 4


# --- the pages ---------------------------------------------------------------------


def test_moving_from_the_session_page(cast: Cast) -> None:
    session = make_session(one_on_one(cast.manager, cast.report), when=soon(2))
    client = client_for(cast.report)
    page = html(client.get(reverse("coaching:session", args=[session.code])))
    assert "Move the session" in page
    assert "Cancel this session" in page
    when = soon(4, hour=9).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        reverse("coaching:session-move", args=[session.code]), {"scheduled_for": when}
    )
    assert response.status_code == 302
    session.refresh_from_db()
    assert (session.scheduled_for, session.sequence) == (soon(4, hour=9), 1)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("", "Choose the new time."),
        ("next tuesday", "Enter the date and time"),
        ("9999-01-01T10:00", "Choose a date between 2000 and 2100."),
        ("2001-01-01T10:00", "Choose a time in the future."),
    ],
)
def test_moving_to_a_bad_time_says_why_and_changes_nothing(
    cast: Cast, value: str, message: str
) -> None:
    session = make_session(one_on_one(cast.manager, cast.report), when=soon(2))
    response = client_for(cast.report).post(
        reverse("coaching:session-move", args=[session.code]), {"scheduled_for": value}
    )
    assert response.status_code == 422
    assert message in html(response)
    session.refresh_from_db()
    assert (session.scheduled_for, session.sequence) == (soon(2), 0)
    assert len(invitations(session)) == 2


def test_cancelling_asks_first_then_cancels(cast: Cast) -> None:
    session = make_session(one_on_one(cast.manager, cast.report), when=soon(2))
    make_agenda_item(session, cast.report, f"agenda {CANARY}")
    client = client_for(cast.manager)
    url = reverse("coaching:session-cancel", args=[session.code])
    confirm = client.get(url)
    assert confirm.status_code == 200
    assert "Cancel the session with Riley Report?" in html(confirm)
    assert CANARY not in html(confirm)
    session.refresh_from_db()
    assert session.cancelled_at is None  # asking changed nothing
    assert client.post(url).status_code == 302
    session.refresh_from_db()
    assert session.cancelled_at is not None
    page = html(client.get(reverse("coaching:session", args=[session.code])))
    assert "cancelled" in page
    assert "Move the session" not in page
    assert "End session" not in page
    listed = html(client.get(reverse("coaching:engagement", args=[session.engagement.code])))
    assert "cancelled" in listed
    again = client.post(url)
    assert again.status_code == 422
    assert "cancelled already" in html(again)


def test_nobody_else_reaches_move_or_cancel(cast: Cast) -> None:
    session = make_session(one_on_one(cast.manager, cast.report), when=soon(2))
    make_agenda_item(session, cast.report, f"agenda {CANARY}")
    root = make_person(cast.org, "Sam Superuser", is_org_admin=True)
    get_user_model().objects.filter(pk=root.user_id).update(is_superuser=True, is_staff=True)
    others = {role: getattr(cast, role) for role in ROLES if role not in ("manager", "report")}
    others["superuser"] = root
    move = reverse("coaching:session-move", args=[session.code])
    cancel = reverse("coaching:session-cancel", args=[session.code])
    for who, person in others.items():
        client = client_for(person)
        for response in (
            client.get(cancel),
            client.post(cancel),
            client.post(move, {"scheduled_for": soon(5).strftime("%Y-%m-%dT%H:%M")}),
        ):
            assert response.status_code == 404, who
            assert CANARY not in html(response), who
    session.refresh_from_db()
    assert (session.sequence, session.cancelled_at) == (0, None)


def test_the_move_and_cancel_pages_are_labelled(cast: Cast) -> None:
    session = make_session(one_on_one(cast.manager, cast.report), when=soon(2))
    client = client_for(cast.report)
    for response in (
        client.get(reverse("coaching:session", args=[session.code])),
        client.get(reverse("coaching:session-cancel", args=[session.code])),
        client.post(reverse("coaching:session-move", args=[session.code]), {}),
    ):
        assert problems(html(response)) == []


def test_a_cancelled_session_is_no_date_in_the_sponsor_summary(cast: Cast) -> None:
    from cairn.coaching.tests.test_terms import agreed, sponsor_url

    engagement = agreed(cast, sponsor_sees="purpose_and_dates")
    kept = make_session(engagement, when=soon(2))
    dropped = make_session(engagement, when=soon(9))
    coaching.cancel_session(cast.report, dropped)
    summary = html(client_for(cast.manager).get(sponsor_url(engagement)))
    assert kept.scheduled_for.date().isoformat() in summary
    assert dropped.scheduled_for.date().isoformat() not in summary


def test_closing_an_engagement_withdraws_the_invitations_of_sessions_to_come(
    cast: Cast,
) -> None:
    engagement = make_engagement(cast.coach, cast.peer)
    held = make_session(engagement, when=timezone.now() - dt.timedelta(days=3), completed=True)
    to_come = make_session(engagement, when=soon(3))
    coaching.close_engagement(cast.peer, engagement)
    emails = invitations(to_come)
    assert [e.ics_method for e in emails] == ["REQUEST", "REQUEST", "CANCEL", "CANCEL"]
    _, event = event_of(emails[-1])
    assert (event["SEQUENCE"], str(event["STATUS"])) == (1, "CANCELLED")
    assert str(event["UID"]) == calendar.session_uid(to_come)
    assert invitations(held) == []
