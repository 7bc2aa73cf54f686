"""The private calendar feed: parsed back with ``icalendar`` and checked against RFC
5545; its entries carry a title, a time and a link, never content; a counseling
session reaches only its two parties' feeds; the secret is the credential, and a
reset or stopped one answers 404 at once, by the same look-up as a junk one."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from cairn.coaching import calendar
from cairn.coaching import services as coaching
from cairn.coaching.models import ActionItem, CalendarFeed, EngagementKind, Session
from cairn.coaching.tests.factories import (
    make_action_item,
    make_agenda_item,
    make_engagement,
    make_note,
    make_session,
    one_on_one,
    soon,
)
from cairn.notifications.models import Notification
from cairn.people.models import Person
from cairn.testing import ROLES, Cast, client_for, count_queries, html, make_org, make_person
from cairn.testing.accessibility import problems
from cairn.testing.stored import stored

pytestmark = pytest.mark.django_db

CANARY = "CANARY-feed-7f3a"


def feed_of(person: Person) -> Calendar:
    feed = calendar.reset_feed(person)
    response = Client().get(reverse("coaching:calendar-feed", args=[feed.secret]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert CANARY not in response.content.decode()
    return Calendar.from_ical(response.content)


def events(cal: Calendar) -> dict[str, Any]:
    return {str(event["UID"]): event for event in cal.walk("VEVENT")}


@dataclass
class Planted:
    one: Session
    counseling: Session
    item: ActionItem


@pytest.fixture
def planted(cast: Cast) -> Planted:
    """A one-on-one (manager and report) and a counseling engagement (coach and
    report), each with a session to come holding a canary in every kind of content."""
    one = make_session(one_on_one(cast.manager, cast.report), when=soon(2))
    counseling = make_engagement(cast.coach, cast.report, EngagementKind.COUNSELING)
    secret_session = make_session(counseling, when=soon(3))
    for session in (one, secret_session):
        make_agenda_item(session, session.engagement.receiver, f"agenda {CANARY}")
        make_note(session, session.engagement.receiver, f"shared {CANARY}")
        make_note(session, session.engagement.giver, f"private {CANARY}", private=True)
    item = make_action_item(one, cast.report, f"do {CANARY}", due_on=soon(5).date())
    return Planted(one=one, counseling=secret_session, item=item)


def test_the_feed_is_rfc_5545_with_titles_times_and_links(cast: Cast, planted: Planted) -> None:
    cal = feed_of(cast.report)
    assert str(cal["VERSION"]) == "2.0"
    assert str(cal["PRODID"]) == calendar.PRODID
    assert "METHOD" not in cal  # a published feed, not an invitation
    by_uid = events(cal)
    one = planted.one
    event = by_uid[calendar.session_uid(one)]
    assert str(event["SUMMARY"]) == "One-on-one: Maria Manager & Riley Report"
    start, end = event.decoded("DTSTART"), event.decoded("DTEND")
    assert start.utcoffset() == dt.timedelta(0)  # UTC: every client shows its own zone
    assert start == one.scheduled_for
    assert end - start == calendar.SESSION_LENGTH
    assert event.decoded("DTSTAMP").utcoffset() == dt.timedelta(0)
    link = f"{settings.CAIRN_BASE_URL}{reverse('coaching:session', args=[one.code])}"
    assert str(event["URL"]) == link
    assert str(event["CLASS"]) == "PRIVATE"
    assert event["SEQUENCE"] == 0
    # The action item: all day on its due date, free, and nothing of what it says.
    item = planted.item
    due = by_uid[calendar.action_item_uid(item)]
    assert str(due["SUMMARY"]) == "Action item due"
    assert due.decoded("DTSTART") == item.due_on
    assert not isinstance(due.decoded("DTSTART"), dt.datetime)
    assert str(due["TRANSP"]) == "TRANSPARENT"


def test_a_counseling_session_is_in_its_two_parties_feeds_alone(
    cast: Cast, planted: Planted
) -> None:
    counseling_uid = calendar.session_uid(planted.counseling)
    one_uid = calendar.session_uid(planted.one)
    for role in ROLES:
        by_uid = events(feed_of(getattr(cast, role)))
        assert (counseling_uid in by_uid) == (role in ("coach", "report")), role
        assert (one_uid in by_uid) == (role in ("manager", "report")), role
        if counseling_uid in by_uid:
            # Not "Counseling": a shared work calendar must not say so.
            summary = str(by_uid[counseling_uid]["SUMMARY"])
            assert summary == "Meeting: Cody Coach & Riley Report"


def test_action_items_are_in_their_owners_feed_only(cast: Cast, planted: Planted) -> None:
    uid = calendar.action_item_uid(planted.item)
    assert uid in events(feed_of(cast.report))
    assert uid not in events(feed_of(cast.manager))


def test_cancelled_sessions_and_those_of_a_closed_engagement_leave_the_feed(
    cast: Cast,
) -> None:
    engagement = make_engagement(cast.coach, cast.peer)
    kept = make_session(engagement, when=soon(2))
    cancelled = make_session(engagement, when=soon(4))
    coaching.cancel_session(cast.peer, cancelled)
    assert set(events(feed_of(cast.peer))) == {calendar.session_uid(kept)}
    coaching.close_engagement(cast.peer, engagement)
    assert events(feed_of(cast.peer)) == {}


def test_the_secret_is_the_only_way_in(cast: Cast, planted: Planted) -> None:
    feed = calendar.reset_feed(cast.report)
    url = reverse("coaching:calendar-feed", args=[feed.secret])
    root = make_person(cast.org, "Sam Superuser")
    get_user_model().objects.filter(pk=root.user_id).update(is_superuser=True, is_staff=True)
    viewers = {role: client_for(getattr(cast, role)) for role in ROLES}
    viewers["superuser"] = client_for(root)
    for who, client in viewers.items():
        # Signed in is no help without the secret: the feed's URL is not on any
        # page but its owner's, and a guess is a 404.
        page = client.get(reverse("coaching:calendar"))
        assert page.status_code == 200, who
        assert (feed.secret in html(page)) == (who == "report"), who
        guess = url.replace(
            feed.secret, feed.secret[:-1] + ("A" if feed.secret[-1] != "A" else "B")
        )
        assert client.get(guess).status_code == 404, who


def test_reset_stops_the_old_address_at_once(cast: Cast) -> None:
    client = client_for(cast.peer)
    response = client.post(reverse("coaching:calendar-reset"))
    assert response.status_code == 302
    old = CalendarFeed.objects.get(person=cast.peer).secret
    assert Client().get(reverse("coaching:calendar-feed", args=[old])).status_code == 200
    client.post(reverse("coaching:calendar-reset"))
    new = CalendarFeed.objects.get(person=cast.peer).secret
    assert new != old
    assert Client().get(reverse("coaching:calendar-feed", args=[old])).status_code == 404
    assert Client().get(reverse("coaching:calendar-feed", args=[new])).status_code == 200
    page = html(client.get(reverse("coaching:calendar")))
    assert new in page
    assert old not in page
    # Turned off: no address works, and the page offers to start one again.
    client.post(reverse("coaching:calendar-stop"))
    assert Client().get(reverse("coaching:calendar-feed", args=[new])).status_code == 404
    assert "Start my calendar feed" in html(client.get(reverse("coaching:calendar")))


@pytest.mark.parametrize(
    "junk",
    ["x", "no-such-thing", "A" * 43, "A" * 500, "%00", "..%2F..%2Fetc", "ä" * 10, " "],
)
def test_junk_secrets_are_404(cast: Cast, junk: str) -> None:
    calendar.reset_feed(cast.report)
    assert Client().get(f"/calendar/{junk}.ics").status_code == 404


def test_unknown_and_reset_secrets_take_the_same_path(cast: Cast) -> None:
    # No timing worth measuring: an unknown and a reset secret both cost one look-up
    # by an indexed (unique) hash, and neither reads anything else.
    old = calendar.reset_feed(cast.report).secret
    calendar.reset_feed(cast.report)
    client = Client()
    unknown = count_queries(lambda: client.get(f"/calendar/{'Z' * 43}.ics"))
    reset = count_queries(lambda: client.get(f"/calendar/{old}.ics"))
    assert unknown == reset == 1
    assert CalendarFeed._meta.get_field("secret_hash").unique


def test_the_secret_is_kept_hashed_and_encrypted(cast: Cast) -> None:
    feed = calendar.reset_feed(cast.report)
    assert feed.secret not in stored(CalendarFeed, "secret", feed.pk)
    assert feed.secret not in stored(CalendarFeed, "secret_hash", feed.pk)
    assert feed.secret not in str(feed)
    assert len(feed.secret) >= 43  # 32 random bytes


def test_a_deactivated_persons_feed_is_404(cast: Cast) -> None:
    person = make_person(cast.org, "Lou Leaver")
    feed = calendar.reset_feed(person)
    get_user_model().objects.filter(pk=person.user_id).update(is_active=False)
    assert Client().get(reverse("coaching:calendar-feed", args=[feed.secret])).status_code == 404


def test_the_feed_is_not_cached_by_others(cast: Cast) -> None:
    feed = calendar.reset_feed(cast.report)
    response = Client().get(reverse("coaching:calendar-feed", args=[feed.secret]))
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize("rows", [1, 50])
def test_the_feed_costs_the_same_at_1_and_50_sessions(rows: int) -> None:
    org = make_org()
    manager = make_person(org, "Mo Manager")
    report = make_person(org, "Rae Report", manager=manager)
    engagement = one_on_one(manager, report)
    for n in range(rows):
        session = make_session(engagement, when=soon(2 + n))
        make_action_item(session, report, due_on=soon(3 + n).date())
    feed = calendar.reset_feed(report)
    url = reverse("coaching:calendar-feed", args=[feed.secret])
    client = Client()
    assert len(events(Calendar.from_ical(client.get(url).content))) == 2 * rows
    # The feed by its hash (with its person), the sessions (with both parties), the
    # open action items (with their sessions).
    assert count_queries(lambda: client.get(url)) == 3


def test_another_organisations_feed_is_theirs_alone(cast: Cast, planted: Planted) -> None:
    # The outsider's feed (another organisation) holds nothing of Acme's.
    assert events(feed_of(cast.outsider)) == {}


def test_the_calendar_page_is_labelled_with_and_without_a_feed(cast: Cast) -> None:
    client = client_for(cast.peer)
    assert problems(html(client.get(reverse("coaching:calendar")))) == []
    calendar.reset_feed(cast.peer)
    assert problems(html(client.get(reverse("coaching:calendar")))) == []


def test_the_calendar_page_costs_the_same_whatever_the_person_has(cast: Cast) -> None:
    # It lists nothing: the feed's address alone.
    client = client_for(cast.peer)
    calendar.reset_feed(cast.peer)
    before = count_queries(lambda: client.get(reverse("coaching:calendar")))
    engagement = make_engagement(cast.coach, cast.peer)
    for n in range(5):
        make_session(engagement, when=soon(2 + n))
    # What the peer was told of (the engagement proposed) read: the bell's cost per
    # kind of unread notification is the notifications app's test.
    Notification.objects.filter(recipient=cast.peer).update(read_at=timezone.now())
    assert count_queries(lambda: client.get(reverse("coaching:calendar"))) == before
