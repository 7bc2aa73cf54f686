"""A mentoring program's figures: participation (mentors, mentees, enrolments), match
acceptance, time to first session, sessions held per month, stalled pairs and the
"did it help" aggregate — counts from ids, statuses and dates, never an answer, a
reason or a request's text. Every figure describes the program's participants (the
distinct people enrolled), and is suppressed when they are fewer than five.

On the leaders' page, ``participation_table`` gives one row per program with someone
of the scope enrolled, each about that program's enrolled people of the scope; it
has no total row, so no program's figure can be worked out from the others."""

from __future__ import annotations

import datetime as dt
import statistics

from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone

from cairn.coaching.models import Engagement, EngagementKind, Session
from cairn.feedback.models import SessionFeedback
from cairn.insights.figures import Figure, Row, Table
from cairn.insights.organisation import (
    FIRST_SESSION_HELP,
    GROUP_HELP,
    HELPED_HELP,
    STALLED_HELP,
    Scope,
    first_session_days,
    helped_rows,
    last_months,
)
from cairn.mentoring.models import Enrolment, Match, MatchStatus, Program, Role

ACCEPTANCE_HELP = (
    "Match acceptance: of the pairs published to the people in them, the share both "
    "accepted (pairs still proposed to the program admins are not counted)."
)


def _pair_engagements(program: Program) -> QuerySet[Engagement]:
    return Engagement.objects.filter(
        pk__in=Match.objects.filter(program=program, engagement__isnull=False).values("engagement")
    ).exclude(kind=EngagementKind.COUNSELING)


def program_tables(program: Program, now: dt.datetime) -> list[Table]:
    enrolled = Enrolment.objects.filter(program=program).aggregate(
        people=Count("person", distinct=True),
        mentors=Count("person", distinct=True, filter=Q(role=Role.MENTOR)),
        mentees=Count("person", distinct=True, filter=Q(role=Role.MENTEE)),
        enrolments=Count("pk"),
    )
    n = enrolled["people"]
    matches = (
        Match.objects.filter(program=program)
        .exclude(status=MatchStatus.PROPOSED)
        .aggregate(
            published=Count("pk"),
            accepted=Count("pk", filter=Q(status=MatchStatus.ACCEPTED)),
        )
    )
    engagements = _pair_engagements(program)
    days = first_session_days(engagements)
    held = Session.objects.filter(
        engagement__in=engagements, completed_at__isnull=False, completed_at__lte=now
    ).aggregate(sessions=Count("pk"))
    stalled = Engagement.objects.stalled(now).filter(pk__in=engagements.values("pk")).count()
    helped = SessionFeedback.objects.filter(session__engagement__in=engagements).aggregate(
        answers=Count("pk"),
        yes=Count("pk", filter=Q(helped=True)),
        people=Count("person", distinct=True),
        givers=Count("session__engagement__giver", distinct=True),
    )

    def of(value: object, kind: str = "count") -> Figure:
        return Figure.of(value, group=n, kind=kind)  # type: ignore[arg-type]

    def share(part: int, whole: int) -> Figure:
        return of(part / whole if whole else None, "percent")

    summary = Table(
        "program",
        f"{program.name}: participation and pairs",
        ["Figure", "Value"],
        [
            Row("People enrolled", [of(n)]),
            Row("Mentors", [of(enrolled["mentors"])]),
            Row("Mentees", [of(enrolled["mentees"])]),
            Row("Enrolments", [of(enrolled["enrolments"])]),
            Row("Pairs published", [of(matches["published"])]),
            Row("Pairs accepted by both", [of(matches["accepted"])]),
            Row("Match acceptance", [share(matches["accepted"], matches["published"])]),
            Row(
                "Median days to first session",
                [of(statistics.median(days) if days else None, "decimal")],
            ),
            Row("Sessions held", [of(held["sessions"])]),
            Row("Stalled pairs (now)", [of(stalled)]),
            helped_rows(
                helped["answers"],
                helped["yes"],
                people=helped["people"],
                givers=helped["givers"],
                group=n,
            )[1],
        ],
        help=" ".join((ACCEPTANCE_HELP, FIRST_SESSION_HELP, STALLED_HELP, HELPED_HELP, GROUP_HELP)),
    )
    months = last_months(timezone.localdate(now))
    start = dt.datetime.combine(months[0], dt.time(0), tzinfo=timezone.get_current_timezone())
    per_month = {
        (row["month"].date() if isinstance(row["month"], dt.datetime) else row["month"]): row[
            "sessions"
        ]
        for row in Session.objects.filter(
            engagement__in=engagements, completed_at__gte=start, completed_at__lte=now
        )
        .order_by()
        .annotate(month=TruncMonth("completed_at", tzinfo=timezone.get_current_timezone()))
        .values("month")
        .annotate(sessions=Count("pk"))
    }
    series = Table(
        "program-sessions",
        f"{program.name}: sessions held per month",
        ["Month", "Sessions held"],
        [Row(m.strftime("%b %Y"), [of(per_month.get(m, 0))]) for m in months],
        chart="line",
        help=GROUP_HELP,
    )
    return [summary, series]


def participation_table(scope: Scope, now: dt.datetime) -> Table:
    """Per program with someone of the scope enrolled: the scope's mentors, mentees and
    enrolments in it, and its pairs' acceptance — one query for every program."""
    ids = scope.people.values("pk")
    in_scope = Q(enrolments__person__in=ids)
    rows = (
        Program.objects.filter(organisation_id=scope.organisation_id)
        .filter(enrolments__person__in=ids)
        .distinct()
        .annotate(
            people=Count("enrolments__person", distinct=True, filter=in_scope),
            mentors=Count(
                "enrolments__person",
                distinct=True,
                filter=in_scope & Q(enrolments__role=Role.MENTOR),
            ),
            mentees=Count(
                "enrolments__person",
                distinct=True,
                filter=in_scope & Q(enrolments__role=Role.MENTEE),
            ),
            enrolments_n=Count("enrolments", distinct=True, filter=in_scope),
        )
        .values("name", "people", "mentors", "mentees", "enrolments_n", "starts_on")
        .order_by(F("starts_on").desc(), "name")[:50]
    )
    table_rows = []
    for row in rows:
        n = row["people"]
        table_rows.append(
            Row(
                row["name"],
                [
                    Figure.of(row["mentors"], group=n),
                    Figure.of(row["mentees"], group=n),
                    Figure.of(row["enrolments_n"], group=n),
                ],
            )
        )
    return Table(
        "programs",
        "Mentoring participation, by program (the latest 50)",
        ["Program", "Mentors", "Mentees", "Enrolments"],
        table_rows,
        chart="bar",
        help=(
            "The people of this page enrolled in each program. A person may be in more "
            f"than one program, so there is no total. {GROUP_HELP}"
        ),
        empty="Nobody here is enrolled in a mentoring program yet: program admins start one "
        "under Mentoring.",
    )
