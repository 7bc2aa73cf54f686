"""A small organisation with a known history, for figures checked by hand.

Time is fixed: the cast and its one-on-ones (weekly) are made on CREATED, everything
else happens before NOW. The last quarter is the 91 days before 15 June 2026 in
London: from 16 March 2026, 00:00."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass

import time_machine
from django.utils import timezone

from cairn.coaching.models import ActionItem, AgendaItem, Engagement, EngagementKind, Session
from cairn.coaching.tests.factories import make_engagement, make_session, one_on_one
from cairn.feedback import services as feedback
from cairn.feedback.models import About, FeedbackAsk
from cairn.growth import services as growth
from cairn.growth.models import CheckIn, ObjectiveStatus
from cairn.testing import Cast, make_cast

LONDON = zoneinfo.ZoneInfo("Europe/London")
CREATED = dt.datetime(2026, 1, 5, 10, tzinfo=LONDON)
NOW = dt.datetime(2026, 6, 15, 12, tzinfo=LONDON)


def at(month: int, day: int, hour: int = 10, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, minute, tzinfo=LONDON)


def held(engagement: Engagement, when: dt.datetime) -> Session:
    session = make_session(engagement, when=when)
    Session.objects.filter(pk=session.pk).update(completed_at=when + dt.timedelta(hours=1))
    session.refresh_from_db()
    return session


def item(session: Session, owner_id: int, due: dt.date, done: dt.datetime | None) -> ActionItem:
    return ActionItem.objects.create(
        engagement=session.engagement,
        session=session,
        owner_id=owner_id,
        description="An action",
        due_on=due,
        created_by_id=owner_id,
        done_at=done,
    )


@dataclass
class Small:
    cast: Cast
    with_report: Engagement
    with_peer: Engagement


def build_small() -> Small:
    with time_machine.travel(CREATED, tick=False):
        cast = make_cast()
        counseling = make_engagement(cast.coach, cast.report, EngagementKind.COUNSELING)
        # The manager counsels the report too: never on the manager's pages either.
        manager_counsels = make_engagement(cast.manager, cast.report, EngagementKind.COUNSELING)
    with_report = one_on_one(cast.manager, cast.report)
    with_peer = one_on_one(cast.manager, cast.peer)
    report, manager, peer = cast.report, cast.manager, cast.peer
    with time_machine.travel(NOW, tick=False):
        # Manager and report: 10 sessions held in the quarter (weekly from 23 March),
        # one held before it (not counted).
        sessions = [held(with_report, at(3, 23) + dt.timedelta(weeks=w)) for w in range(10)]
        held(with_report, at(2, 2))
        # Manager and peer: 3 held, 1 cancelled (missed), 1 whose time passed (overdue).
        for day in (6, 13, 20):
            held(with_peer, at(4, day))
        cancelled = make_session(with_peer, when=at(5, 4))
        Session.objects.filter(pk=cancelled.pk).update(cancelled_at=at(5, 1))
        make_session(with_peer, when=at(6, 8))
        # Counseling is never counted: 4 sessions held with the coach.
        for day in (7, 14, 21, 28):
            held(counseling, at(4, day))
            counseled = held(manager_counsels, at(4, day, 15))
            item(counseled, manager.pk, dt.date(2026, 5, 1), at(4, 30))
            AgendaItem.objects.create(
                session=counseled, author=report, text="Counseled", looks_like_status=True
            )

        # The report's action items (May: 3 due, 2 done, 1 on time; June: 1 due and
        # done at 00:30 on 2 June in London, 23:30 on 1 June in UTC: late, in the
        # report's zone).
        first = sessions[0]
        item(first, report.pk, dt.date(2026, 5, 10), at(5, 9))
        item(first, report.pk, dt.date(2026, 5, 10), at(5, 12))
        item(first, report.pk, dt.date(2026, 5, 10), None)
        item(first, report.pk, dt.date(2026, 6, 1), at(6, 2, 0, 30))
        # The manager's, in the same one-on-one: 2 due in the quarter, 1 done.
        item(first, manager.pk, dt.date(2026, 4, 1), at(4, 1))
        item(first, manager.pk, dt.date(2026, 6, 10), None)
        # One due after today: not yet counted anywhere.
        item(first, report.pk, dt.date(2026, 6, 30), None)
        # A counseling action item: never counted.
        counseling_session = counseling.sessions.first()
        assert counseling_session is not None
        item(counseling_session, report.pk, dt.date(2026, 5, 20), at(5, 19))

        # Agenda points of the report's one-on-ones in the quarter: 4, one flagged as
        # status.
        for n in range(4):
            AgendaItem.objects.create(
                session=sessions[n], author=report, text=f"Point {n}", looks_like_status=n == 0
            )

        # Growth: two objectives, one in progress, one achieved; scored check-ins in
        # April (-1 and +1) and May (+2), one unscored.
        growth.save_plan(report, dreams="Dreams", become="")
        doing = growth.add_objective(report, what="One")
        done = growth.add_objective(report, what="Two")
        type(done).objects.filter(pk=done.pk).update(status=ObjectiveStatus.ACHIEVED)
        type(doing).objects.filter(pk=doing.pk).update(status=ObjectiveStatus.IN_PROGRESS)
        for objective, position, when in (
            (doing, -1, at(4, 3)),
            (done, 1, at(4, 20)),
            (doing, 2, at(5, 5)),
            (doing, None, at(5, 6)),
        ):
            CheckIn.objects.create(
                objective=objective, note="A check-in", position=position, created_at=when
            )

        # Feedback: the report asks the manager and the coach; the manager answers;
        # the report gives the peer some unasked, and gets some from the manager.
        asked = feedback.ask_for_feedback(
            report,
            people=[manager, cast.coach],
            about=About.QUESTION,
            question="How do I do?",
            due_on=timezone.localdate() + dt.timedelta(days=10),
        )
        ask = FeedbackAsk.objects.get(request=asked, person=manager)
        feedback.answer(manager, ask, well="Well", signed=True)
        feedback.give(report, peer, well="Thanks")
        feedback.give(manager, report, well="Good")
    return Small(cast, with_report, with_peer)
