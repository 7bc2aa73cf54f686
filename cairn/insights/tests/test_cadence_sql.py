"""``counts.cadence_total`` (one aggregate query) against ``engagement_figures``'
per-engagement Python sums: the same expected, held, kept and missed for engagements
agreed before and inside the window, closed inside it, on every cadence."""

from __future__ import annotations

import datetime as dt

import time_machine

from cairn.coaching.models import Cadence, Engagement, EngagementKind, Session
from cairn.coaching.tests.factories import make_engagement, make_session
from cairn.insights import counts
from cairn.insights.counts import Window
from cairn.testing import make_org, make_person

NOW = dt.datetime(2027, 6, 15, 12, 0, tzinfo=dt.UTC)


def test_cadence_total_in_sql_equals_the_per_engagement_sums(db: None) -> None:
    org = make_org("Cadence Org")
    giver = make_person(org, "Gia Giver")
    window = Window.quarter(NOW)
    # (agreed, closed, cadence, sessions held by days before NOW, one cancelled?)
    cases = [
        (NOW - dt.timedelta(days=200), None, Cadence.WEEKLY, [3, 10, 17], True),
        (NOW - dt.timedelta(days=40, hours=5), None, Cadence.FORTNIGHTLY, [1, 20], False),
        # Agreed exactly four weeks ago to the microsecond: one beat, exactly.
        (NOW - dt.timedelta(weeks=4), None, Cadence.EVERY_FOUR_WEEKS, [2], False),
        (NOW - dt.timedelta(days=120), NOW - dt.timedelta(days=30), Cadence.WEEKLY, [40], True),
        (NOW - dt.timedelta(days=50), NOW - dt.timedelta(days=8), Cadence.FORTNIGHTLY, [], False),
        # Agreed and closed inside the window, exactly two weeks apart.
        (NOW - dt.timedelta(days=60), NOW - dt.timedelta(days=46), Cadence.FORTNIGHTLY, [], False),
        (NOW - dt.timedelta(days=10), None, Cadence.WEEKLY, [1, 2, 3], False),  # 3 > 1 expected
    ]
    for i, (agreed, closed, cadence, held, cancelled) in enumerate(cases):
        with time_machine.travel(agreed, tick=False):
            engagement = make_engagement(
                giver, make_person(org, f"Rae {i}"), EngagementKind.COACHING, cadence=cadence
            )
        for days in held:
            when = NOW - dt.timedelta(days=days)
            session = make_session(engagement, when=NOW + dt.timedelta(days=1))
            Session.objects.filter(pk=session.pk).update(scheduled_for=when, completed_at=when)
        if cancelled:
            when = NOW - dt.timedelta(days=5)
            session = make_session(engagement, when=NOW + dt.timedelta(days=1))
            Session.objects.filter(pk=session.pk).update(scheduled_for=when, cancelled_at=when)
        Engagement.objects.filter(pk=engagement.pk).update(agreed_at=agreed, closed_at=closed)
    engagements = Engagement.objects.filter(giver=giver)
    rows = counts.engagement_figures(engagements, window)
    assert len(rows) == len(cases)
    total = counts.cadence_total(engagements, window)
    assert total.expected == sum(r.expected for r in rows)
    assert total.held == sum(r.held for r in rows if r.expected)
    assert total.kept == sum(min(r.held, r.expected) for r in rows if r.expected)
    assert total.missed == sum(r.missed for r in rows)
    # By hand: 13 (weekly, all quarter) + 2 (fortnightly, 40 days 5 h: 2 whole
    # fortnights) + 1 (exactly four weeks) + 8 (weekly, 61 days of the quarter
    # before closing: 8 weeks 5 days) + 3 (fortnightly, 42 days: 3) + 1 (14 days
    # exactly) + 1 (weekly, 10 days) = 29.
    assert total.expected == 29
