"""The session and engagement lifecycle of issue 12 (points 4 and 6), without a
browser: cadence kept visibly ("last met", missed gaps), moving, cancelling and
skipping with a reason the other party reads, declining a proposal, and the
confirmation that closing an engagement and ending a session early ask for.

Privacy, bad input and query counts are in ``test_lifecycle_privacy.py``; the same
journeys in a real browser, with and without JavaScript, in
``test_lifecycle_browser.py``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from cairn.coaching import calendar, services
from cairn.coaching.cadence import cadence_record
from cairn.coaching.models import (
    AgendaItem,
    Cadence,
    Engagement,
    EngagementKind,
    EngagementStatus,
    Session,
    VersionStatus,
)
from cairn.coaching.portable import export_agreements
from cairn.coaching.reminders import session_reminders, weekly_digest
from cairn.coaching.tests.factories import (
    make_agenda_item,
    make_engagement,
    make_session,
    one_on_one,
)
from cairn.mail.models import OutgoingEmail
from cairn.notifications import registry
from cairn.notifications.models import Kind, Notification
from cairn.testing import Cast, client_for, html

pytestmark = pytest.mark.django_db

# Noon, so that "N days ago" counts whole days whatever the clock's hour.
NOW = dt.datetime(2026, 12, 1, 12, 0, tzinfo=dt.UTC)
CONFIRMED = {"confirmed": "yes"}


def engagement_url(engagement: Engagement) -> str:
    return reverse("coaching:engagement", args=[engagement.code])


def session_url(session: Session) -> str:
    return reverse("coaching:session", args=[session.code])


def held(engagement: Engagement, days_ago: int) -> Session:
    return make_session(engagement, when=NOW - dt.timedelta(days=days_ago), completed=True)


# --- cadence kept, visibly ---------------------------------------------------------


def test_cadence_record_marks_only_gaps_longer_than_one_and_a_half_cadences() -> None:
    def met(days_ago: int) -> Session:
        when = NOW - dt.timedelta(days=days_ago)
        return Session(pk=days_ago, scheduled_for=when, completed_at=when)

    # Fortnightly: 21 days is the limit; 23 is missed, 14 and 21 are not.
    sessions = [met(60), met(37), met(23), met(2), Session(pk=1, scheduled_for=NOW)]
    record = cadence_record(sessions, Cadence.FORTNIGHTLY, is_open=True, now=NOW)
    assert record.days_since == 2
    assert record.missed_before == {37: 23}
    assert record.missed_now is None
    # 21 days exactly is within the limit; a cancelled or upcoming one is no meeting.
    record = cadence_record([met(30), met(9)], Cadence.FORTNIGHTLY, is_open=True, now=NOW)
    assert record.missed_before == {}
    # The gap now counts too, while the engagement is open.
    record = cadence_record([met(11)], Cadence.WEEKLY, is_open=True, now=NOW)
    assert record.missed_now == 11
    assert cadence_record([met(11)], Cadence.WEEKLY, is_open=False, now=NOW).missed_now is None
    assert cadence_record([], Cadence.WEEKLY, is_open=True, now=NOW).last_met is None


def test_a_session_ended_before_its_time_counts_as_met_when_it_ended() -> None:
    ended_early = Session(
        pk=1, scheduled_for=NOW + dt.timedelta(days=3), completed_at=NOW - dt.timedelta(days=1)
    )
    record = cadence_record([ended_early], Cadence.WEEKLY, is_open=True, now=NOW)
    assert record.days_since == 1


@time_machine.travel(NOW, tick=False)
def test_both_parties_see_when_they_last_met_and_the_missed_gaps(cast: Cast) -> None:
    engagement = make_engagement(cast.coach, cast.report, cadence=Cadence.FORTNIGHTLY)
    for days_ago in (60, 37, 30):
        held(engagement, days_ago)
    make_session(engagement, when=NOW + dt.timedelta(days=2))
    for person in (cast.coach, cast.report):
        page = html(client_for(person).get(engagement_url(engagement)))
        assert "Last met 30 days ago" in page
        assert "23 days between sessions, cadence fortnightly" in page
        # The gap since: 30 days already, longer than 21.
        assert "30 days since you last met, cadence fortnightly" in page
        assert "7 days between sessions" not in page


@time_machine.travel(NOW, tick=False)
def test_an_engagement_never_held_says_so_and_misses_nothing(cast: Cast) -> None:
    engagement = make_engagement(cast.coach, cast.report)
    make_session(engagement, when=NOW + dt.timedelta(days=1))
    page = html(client_for(cast.report).get(engagement_url(engagement)))
    assert "You have not met yet" in page
    assert "Missed" not in page


@time_machine.travel(NOW, tick=False)
def test_the_cadence_in_force_is_the_agreements(cast: Cast) -> None:
    engagement = make_engagement(cast.coach, cast.report, cadence=Cadence.EVERY_FOUR_WEEKS)
    held(engagement, 50)
    held(engagement, 20)
    page = html(client_for(cast.coach).get(engagement_url(engagement)))
    # 30 days is within 1.5 times four weeks (42 days).
    assert "Missed" not in page
    assert "cadence every four weeks" in page


# --- move, cancel, skip with a reason ---------------------------------------------


def test_moving_with_a_reason_tells_the_other_party_who_and_when_and_shows_the_reason(
    cast: Cast, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    session = make_session(one_on_one(cast.manager, cast.report), when=NOW + dt.timedelta(days=3))
    new_time = timezone.localtime(session.scheduled_for) + dt.timedelta(days=1)
    with (
        time_machine.travel(NOW, tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = client_for(cast.manager).post(
            reverse("coaching:session-move", args=[session.code]),
            {"scheduled_for": new_time.strftime("%Y-%m-%dT%H:%M"), "reason": "Board meeting"},
        )
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.scheduled_for == new_time
    assert session.change_reason == "Board meeting"
    page = html(client_for(cast.report).get(session_url(session)))
    assert "Moved by Maria Manager" in page
    assert "Board meeting" in page
    told = Notification.objects.get(recipient=cast.report, kind=Kind.SESSION_CHANGED)
    assert told.title.startswith("Maria Manager moved your session to ")
    assert "Board meeting" not in told.title
    assert not Notification.objects.filter(recipient=cast.manager, kind=Kind.SESSION_CHANGED)


def test_cancelling_with_a_reason_from_the_cancel_page(cast: Cast) -> None:
    session = make_session(one_on_one(cast.manager, cast.report), when=NOW + dt.timedelta(days=3))
    url = reverse("coaching:session-cancel", args=[session.code])
    with time_machine.travel(NOW, tick=False):
        asked = client_for(cast.report).get(url)
        assert asked.status_code == 200
        assert 'name="reason"' in html(asked)
        response = client_for(cast.report).post(url, {"reason": "Off sick today"})
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.is_cancelled
    assert not session.is_skipped
    page = html(client_for(cast.manager).get(engagement_url(session.engagement)))
    assert "Cancelled by Riley Report" in page
    assert "Off sick today" in page
    assert Notification.objects.filter(recipient=cast.manager, kind=Kind.SESSION_CHANGED).exists()


def test_skipping_moves_open_points_on_cancels_the_invitation_and_schedules_by_cadence(
    cast: Cast, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    engagement = one_on_one(cast.manager, cast.report)
    session = make_session(engagement, when=NOW + dt.timedelta(days=2))
    make_agenda_item(session, cast.report, "The conference budget")
    done = make_agenda_item(session, cast.report, "Already sorted")
    done.discussed = True
    done.save()
    with (
        time_machine.travel(NOW, tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        asked = client_for(cast.manager).post(
            reverse("coaching:session-skip", args=[session.code]), {"reason": "Offsite week"}
        )
        # Without JavaScript it asks first, keeping the reason; nothing changed yet.
        assert asked.status_code == 200
        assert asked["X-Cairn-Confirm"] == "ask"
        assert 'value="Offsite week"' in html(asked)
        assert not Session.objects.get(pk=session.pk).is_cancelled
        response = client_for(cast.manager).post(
            reverse("coaching:session-skip", args=[session.code]),
            {"reason": "Offsite week", **CONFIRMED},
        )
    session.refresh_from_db()
    assert session.is_skipped
    assert session.is_cancelled
    following = Session.objects.exclude(pk=session.pk).get(engagement=engagement)
    # One week on, by the weekly cadence, and the page goes there.
    assert following.scheduled_for == session.scheduled_for + dt.timedelta(weeks=1)
    assert response["Location"] == session_url(following)
    carried = AgendaItem.objects.filter(session=following)
    assert [item.text for item in carried] == ["The conference budget"]
    cancels = OutgoingEmail.objects.filter(key__startswith=f"invite:{session.code}:1:")
    assert cancels.count() == 2
    assert all(e.subject.startswith("Cancelled:") for e in cancels)
    assert "METHOD:CANCEL" in cancels[0].ics
    told = Notification.objects.get(recipient=cast.report, kind=Kind.SESSION_CHANGED)
    assert told.title.startswith("Maria Manager skipped your session of ")
    page = html(client_for(cast.report).get(session_url(session)))
    assert "Skipped by Maria Manager" in page
    assert "Offsite week" in page
    assert "skipped" in html(client_for(cast.report).get(engagement_url(engagement)))


def test_a_session_that_did_not_happen_can_be_skipped_afterwards(cast: Cast) -> None:
    engagement = one_on_one(cast.manager, cast.report)
    past = make_session(engagement, when=timezone.now() - dt.timedelta(days=1))
    response = client_for(cast.report).post(
        reverse("coaching:session-skip", args=[past.code]), CONFIRMED
    )
    assert response.status_code == 302
    past.refresh_from_db()
    assert past.is_skipped
    # No cancellation for a time gone by.
    assert not OutgoingEmail.objects.filter(key__startswith=f"invite:{past.code}:1:").exists()


def test_an_ended_session_cannot_be_skipped(cast: Cast) -> None:
    session = held(one_on_one(cast.manager, cast.report), 3)
    with pytest.raises(ValidationError, match="has ended"):
        services.skip_session(cast.manager, session)
    page = html(client_for(cast.manager).get(session_url(session)))
    assert reverse("coaching:session-skip", args=[session.code]) not in page


# --- ending a session before it starts asks first ---------------------------------


def test_ending_a_future_session_asks_first_without_javascript(cast: Cast) -> None:
    session = make_session(
        one_on_one(cast.manager, cast.report),
        when=dt.datetime(2026, 12, 9, 10, 0, tzinfo=timezone.get_current_timezone()),
    )
    url = reverse("coaching:session-complete", args=[session.code])
    with time_machine.travel(NOW, tick=False):
        page = html(client_for(cast.manager).get(session_url(session)))
        assert 'data-confirm="This session is scheduled for Wed 9 Dec, 10:00. End it now?"' in page
        asked = client_for(cast.manager).post(url)
        assert asked.status_code == 200
        assert "This session is scheduled for Wed 9 Dec, 10:00. End it now?" in html(asked)
        assert not Session.objects.get(pk=session.pk).is_completed
        done = client_for(cast.manager).post(url, CONFIRMED)
    assert done.status_code == 302
    assert Session.objects.get(pk=session.pk).is_completed


def test_a_session_already_started_ends_without_asking(cast: Cast) -> None:
    session = make_session(
        one_on_one(cast.manager, cast.report), when=timezone.now() - dt.timedelta(minutes=5)
    )
    page = html(client_for(cast.manager).get(session_url(session)))
    assert "End it now?" not in page
    response = client_for(cast.manager).post(
        reverse("coaching:session-complete", args=[session.code])
    )
    assert response.status_code == 302
    assert Session.objects.get(pk=session.pk).is_completed


# --- closing asks first -------------------------------------------------------------


def test_closing_an_engagement_asks_first_and_says_the_debrief_comes_next(cast: Cast) -> None:
    engagement = make_engagement(cast.coach, cast.report)
    url = reverse("coaching:engagement-close", args=[engagement.code])
    page = html(client_for(cast.report).get(engagement_url(engagement)))
    assert 'data-confirm="Close the engagement with Cody Coach?' in page
    asked = client_for(cast.report).post(url)
    assert asked.status_code == 200
    text = html(asked)
    assert "Close the coaching engagement with Cody Coach?" in text
    assert "the debrief comes next" in text
    assert "history stays" in text
    engagement.refresh_from_db()
    assert engagement.is_open
    client_for(cast.report).post(url, CONFIRMED)
    engagement.refresh_from_db()
    assert engagement.status == EngagementStatus.CLOSED


# --- declining a proposal -----------------------------------------------------------


def test_declining_asks_then_the_proposer_reads_the_reason_and_is_told(cast: Cast) -> None:
    engagement = make_engagement(cast.coach, cast.report, agreed=False)
    url = reverse("coaching:engagement-decline", args=[engagement.code])
    page = html(client_for(cast.report).get(engagement_url(engagement)))
    assert url in page
    # The proposer has nothing to decline: only the party it waits for.
    assert url not in html(client_for(cast.coach).get(engagement_url(engagement)))
    asked = client_for(cast.report).post(url, {"reason": "Too much on this quarter"})
    assert asked.status_code == 200
    assert 'value="Too much on this quarter"' in html(asked)
    engagement.refresh_from_db()
    assert engagement.status == EngagementStatus.PROPOSED
    response = client_for(cast.report).post(
        url, {"reason": "Too much on this quarter", **CONFIRMED}
    )
    assert response.status_code == 302
    engagement.refresh_from_db()
    assert engagement.status == EngagementStatus.CLOSED
    assert engagement.is_declined
    assert engagement.agreement_versions.get().status == VersionStatus.LAPSED
    proposer = html(client_for(cast.coach).get(engagement_url(engagement)))
    assert "Declined" in proposer
    assert "Too much on this quarter" in proposer
    # Never held: no debrief to write, no invitation to write one at home.
    assert "Write your debrief" not in proposer
    assert engagement_url(engagement) not in html(client_for(cast.coach).get(reverse("home")))
    told = Notification.objects.get(recipient=cast.coach, kind=Kind.ENGAGEMENT_DECLINED)
    assert told.title == "Riley Report declined the coaching engagement"
    assert told.url == engagement_url(engagement)
    # It shows in the proposer's notifications although the engagement has closed.
    assert registry.still_visible(cast.coach, [told]) == [told]


def test_a_declined_engagement_can_be_proposed_again(cast: Cast) -> None:
    first = make_engagement(cast.coach, cast.report, agreed=False)
    services.decline_engagement(cast.report, first)
    again = make_engagement(cast.coach, cast.report, agreed=False)
    assert again.pk != first.pk
    assert list(Engagement.objects.open().filter(giver=cast.coach, receiver=cast.report)) == [again]


def test_declining_twice_says_it_is_answered(cast: Cast) -> None:
    engagement = make_engagement(cast.coach, cast.report, agreed=False)
    services.decline_engagement(cast.report, engagement)
    response = client_for(cast.report).post(
        reverse("coaching:engagement-decline", args=[engagement.code]), CONFIRMED, follow=True
    )
    assert "answered already" in html(response)


def test_an_agreed_engagement_cannot_be_declined(cast: Cast) -> None:
    engagement = make_engagement(
        cast.coach, cast.report, kind=EngagementKind.MENTORING, agreed=True
    )
    with pytest.raises(PermissionDenied):
        services.decline_engagement(cast.report, engagement)
    engagement.refresh_from_db()
    assert engagement.is_open


def test_the_invitation_for_a_moved_session_names_no_reason(cast: Cast) -> None:
    session = make_session(one_on_one(cast.manager, cast.report), when=NOW + dt.timedelta(days=3))
    with time_machine.travel(NOW, tick=False):
        services.reschedule_session(
            cast.report,
            session,
            session.scheduled_for + dt.timedelta(hours=2),
            reason="my therapist moved",
        )
    assert "therapist" not in calendar.invitation_ics(session, calendar.REQUEST, now=NOW)


def test_a_declined_proposal_stays_in_both_exports_with_its_status(cast: Cast) -> None:
    proposal = make_engagement(cast.coach, cast.report, agreed=False)
    services.decline_engagement(cast.report, proposal, reason="Not now")
    for person in (cast.coach, cast.report):
        (version,) = export_agreements(person)
        assert version["status"] == VersionStatus.LAPSED
        assert version["proposed_by"] == ("self" if person == cast.coach else "Cody Coach")


def test_skipped_and_cancelled_sessions_leave_the_week_and_the_reminders(cast: Cast) -> None:
    monday = dt.datetime(2026, 12, 7, 7, 0, tzinfo=timezone.get_current_timezone())
    engagement = one_on_one(cast.manager, cast.report)
    with time_machine.travel(monday - dt.timedelta(days=3), tick=False):
        kept = make_session(engagement, when=monday + dt.timedelta(days=1, hours=3))
        skipped = make_session(engagement, when=monday + dt.timedelta(days=2, hours=3))
        cancelled = make_session(engagement, when=monday + dt.timedelta(days=3, hours=3))
        services.skip_session(cast.report, skipped)
        services.cancel_session(cast.report, cancelled)
    weekly_digest(monday)
    email = OutgoingEmail.objects.get(key__startswith=f"your-week:{cast.report.pk}:")
    assert str(kept.code) in email.text
    assert str(skipped.code) not in email.text
    assert str(cancelled.code) not in email.text
    # The day before each, from 08:00: only the session kept is reminded of.
    for day in range(3):
        session_reminders(monday + dt.timedelta(days=day, hours=1))
    reminded = Notification.objects.filter(kind=Kind.SESSION_TOMORROW)
    assert {n.url for n in reminded} == {session_url(kept)}
    assert {n.recipient for n in reminded} == {cast.manager, cast.report}
