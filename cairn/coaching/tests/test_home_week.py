"""My week looks ahead: the next session of every open engagement, however far off,
says how far; the past fortnight's sessions nobody ended stay; one query for them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from cairn.coaching.models import EngagementKind, Session
from cairn.coaching.tests.factories import make_engagement, make_session, one_on_one
from cairn.testing import Cast, client_for, count_queries, html, make_person
from cairn.testing.cast import ROLES

NOW = dt.datetime(2026, 3, 4, 12, 0, tzinfo=dt.UTC)  # a Wednesday


@pytest.fixture(autouse=True)
def _frozen_clock(settings: Any) -> Iterator[None]:
    settings.TIME_ZONE = "Europe/London"
    with time_machine.travel(NOW, tick=False):
        yield


def upcoming_of(person: Any) -> str:
    response = client_for(person).get(reverse("home"))
    assert response.status_code == 200
    page = html(response)
    start = page.index('id="upcoming-heading"')
    return page[start : page.index("</section>", start)]


def item_with(section: str, text: str) -> str:
    at = section.index(text)
    return section[section.rindex("<li", 0, at) : section.index("</li>", at)]


def url(session: Session) -> str:
    return reverse("coaching:session", args=[session.code])


def test_a_session_nine_days_away_is_on_my_week_and_says_how_far(cast: Cast) -> None:
    far = make_session(one_on_one(cast.manager, cast.report), when=NOW + dt.timedelta(days=9))

    for person in (cast.report, cast.manager):
        item = item_with(upcoming_of(person), url(far))
        assert "in 9 days" in item
        assert "Fri 13 Mar" in item


def test_only_the_next_session_of_each_engagement_however_far(cast: Cast) -> None:
    one = one_on_one(cast.manager, cast.report)
    next_one = make_session(one, when=NOW + dt.timedelta(days=2))
    after = make_session(one, when=NOW + dt.timedelta(days=4))
    coaching = make_engagement(cast.coach, cast.report)
    far = make_session(coaching, when=NOW + dt.timedelta(days=60))
    farther = make_session(coaching, when=NOW + dt.timedelta(days=90))

    upcoming = upcoming_of(cast.report)

    assert url(next_one) in upcoming
    assert url(far) in upcoming
    assert "in 60 days" in item_with(upcoming, url(far))
    assert url(after) not in upcoming
    assert url(farther) not in upcoming
    # Soonest first.
    assert upcoming.index(url(next_one)) < upcoming.index(url(far))


def test_today_and_tomorrow_say_so(cast: Cast) -> None:
    today = make_session(one_on_one(cast.manager, cast.report), when=NOW + dt.timedelta(hours=3))
    tomorrow = make_session(make_engagement(cast.coach, cast.report), when=NOW + dt.timedelta(1))

    upcoming = upcoming_of(cast.report)

    assert "today" in item_with(upcoming, url(today))
    assert "tomorrow" in item_with(upcoming, url(tomorrow))


def test_a_cancelled_or_ended_session_is_not_the_next_one(cast: Cast) -> None:
    engagement = one_on_one(cast.manager, cast.report)
    cancelled = make_session(engagement, when=NOW + dt.timedelta(days=1))
    Session.objects.filter(pk=cancelled.pk).update(cancelled_at=timezone.now())
    ended = make_session(engagement, when=NOW + dt.timedelta(days=2))
    Session.objects.filter(pk=ended.pk).update(completed_at=timezone.now())
    real = make_session(engagement, when=NOW + dt.timedelta(days=20))

    upcoming = upcoming_of(cast.report)

    assert url(cancelled) not in upcoming
    assert url(ended) not in upcoming
    assert "in 20 days" in item_with(upcoming, url(real))


def test_the_past_fortnights_unended_sessions_stay_beside_the_next_one(cast: Cast) -> None:
    engagement = one_on_one(cast.manager, cast.report)
    missed = make_session(engagement, when=NOW - dt.timedelta(days=3))
    older = make_session(engagement, when=NOW - dt.timedelta(days=20))
    coming = make_session(engagement, when=NOW + dt.timedelta(days=12))

    upcoming = upcoming_of(cast.manager)

    assert "not wrapped up yet" in item_with(upcoming, url(missed))
    assert "in 12 days" in item_with(upcoming, url(coming))
    assert url(older) not in upcoming


@pytest.mark.parametrize("role", ROLES)
def test_nobody_else_sees_the_sessions_on_my_week(cast: Cast, role: str) -> None:
    far = make_session(one_on_one(cast.manager, cast.report), when=NOW + dt.timedelta(days=40))
    viewer = cast.everyone()[role]
    response = client_for(viewer).get(reverse("home"))
    assert response.status_code == 200
    if role in ("manager", "report"):
        assert url(far) in html(response)
    else:
        assert url(far) not in html(response)
        assert str(far.code) not in html(response)


def test_my_week_costs_the_same_with_one_engagement_or_fifty(cast: Cast) -> None:
    def grow_to(count: int) -> None:
        for n in range(count):
            mentor = make_person(cast.org, f"Far Mentor {n}")
            engagement = make_engagement(mentor, cast.peer, EngagementKind.MENTORING)
            make_session(engagement, when=NOW + dt.timedelta(days=30 + n))
            make_session(engagement, when=NOW + dt.timedelta(days=100 + n))

    client = client_for(cast.peer)
    grow_to(1)
    client.get(reverse("home"))  # warm up
    one = count_queries(lambda: client.get(reverse("home")))
    grow_to(49)
    fifty = count_queries(lambda: client.get(reverse("home")))
    page = html(client.get(reverse("home")))
    start = page.index('id="upcoming-heading"')
    upcoming = page[start : page.index("</section>", start)]

    # The next session of each of the fifty engagements (the one-on-one has none).
    assert upcoming.count("<li") == 50
    assert one == fifty
