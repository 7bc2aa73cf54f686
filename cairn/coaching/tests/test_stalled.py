"""Stalled engagements: agreed and open, no session held for twice the agreed cadence
and none to come. Counted in SQL (``Engagement.objects.stalled``), told once per
stall to the two parties (names and the kind, never content), shown on the
engagement page as a banner that leads to scheduling the next session."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from cairn.coaching import services as coaching
from cairn.coaching.models import Engagement, EngagementKind
from cairn.coaching.stalled import is_stalled, stalled_engagements
from cairn.coaching.tests.factories import make_agenda_item, make_engagement, make_session
from cairn.lib import schedule
from cairn.notifications.models import Channel, Kind, Notification, Preference
from cairn.people.models import Person
from cairn.testing import Cast, client_for, html

T0 = dt.datetime(2027, 3, 1, 9, 0, tzinfo=dt.UTC)
CANARY = "CANARY-stalled-agenda-91c2"


def days(n: float, hours: float = 0) -> dt.timedelta:
    return dt.timedelta(days=n, hours=hours)


def agreed(giver: Person, receiver: Person, cadence: str = "weekly", **kw: object) -> Engagement:
    with time_machine.travel(T0, tick=False):
        return make_engagement(giver, receiver, cadence=cadence, **kw)  # type: ignore[arg-type]


def stalled_ids(now: dt.datetime) -> set[int]:
    return set(Engagement.objects.stalled(now).values_list("pk", flat=True))


def page_says_stalled(engagement: Engagement, now: dt.datetime) -> bool:
    sessions = list(engagement.sessions.all())
    return is_stalled(Engagement.objects.get(pk=engagement.pk), sessions, now)


def told(kind: str = Kind.ENGAGEMENT_STALLED) -> list[tuple[str, str]]:
    return list(
        Notification.objects.filter(kind=kind)
        .order_by("recipient__name")
        .values_list("recipient__name", "title")
    )


@pytest.mark.parametrize(
    ("cadence", "quiet_days", "stalled"),
    [
        ("weekly", 13, False),  # 2 x 7 = 14 days: not yet
        ("weekly", 15, True),
        ("fortnightly", 27, False),  # 2 x 14 = 28
        ("fortnightly", 29, True),
        ("every_four_weeks", 55, False),  # 2 x 28 = 56
        ("every_four_weeks", 57, True),
    ],
)
def test_stalled_after_twice_the_cadence_without_a_session(
    cast: Cast, cadence: str, quiet_days: int, stalled: bool
) -> None:
    engagement = agreed(cast.coach, cast.peer, cadence)
    now = T0 + days(quiet_days)
    assert (engagement.pk in stalled_ids(now)) is stalled
    assert page_says_stalled(engagement, now) is stalled


def test_a_session_held_restarts_the_clock(cast: Cast) -> None:
    engagement = agreed(cast.coach, cast.peer)
    with time_machine.travel(T0 + days(10), tick=False):
        make_session(engagement, when=T0 + days(10), completed=True)
    # Last met on day 10: stalled after day 24, not before.
    for now, expected in ((T0 + days(23), False), (T0 + days(25), True)):
        assert (engagement.pk in stalled_ids(now)) is expected
        assert page_says_stalled(engagement, now) is expected


def test_a_session_to_come_is_not_a_stall_but_a_cancelled_one_is_no_help(cast: Cast) -> None:
    engagement = agreed(cast.coach, cast.peer)
    now = T0 + days(20)
    with time_machine.travel(now, tick=False):
        session = make_session(engagement, when=now + days(3))
    assert engagement.pk not in stalled_ids(now)
    assert not page_says_stalled(engagement, now)
    with time_machine.travel(now, tick=False):
        coaching.cancel_session(cast.coach, session)
    assert engagement.pk in stalled_ids(now)
    assert page_says_stalled(engagement, now)


def test_proposed_and_closed_engagements_never_stall(cast: Cast) -> None:
    proposed = agreed(cast.coach, cast.peer, agreed=False)
    closed = agreed(cast.coach, cast.director)
    with time_machine.travel(T0 + days(1), tick=False):
        coaching.close_engagement(cast.coach, closed)
    now = T0 + days(100)
    assert stalled_ids(now).isdisjoint({proposed.pk, closed.pk})
    assert not page_says_stalled(proposed, now)
    assert not page_says_stalled(closed, now)


def test_both_parties_are_told_once_with_names_and_never_content(cast: Cast) -> None:
    engagement = agreed(cast.coach, cast.peer)
    with time_machine.travel(T0 + days(1), tick=False):
        session = make_session(engagement, when=T0 + days(1))
        make_agenda_item(session, cast.peer, CANARY)
        session.completed_at = T0 + days(1, hours=1)
        session.save(update_fields=["completed_at"])
    mine = Notification.objects.filter(kind=Kind.ENGAGEMENT_STALLED, subject_id=engagement.pk)
    stalled_engagements(T0 + days(14))  # 13 days since they met
    assert not mine.exists()
    # (The cast's own one-on-ones, agreed long before, have stalled too.)
    assert stalled_engagements(T0 + days(16)) != 0
    assert sorted(mine.values_list("recipient__name", "title")) == [
        (
            cast.coach.name,
            f"No coaching session with {cast.peer.name} for a while: schedule the next one",
        ),
        (
            cast.peer.name,
            f"No coaching session with {cast.coach.name} for a while: schedule the next one",
        ),
    ]
    assert set(mine.values_list("url", flat=True)) == {
        reverse("coaching:engagement", args=[engagement.code])
    }
    assert not Notification.objects.filter(title__contains=CANARY).exists()
    # The next day, and a second scheduler: nobody is told twice.
    assert stalled_engagements(T0 + days(17)) == 0
    assert schedule.run_all(T0 + days(17))
    assert stalled_engagements(T0 + days(18)) == 0
    assert mine.count() == 2


def test_an_engagement_that_meets_and_stalls_again_is_told_again(cast: Cast) -> None:
    engagement = agreed(cast.coach, cast.peer)
    stalled_engagements(T0 + days(15))
    mine = Notification.objects.filter(kind=Kind.ENGAGEMENT_STALLED, subject_id=engagement.pk)
    assert mine.count() == 2
    with time_machine.travel(T0 + days(20), tick=False):
        make_session(engagement, when=T0 + days(20), completed=True)
    stalled_engagements(T0 + days(30))  # 10 days since: fine
    assert mine.count() == 2
    stalled_engagements(T0 + days(35))  # 15 days since: stalled again
    assert mine.count() == 4


def test_counseling_is_told_to_its_two_parties_alone(cast: Cast) -> None:
    with time_machine.travel(T0, tick=False):
        counseling = make_engagement(
            cast.coach, cast.report, EngagementKind.COUNSELING, cadence="weekly"
        )
    stalled_engagements(T0 + days(15))
    mine = Notification.objects.filter(kind=Kind.ENGAGEMENT_STALLED, subject_id=counseling.pk)
    assert set(mine.values_list("recipient__name", flat=True)) == {
        cast.coach.name,
        cast.report.name,
    }
    # "a session", never the kind, as in every counseling notification.
    assert set(mine.values_list("title", flat=True)) == {
        f"No session with {cast.report.name} for a while: schedule the next one",
        f"No session with {cast.coach.name} for a while: schedule the next one",
    }


def test_the_persons_choice_of_channel_is_kept(cast: Cast) -> None:
    engagement = agreed(cast.coach, cast.peer)
    Preference.objects.create(person=cast.peer, kind=Kind.ENGAGEMENT_STALLED, channel=Channel.OFF)
    stalled_engagements(T0 + days(15))
    mine = Notification.objects.filter(kind=Kind.ENGAGEMENT_STALLED, subject_id=engagement.pk)
    assert list(mine.values_list("recipient__name", flat=True)) == [cast.coach.name]


def test_the_engagement_page_shows_the_stall_and_leads_to_scheduling(cast: Cast) -> None:
    engagement = agreed(cast.coach, cast.peer)
    url = reverse("coaching:engagement", args=[engagement.code])
    with time_machine.travel(T0 + days(10), tick=False):
        page = html(client_for(cast.peer).get(url))
    assert 'id="stalled"' not in page
    with time_machine.travel(T0 + days(15), tick=False):
        page = html(client_for(cast.peer).get(url))
    assert "This engagement has stalled" in page
    assert '<a href="#schedule-form">Schedule the next session</a>' in page
    assert 'id="schedule-form"' in page
    # Scheduling the next one ends the stall.
    with time_machine.travel(T0 + days(15), tick=False):
        make_session(engagement, when=T0 + days(17))
        page = html(client_for(cast.peer).get(url))
    assert 'id="stalled"' not in page
