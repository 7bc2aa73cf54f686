"""Reasons for a change are the two parties' alone, bad input changes nothing, and
the engagement page's cadence record costs the same at 1 session as at 50.

Canaries planted in the reasons for a move, a cancellation, a skip and a declined
proposal never reach anyone but the two parties (the whole cast, a Django superuser
included), nor any notification, email, invitation or calendar feed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cairn.coaching import calendar, services
from cairn.coaching.models import REASON_MAX, Engagement, EngagementStatus, Session
from cairn.coaching.tests.factories import make_engagement, make_session, one_on_one
from cairn.mail.models import OutgoingEmail
from cairn.notifications.models import Notification
from cairn.people.models import User
from cairn.testing import ROLES, Cast, client_for, count_queries, html
from cairn.testing.stored import every_cell, stored

pytestmark = pytest.mark.django_db

MOVED = "CANARY-moved my divorce hearing"
CANCELLED = "CANARY-cancelled panic attack"
SKIPPED = "CANARY-skipped burnt out"
DECLINED = "CANARY-declined I do not trust you"
CANARIES = [MOVED, CANCELLED, SKIPPED, DECLINED]
CONFIRMED = {"confirmed": "yes"}


def superuser_client() -> Client:
    user = User.objects.create_superuser("root", "root@example.org", "a-test-password-42")
    client = Client()
    client.force_login(user)
    return client


def plant(cast: Cast) -> tuple[Engagement, Engagement, list[Session]]:
    """A coaching engagement (coach → report) with a session moved, one cancelled and
    one skipped, each with a reason; and a proposal (manager → peer, mentoring) the
    peer declined with one."""
    engagement = make_engagement(cast.coach, cast.report)
    later = timezone.now() + dt.timedelta(days=3)
    moved, cancelled, skipped = (
        make_session(engagement, when=later + dt.timedelta(days=n)) for n in (0, 1, 2)
    )
    services.reschedule_session(
        cast.coach, moved, moved.scheduled_for + dt.timedelta(hours=1), reason=MOVED
    )
    services.cancel_session(cast.report, cancelled, reason=CANCELLED)
    services.skip_session(cast.coach, skipped, reason=SKIPPED)
    proposal = make_engagement(cast.manager, cast.peer, kind="mentoring", agreed=False)
    services.decline_engagement(cast.peer, proposal, reason=DECLINED)
    return engagement, proposal, [moved, cancelled, skipped]


def pages(engagement: Engagement, proposal: Engagement, sessions: list[Session]) -> list[str]:
    urls = [
        reverse("coaching:engagement", args=[engagement.code]),
        reverse("coaching:engagement", args=[proposal.code]),
        reverse("coaching:sponsor-summary", args=[engagement.code]),
        reverse("coaching:sponsor-summary", args=[proposal.code]),
        reverse("home"),
    ]
    urls += [reverse("coaching:session", args=[s.code]) for s in sessions]
    urls += [reverse("coaching:session-cancel", args=[s.code]) for s in sessions]
    return urls


def test_reasons_show_to_the_two_parties_only(cast: Cast) -> None:
    engagement, proposal, sessions = plant(cast)
    parties = {engagement: {"coach", "report"}, proposal: {"manager", "peer"}}
    for role in ROLES:
        client = client_for(cast.everyone()[role])
        for mine, canaries in ((engagement, [MOVED, CANCELLED, SKIPPED]), (proposal, [DECLINED])):
            response = client.get(reverse("coaching:engagement", args=[mine.code]))
            text = html(response)
            if role in parties[mine]:
                assert response.status_code == 200, role
                for canary in canaries:
                    assert canary in text, (role, canary)
            else:
                # 404, never 403: the page does not say whether it exists.
                assert response.status_code == 404, role
                assert not any(c in text for c in CANARIES), role
        for url in pages(engagement, proposal, sessions):
            text = html(client.get(url))
            for canary in CANARIES:
                if canary in text:
                    mine = proposal if canary == DECLINED else engagement
                    assert role in parties[mine], (role, url, canary)


def test_a_superuser_sees_no_reason_in_cairn_or_the_django_admin(cast: Cast) -> None:
    engagement, proposal, sessions = plant(cast)
    client = superuser_client()
    urls = [
        *pages(engagement, proposal, sessions),
        "/admin/coaching/engagement/",
        f"/admin/coaching/engagement/{engagement.pk}/change/",
        f"/admin/coaching/engagement/{proposal.pk}/change/",
        f"/admin/coaching/engagement/{proposal.pk}/delete/",
        "/admin/coaching/session/",
    ]
    for url in urls:
        response = client.get(url)
        text = html(response)
        assert not any(c in text for c in CANARIES), url
    # The admin page of the declined proposal opens, without its reason.
    assert client.get(f"/admin/coaching/engagement/{proposal.pk}/change/").status_code == 200


def test_no_reason_reaches_a_notification_an_email_an_invitation_or_a_feed(
    cast: Cast, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        plant(cast)
    assert Notification.objects.filter(kind="session_changed").count() == 3
    assert Notification.objects.filter(kind="engagement_declined").count() == 1
    places = [n.title + n.url for n in Notification.objects.all()]
    for e in OutgoingEmail.objects.all():
        places += [e.subject, e.text, e.html, e.ics]
    places += [str(m.message()) for m in mail.outbox]
    for person in cast.everyone().values():
        places.append(calendar.feed_ics(person).decode())
    assert OutgoingEmail.objects.filter(subject__startswith="Cancelled:").exists()
    assert OutgoingEmail.objects.filter(subject__startswith="Moved:").exists()
    leaks = [place for place in places if any(c in place for c in CANARIES)]
    assert leaks == []


def test_what_others_may_not_do_is_a_404_and_changes_nothing(cast: Cast) -> None:
    engagement = make_engagement(cast.coach, cast.report)
    session = make_session(engagement, when=timezone.now() + dt.timedelta(days=2))
    proposal = make_engagement(cast.manager, cast.peer, kind="mentoring", agreed=False)
    posts = {
        reverse("coaching:session-skip", args=[session.code]): {"reason": "x", **CONFIRMED},
        reverse("coaching:session-cancel", args=[session.code]): {"reason": "x"},
        reverse("coaching:session-move", args=[session.code]): {
            "scheduled_for": "2030-01-01T10:00"
        },
        reverse("coaching:engagement-decline", args=[proposal.code]): CONFIRMED,
        reverse("coaching:engagement-close", args=[engagement.code]): CONFIRMED,
    }
    outsiders = [r for r in ROLES if r not in {"coach", "report", "manager", "peer"}]
    for role in outsiders:
        client = client_for(cast.everyone()[role])
        for url, data in posts.items():
            assert client.post(url, data).status_code == 404, (role, url)
    # A party to one engagement is nobody in another: the report cannot decline the
    # manager's proposal to the peer, nor the peer skip the coach's session.
    assert (
        client_for(cast.report)
        .post(reverse("coaching:engagement-decline", args=[proposal.code]), CONFIRMED)
        .status_code
        == 404
    )
    assert (
        client_for(cast.peer)
        .post(reverse("coaching:session-skip", args=[session.code]), CONFIRMED)
        .status_code
        == 404
    )
    superuser = superuser_client()
    for url, data in posts.items():
        # An account with no person in Cairn is turned away before anything is looked up.
        assert superuser.post(url, data).status_code == 403, url
    session.refresh_from_db()
    proposal.refresh_from_db()
    engagement.refresh_from_db()
    assert not session.is_cancelled
    assert session.sequence == 0
    assert proposal.status == EngagementStatus.PROPOSED
    assert engagement.is_open


def test_the_proposer_cannot_decline_their_own_proposal(cast: Cast) -> None:
    proposal = make_engagement(cast.manager, cast.peer, kind="mentoring", agreed=False)
    response = client_for(cast.manager).post(
        reverse("coaching:engagement-decline", args=[proposal.code]), CONFIRMED
    )
    assert response.status_code == 403
    proposal.refresh_from_db()
    assert proposal.status == EngagementStatus.PROPOSED


# --- bad input: a clear message, 422, nothing changed -------------------------------

TOO_LONG = "x" * (REASON_MAX + 1)
REASON_MESSAGE = f"Keep the reason to {REASON_MAX} characters."


@pytest.mark.parametrize(
    ("when", "message"),
    [
        ("2030-01-01T10:00", REASON_MESSAGE),
        ("2020-01-01T10:00", "Choose a time in the future."),
        ("10000-01-01T10:00", "Enter the date and time as YYYY-MM-DD HH:MM"),
        ("2999-01-01T10:00", "Choose a date between 2000 and 2100."),
        ("next tuesday", "Enter the date and time as YYYY-MM-DD HH:MM"),
        ("", "Choose the new time."),
    ],
)
def test_moving_with_bad_input_says_why_and_changes_nothing(
    cast: Cast, when: str, message: str
) -> None:
    session = make_session(
        one_on_one(cast.manager, cast.report), when=timezone.now() + dt.timedelta(days=2)
    )
    reason = TOO_LONG if message == REASON_MESSAGE else "ok"
    response = client_for(cast.report).post(
        reverse("coaching:session-move", args=[session.code]),
        {"scheduled_for": when, "reason": reason},
    )
    assert response.status_code == 422
    assert message in html(response)
    moved = Session.objects.get(pk=session.pk)
    assert moved.scheduled_for == session.scheduled_for
    assert moved.sequence == 0
    assert moved.change_reason == ""
    assert not Notification.objects.filter(kind="session_changed").exists()


def test_cancelling_or_skipping_with_too_long_a_reason_changes_nothing(cast: Cast) -> None:
    session = make_session(
        one_on_one(cast.manager, cast.report), when=timezone.now() + dt.timedelta(days=2)
    )
    client = client_for(cast.report)
    for url in (
        reverse("coaching:session-cancel", args=[session.code]),
        reverse("coaching:session-skip", args=[session.code]),
    ):
        response = client.post(url, {"reason": TOO_LONG, **CONFIRMED})
        assert response.status_code == 422, url
        assert REASON_MESSAGE in html(response), url
    session.refresh_from_db()
    assert not session.is_cancelled
    assert not session.is_skipped
    assert Session.objects.count() == 1


def test_declining_with_too_long_a_reason_changes_nothing(cast: Cast) -> None:
    proposal = make_engagement(cast.manager, cast.peer, kind="mentoring", agreed=False)
    response = client_for(cast.peer).post(
        reverse("coaching:engagement-decline", args=[proposal.code]),
        {"reason": TOO_LONG, **CONFIRMED},
    )
    assert response.status_code == 422
    assert REASON_MESSAGE in html(response)
    proposal.refresh_from_db()
    assert proposal.status == EngagementStatus.PROPOSED
    assert proposal.decline_reason == ""


def test_a_cancelled_session_cannot_be_moved_skipped_or_cancelled_again(cast: Cast) -> None:
    session = make_session(
        one_on_one(cast.manager, cast.report), when=timezone.now() + dt.timedelta(days=2)
    )
    services.cancel_session(cast.report, session)
    client = client_for(cast.manager)
    skip = client.post(reverse("coaching:session-skip", args=[session.code]), CONFIRMED)
    assert skip.status_code == 422
    assert "cancelled already" in html(skip)
    cancel = client.post(reverse("coaching:session-cancel", args=[session.code]))
    assert cancel.status_code == 422
    session.refresh_from_db()
    assert session.sequence == 1
    assert not session.is_skipped


# --- the engagement page's cost ----------------------------------------------------


def grow(engagement: Engagement, sessions: int) -> None:
    """``sessions`` sessions, some held, some moved with a reason, some skipped, with
    gaps long enough to be marked missed."""
    start = timezone.now() - dt.timedelta(days=20 * sessions)
    Session.objects.bulk_create(
        Session(
            engagement=engagement,
            template=engagement.template,
            scheduled_for=start + dt.timedelta(days=20 * n),
            completed_at=start + dt.timedelta(days=20 * n) if n % 3 else None,
            cancelled_at=None if n % 3 else start,
            skipped_at=None if n % 3 else start,
            changed_by=engagement.giver if n % 2 else None,
            change_reason=f"reason {n}" if n % 2 else "",
        )
        for n in range(sessions)
    )


def test_the_engagement_page_costs_the_same_at_one_session_and_at_fifty(cast: Cast) -> None:
    small = make_engagement(cast.coach, cast.report, cadence="weekly")
    large = make_engagement(cast.coach, cast.peer, cadence="weekly")
    grow(small, 1)
    grow(large, 50)
    client = client_for(cast.coach)

    def get(engagement: Engagement) -> Callable[[], object]:
        url = reverse("coaching:engagement", args=[engagement.code])
        return lambda: client.get(url)

    get(small)()  # warm up
    page = html(client.get(reverse("coaching:engagement", args=[large.code])))
    assert "Missed" in page
    assert "reason 49" in page
    assert count_queries(get(small)) == count_queries(get(large))


def test_a_plain_sql_dump_shows_no_reason(cast: Cast) -> None:
    _, proposal, sessions = plant(cast)
    leaks = [
        (table, value)
        for table, value in every_cell()
        if isinstance(value, str) and any(c in value for c in CANARIES)
    ]
    assert leaks == []
    # ... while the pages read them back as written.
    assert Session.objects.get(pk=sessions[0].pk).change_reason == MOVED
    assert Engagement.objects.get(pk=proposal.pk).decline_reason == DECLINED
    assert stored(Session, "change_reason", sessions[2].pk) != SKIPPED
