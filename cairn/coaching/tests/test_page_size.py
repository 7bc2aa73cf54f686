"""A long engagement's page stays the same size: years of weekly one-on-ones are a
page of sessions, newest first, with the way to the older ones."""

from __future__ import annotations

import datetime as dt

import time_machine
from django.urls import reverse

from cairn.coaching.models import Engagement, Session
from cairn.coaching.tests.factories import one_on_one
from cairn.coaching.views import SESSIONS_PAGE_SIZE
from cairn.testing import Cast, client_for
from cairn.testing.bulk import refresh_statistics

NOW = dt.datetime(2026, 6, 1, 9, 0, tzinfo=dt.UTC)
CAP = 100_000


def _weekly(engagement: Engagement, count: int, *, before: int = 0) -> None:
    """``count`` held weekly sessions, the newest ``before`` weeks before NOW."""
    template = engagement.template
    Session.objects.bulk_create(
        Session(
            engagement=engagement,
            template=template,
            scheduled_for=NOW - dt.timedelta(weeks=before + i + 1),
            completed_at=NOW - dt.timedelta(weeks=before + i + 1) + dt.timedelta(hours=1),
        )
        for i in range(count)
    )
    refresh_statistics()  # PostgreSQL plans for the rows it knows of


def _page(cast: Cast, engagement: Engagement, **params: str) -> str:
    with time_machine.travel(NOW, tick=False):
        response = client_for(cast.report).get(
            reverse("coaching:engagement", args=[engagement.code]), params
        )
    assert response.status_code == 200
    return response.content.decode()


def test_the_engagement_page_stays_the_same_size_from_50_to_500_sessions(cast: Cast) -> None:
    engagement = one_on_one(cast.manager, cast.report)
    _weekly(engagement, 50)
    small = len(_page(cast, engagement))
    _weekly(engagement, 450, before=50)  # nearly ten years of weekly one-on-ones
    large_page = _page(cast, engagement)
    assert len(large_page) < small * 1.2 + 2_000, (small, len(large_page))
    assert len(large_page) < CAP
    assert f"Sessions 1–{SESSIONS_PAGE_SIZE} of 500, newest first" in large_page


def test_older_sessions_are_a_page_away_and_a_page_past_the_end_is_the_last(
    cast: Cast,
) -> None:
    engagement = one_on_one(cast.manager, cast.report)
    _weekly(engagement, SESSIONS_PAGE_SIZE + 5)
    newest = (NOW - dt.timedelta(weeks=1)).strftime("%a %-d %b %Y")
    oldest = (NOW - dt.timedelta(weeks=SESSIONS_PAGE_SIZE + 5)).strftime("%a %-d %b %Y")
    first = _page(cast, engagement)
    assert newest in first
    assert oldest not in first
    assert 'rel="next"' in first
    second = _page(cast, engagement, sessions="2")
    assert oldest in second
    assert newest not in second
    assert f'start="{5}"' in second  # the list counts on down from the first page
    past = _page(cast, engagement, sessions="999")  # past the end: the last
    assert oldest in past
    assert f"Sessions {SESSIONS_PAGE_SIZE + 1}–{SESSIONS_PAGE_SIZE + 5} of" in past
    assert newest in _page(cast, engagement, sessions="junk")  # not a number: the first
    # The cadence still reads the whole engagement: last met a week ago, on any page.
    assert "Last met 7 days ago" in second
