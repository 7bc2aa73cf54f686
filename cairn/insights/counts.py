"""The counts behind the insights pages: aggregate queries over other apps' models that
read ids, dates, statuses and counts, never a content field.

Every query here excludes counseling. Grouped queries clear the models' default
ordering (``order_by()``), or it would join the GROUP BY. Figures are computed by the
database; Python only divides, and computes a Gini coefficient from a handful of
per-person counts.

"Cadence kept" means one thing everywhere: the sessions held in the window against
the sessions the agreed cadence expects there (one per cadence interval of the part of
the window in which the engagement was agreed and open), capped at 100%. An
engagement agreed too recently to expect one session yet has no figure.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import (
    Avg,
    Case,
    Count,
    DateTimeField,
    DurationField,
    Exists,
    Expression,
    ExpressionWrapper,
    F,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Least, TruncDate, TruncMonth
from django.db.models.lookups import LessThanOrEqual
from django.utils import timezone

from cairn.coaching.models import (
    ActionItem,
    AgendaItem,
    Cadence,
    Engagement,
    EngagementKind,
    EngagementStatus,
    Session,
)
from cairn.feedback.models import FeedbackAnswer, FeedbackAsk, FeedbackRequest, GivenFeedback
from cairn.growth.models import (
    CheckIn,
    DevelopmentPlan,
    MissionStatement,
    Objective,
    ObjectiveStatus,
)
from cairn.people.models import Person

QUARTER_DAYS = 91
MONTHS = 12

COUNSELING = EngagementKind.COUNSELING
ACTIVE_OBJECTIVE = (ObjectiveStatus.NOT_STARTED, ObjectiveStatus.IN_PROGRESS)


@dataclass(frozen=True)
class Window:
    """The last quarter: the 91 days before today, in the viewer's zone (the zone the
    request runs in), up to now."""

    start: dt.datetime
    now: dt.datetime
    first_day: dt.date
    today: dt.date

    @classmethod
    def quarter(cls, now: dt.datetime | None = None) -> Window:
        now = now or timezone.now()
        today = timezone.localdate(now)
        first_day = today - dt.timedelta(days=QUARTER_DAYS)
        start = timezone.make_aware(dt.datetime.combine(first_day, dt.time.min))
        return cls(start, now, first_day, today)


def months(today: dt.date) -> list[dt.date]:
    """The first days of the last twelve calendar months, oldest first (this month
    last)."""
    firsts = []
    year, month = today.year, today.month
    for _ in range(MONTHS):
        firsts.append(dt.date(year, month, 1))
        month -= 1
        if month == 0:
            year, month = year - 1, 12
    return firsts[::-1]


def month_label(first: dt.date) -> str:
    return f"{calendar.month_abbr[first.month]} {first.year}"


def _month_key(value: dt.date | dt.datetime | None) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        value = value.date()
    return value.replace(day=1)


def not_counseling(engagements: QuerySet[Engagement]) -> QuerySet[Engagement]:
    return engagements.exclude(kind=COUNSELING)


# ---------------------------------------------------------------- cadence


def expected_sessions(
    cadence: str,
    *,
    since: dt.datetime,
    closed_at: dt.datetime | None,
    window: Window,
) -> int:
    """The sessions the cadence expects in the part of the window in which the
    engagement was agreed (``since``) and open."""
    start = max(since, window.start)
    end = min(closed_at, window.now) if closed_at else window.now
    if end <= start:
        return 0
    return (end - start) // Cadence(cadence).interval


def kept_share(held: int, expected: int) -> float | None:
    if expected <= 0:
        return None
    return min(held / expected, 1.0)


@dataclass(frozen=True)
class EngagementFigures:
    pk: int
    kind: str
    direction: str
    cadence: str
    giver_id: int
    receiver_id: int
    giver_name: str
    receiver_name: str
    held: int
    expected: int
    last_met: dt.datetime | None
    missed: int
    overdue: int

    @property
    def kept(self) -> float | None:
        return kept_share(self.held, self.expected)

    def other_name(self, person: Person) -> str:
        return self.receiver_name if person.pk == self.giver_id else self.giver_name


def held_in(window: Window, prefix: str = "sessions__") -> Q:
    return Q(
        **{
            f"{prefix}completed_at__isnull": False,
            f"{prefix}scheduled_for__gte": window.start,
            f"{prefix}scheduled_for__lte": window.now,
        }
    )


def engagement_figures(
    engagements: QuerySet[Engagement], window: Window
) -> list[EngagementFigures]:
    """Per engagement (agreed, not counseling, open in the window): sessions held and
    expected in the window, when last met, sessions missed (cancelled or skipped) and
    overdue (their time passed, neither held nor cancelled). One query."""
    rows = (
        not_counseling(engagements)
        .exclude(status=EngagementStatus.PROPOSED)
        .filter(declined_at__isnull=True)
        .filter(Q(closed_at__isnull=True) | Q(closed_at__gte=window.start))
        .order_by()
        .annotate(
            held=Count("sessions", filter=held_in(window)),
            last=Max(
                Least("sessions__scheduled_for", "sessions__completed_at"),
                filter=Q(sessions__completed_at__isnull=False),
            ),
            missed=Count(
                "sessions",
                filter=Q(
                    sessions__cancelled_at__isnull=False,
                    sessions__scheduled_for__gte=window.start,
                    sessions__scheduled_for__lte=window.now,
                ),
            ),
            overdue=Count(
                "sessions",
                filter=Q(
                    sessions__completed_at__isnull=True,
                    sessions__cancelled_at__isnull=True,
                    sessions__scheduled_for__gte=window.start,
                    sessions__scheduled_for__lt=window.now,
                ),
            ),
            since=Coalesce("agreed_at", "created_at"),
        )
        .values(
            "pk",
            "kind",
            "direction",
            "cadence",
            "giver_id",
            "receiver_id",
            "giver__name",
            "receiver__name",
            "held",
            "last",
            "missed",
            "overdue",
            "since",
            "closed_at",
        )
        .order_by("receiver__name", "giver__name", "pk")
    )
    return [
        EngagementFigures(
            pk=row["pk"],
            kind=row["kind"],
            direction=row["direction"],
            cadence=row["cadence"],
            giver_id=row["giver_id"],
            receiver_id=row["receiver_id"],
            giver_name=row["giver__name"],
            receiver_name=row["receiver__name"],
            held=row["held"],
            expected=expected_sessions(
                row["cadence"], since=row["since"], closed_at=row["closed_at"], window=window
            ),
            last_met=row["last"],
            missed=row["missed"],
            overdue=row["overdue"],
        )
        for row in rows
    ]


def expected_in(window: Window) -> Case:
    """``expected_sessions`` as an SQL expression over an engagement row annotated
    with ``since`` (its agreement, or creation): the whole cadence intervals between
    the window-clamped agreement and the window-clamped close (or now), counted as
    "start + k intervals <= end" for each k the window can hold (13 weekly, 6
    fortnightly, 3 four-weekly). With start = max(since, window start) and end =
    min(closed or now, now), that is: since <= now - k intervals, and, for a closed
    engagement, closed >= window start + k intervals and since + k intervals <=
    closed. Comparisons with constants, and datetime + duration only for closed
    engagements: SQLite and PostgreSQL agree to the microsecond, and fast."""
    whens = []
    for cadence in Cadence:
        interval = cadence.interval
        steps = (window.now - window.start) // interval
        beats: Any = Value(0)
        for k in range(1, steps + 1):
            step = k * interval
            reached = Case(
                When(
                    Q(since__lte=window.now - step, closed_at__isnull=True),
                    then=Value(1),
                ),
                When(
                    Q(since__lte=window.now - step, closed_at__gte=window.start + step)
                    & LessThanOrEqual(
                        ExpressionWrapper(
                            F("since") + Value(step, output_field=DurationField()),
                            output_field=DateTimeField(),
                        ),
                        F("closed_at"),
                    ),
                    then=Value(1),
                ),
                default=Value(0),
            )
            beats = beats + reached
        whens.append(When(cadence=cadence, then=beats))
    return Case(*whens, default=Value(0), output_field=IntegerField())


def _sessions_count(condition: Q) -> Coalesce:
    """A correlated COUNT of the row's engagement's sessions matching ``condition``."""
    sessions = (
        Session.objects.filter(condition, engagement_id=OuterRef("pk"))
        .order_by()
        .values("engagement_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(sessions, output_field=IntegerField()), Value(0))


@dataclass(frozen=True)
class CadenceTotal:
    expected: int  # sessions the cadences expect
    held: int  # sessions held in engagements that expect any
    kept: int  # held, each engagement counted up to what it expects
    missed: int  # cancelled or skipped


def with_cadence(engagements: QuerySet[Engagement], window: Window) -> QuerySet[Engagement]:
    """The engagements ``engagement_figures`` counts, each annotated with the sessions
    it expects (``expects``), held (``held_here``) and missed (``missed_here``) in
    the window: expressions, not rows."""
    in_window = Q(scheduled_for__gte=window.start, scheduled_for__lte=window.now)
    return (
        not_counseling(engagements)
        .exclude(status=EngagementStatus.PROPOSED)
        .filter(declined_at__isnull=True)
        .filter(Q(closed_at__isnull=True) | Q(closed_at__gte=window.start))
        .order_by()
        .annotate(since=Coalesce("agreed_at", "created_at"))
        .annotate(
            expects=expected_in(window),
            held_here=_sessions_count(in_window & Q(completed_at__isnull=False)),
            missed_here=_sessions_count(in_window & Q(cancelled_at__isnull=False)),
        )
    )


# The sums over ``with_cadence``'s rows. ``expects`` is a large expression (a CASE of
# every cadence beat the window holds), so it is built and compiled once, as a column
# of the inner query, and the outer query adds its rows up: aggregated through the
# ORM, each of the three sums that name it would compile it again (half of the
# organisation page's time on the demo). Each engagement counts its held sessions up
# to what it expects.
KEPT_SQL = 'CASE WHEN "held_here" < "expects" THEN "held_here" ELSE "expects" END'
_SUMS = (
    f'SUM("expects"), SUM(CASE WHEN "expects" > 0 THEN "held_here" END), SUM({KEPT_SQL}),'
    ' SUM("missed_here")'
)


def fenced(sql: str, using: str) -> str:
    """``sql`` kept a subquery of its own: merged into the query around it, each use
    of one of its columns would compute that column again (``held_here``, a
    correlated count, once per sum that names it)."""
    limit = " LIMIT -1" if connections[using].vendor == "sqlite" else " OFFSET 0"
    return sql + limit


def _total(sums: Sequence[Any]) -> CadenceTotal:
    # int(): PostgreSQL's SUM of a count is a numeric.
    return CadenceTotal(*(int(value or 0) for value in sums))


def cadence_totals(
    engagements: QuerySet[Engagement],
    window: Window,
    groups: Mapping[str, Expression] | None = None,
) -> tuple[CadenceTotal, dict[str, dict[Any, CadenceTotal]]]:
    """``engagement_figures``' cadence figures added up over ``engagements`` in the
    window, and for each of ``groups`` (an expression over an engagement row: the
    row counts towards its value, and towards none when it is NULL) per value — in
    one aggregate query whatever the groups: the engagements' figures are computed
    once (a common table expression) and added up once per grouping. No row per
    engagement leaves the database."""
    groups = dict(groups or {})
    names = {name: f"group_{i}" for i, name in enumerate(groups)}
    rows = with_cadence(engagements, window).annotate(
        **{names[name]: expression for name, expression in groups.items()}
    )
    try:
        inner, params = rows.values(
            *names.values(), "expects", "held_here", "missed_here"
        ).query.sql_with_params()
    except EmptyResultSet:
        return CadenceTotal(0, 0, 0, 0), {name: {} for name in groups}
    # Our SQL throughout: the column names are ours (``group_<i>``), never a caller's.
    parts = [f'SELECT 0, NULL, {_SUMS} FROM "cadence"']  # noqa: S608
    for i, column in enumerate(names.values(), start=1):
        parts.append(
            f'SELECT {i}, "{column}", {_SUMS} FROM "cadence"'  # noqa: S608
            f' WHERE "{column}" IS NOT NULL GROUP BY "{column}"'
        )
    # Fenced: PostgreSQL merges a CTE named once (no groups) into its query, which
    # would count each engagement's held sessions once per sum again.
    sql = f'WITH "cadence" AS ({fenced(inner, rows.db)}) ' + " UNION ALL ".join(parts)
    total = CadenceTotal(0, 0, 0, 0)
    found: dict[str, dict[Any, CadenceTotal]] = {name: {} for name in groups}
    order = list(groups)
    with connections[rows.db].cursor() as cursor:
        cursor.execute(sql, params)
        for grouping, value, *sums in cursor.fetchall():
            if grouping == 0:
                total = _total(sums)
            else:
                found[order[grouping - 1]][value] = _total(sums)
    return total, found


def cadence_total(engagements: QuerySet[Engagement], window: Window) -> CadenceTotal:
    """``cadence_totals`` without groups: one aggregate query."""
    return cadence_totals(engagements, window)[0]


# ---------------------------------------------------------------- action items


@dataclass(frozen=True)
class FollowThrough:
    due: int = 0
    done: int = 0
    on_time: int = 0


def _on_time() -> Q:
    # Done on or before its due date, the date of its doing taken in the viewer's zone.
    return Q(done_at__isnull=False) & Q(done_date__lte=F("due_on"))


def action_items_by_month(owner: Person, today: dt.date) -> dict[dt.date, FollowThrough]:
    """The owner's action items due in each of the last twelve months (up to today),
    with how many are done and done on time. One query."""
    first = months(today)[0]
    rows = (
        ActionItem.objects.filter(owner=owner, due_on__gte=first, due_on__lte=today)
        .exclude(engagement__kind=COUNSELING)
        .order_by()
        .annotate(month=TruncMonth("due_on"), done_date=TruncDate("done_at"))
        .values("month")
        .annotate(
            due=Count("pk"),
            done=Count("pk", filter=Q(done_at__isnull=False)),
            on_time=Count("pk", filter=_on_time()),
        )
    )
    return {
        key: FollowThrough(row["due"], row["done"], row["on_time"])
        for row in rows
        if (key := _month_key(row["month"])) is not None
    }


def follow_through_by_engagement(
    engagements: Iterable[int], window: Window
) -> dict[tuple[int, int], FollowThrough]:
    """(engagement id, owner id) → action items due in the window up to today, done
    and done on time. One query."""
    rows = (
        ActionItem.objects.filter(
            engagement_id__in=list(engagements),
            due_on__gte=window.first_day,
            due_on__lte=window.today,
        )
        .order_by()
        .annotate(done_date=TruncDate("done_at"))
        .values("engagement_id", "owner_id")
        .annotate(
            due=Count("pk"),
            done=Count("pk", filter=Q(done_at__isnull=False)),
            on_time=Count("pk", filter=_on_time()),
        )
    )
    return {
        (row["engagement_id"], row["owner_id"]): FollowThrough(
            row["due"], row["done"], row["on_time"]
        )
        for row in rows
    }


def status_points_by_engagement(
    engagements: Iterable[int], window: Window
) -> dict[int, tuple[int, int]]:
    """Engagement id → (agenda points of its sessions in the window, of which flagged
    as status updates). One query."""
    rows = (
        AgendaItem.objects.filter(
            session__engagement_id__in=list(engagements),
            session__scheduled_for__gte=window.start,
            session__scheduled_for__lte=window.now,
        )
        .order_by()
        .values("session__engagement_id")
        .annotate(points=Count("pk"), status=Count("pk", filter=Q(looks_like_status=True)))
    )
    return {row["session__engagement_id"]: (row["points"], row["status"]) for row in rows}


# ---------------------------------------------------------------- growth


def objectives_by_status(owner: Person) -> dict[str, int]:
    rows = (
        Objective.objects.filter(plan__owner=owner)
        .order_by()
        .values("status")
        .annotate(n=Count("pk"))
    )
    return {row["status"]: row["n"] for row in rows}


def scores_by_month(owner: Person, today: dt.date) -> dict[dt.date, tuple[int, float | None]]:
    """Month → (check-ins with a goal-attainment position, their average position
    -2..+2). One query."""
    first = months(today)[0]
    start = timezone.make_aware(dt.datetime.combine(first, dt.time.min))
    rows = (
        CheckIn.objects.filter(
            objective__plan__owner=owner, position__isnull=False, created_at__gte=start
        )
        .order_by()
        .annotate(month=TruncMonth("created_at"))
        .values("month")
        .annotate(n=Count("pk"), average=Avg("position"))
    )
    return {
        key: (row["n"], None if row["average"] is None else float(row["average"]))
        for row in rows
        if (key := _month_key(row["month"])) is not None
    }


# ---------------------------------------------------------------- feedback


@dataclass(frozen=True)
class FeedbackCounts:
    requests: int
    people_asked: int
    answered: int
    given: int
    received: int


def feedback_counts(person: Person) -> FeedbackCounts:
    """Feedback the person asked for and gave: counts only. Answers received are not
    counted here: the feedback pages show unsigned answers only in whole groups, and
    a count would show each one arriving."""
    return FeedbackCounts(
        requests=FeedbackRequest.objects.filter(asker=person).count(),
        people_asked=FeedbackAsk.objects.filter(request__asker=person).count(),
        answered=FeedbackAnswer.objects.filter(ask__person=person).count(),
        given=GivenFeedback.objects.filter(giver=person).count(),
        received=GivenFeedback.objects.filter(receiver=person).count(),
    )


# ---------------------------------------------------------------- giving and getting


@dataclass(frozen=True)
class GiveGet:
    kind: str
    direction: str
    giving: int
    getting: int
    held_giving: int
    held_getting: int


def give_and_get(person: Person, window: Window) -> list[GiveGet]:
    """Per kind and direction of engagement (never counseling): the agreed open
    engagements the person gives and gets, and the sessions held in the window on
    each side. One query."""
    mine = not_counseling(Engagement.objects.for_party(person))
    agreed = ~Q(status=EngagementStatus.PROPOSED) & Q(declined_at__isnull=True)
    is_open = agreed & ~Q(status=EngagementStatus.CLOSED)
    rows = (
        mine.order_by()
        .values("kind", "direction")
        .annotate(
            giving=Count("pk", filter=is_open & Q(giver=person), distinct=True),
            getting=Count("pk", filter=is_open & Q(receiver=person), distinct=True),
            held_giving=Count("sessions", filter=held_in(window) & Q(giver=person)),
            held_getting=Count("sessions", filter=held_in(window) & Q(receiver=person)),
        )
        .order_by("kind", "direction")
    )
    return [
        GiveGet(
            row["kind"],
            row["direction"],
            row["giving"],
            row["getting"],
            row["held_giving"],
            row["held_getting"],
        )
        for row in rows
        if row["giving"] or row["getting"] or row["held_giving"] or row["held_getting"]
    ]


# ---------------------------------------------------------------- fairness


def gini(counts: Sequence[int]) -> float | None:
    """The Gini coefficient of ``counts``: 0 when all are equal, (n-1)/n when one has
    everything. ``None`` for no people or no sessions at all.

    G = Σᵢ Σⱼ |xᵢ - xⱼ| / (2 n Σ x)"""
    n = len(counts)
    total = sum(counts)
    if n == 0 or total == 0:
        return None
    ordered = sorted(counts)
    # Σᵢ Σⱼ |xᵢ - xⱼ| = 2 Σᵢ (2i - n + 1) xᵢ over the sorted values (i from 0).
    pairs = 2 * sum((2 * i - n + 1) * x for i, x in enumerate(ordered))
    return pairs / (2 * n * total)


def one_on_ones_per_report(manager: Person, window: Window) -> list[tuple[int, str, int]]:
    """The manager's direct reports, each with the one-on-one sessions held with the
    manager in the window: (id, name, sessions). One query, one row per report."""
    rows = (
        Person.objects.filter(manager=manager)
        .order_by()
        .annotate(
            held=Count(
                "receiving__sessions",
                filter=Q(receiving__giver=manager, receiving__kind=EngagementKind.ONE_ON_ONE)
                & held_in(window, "receiving__sessions__"),
            )
        )
        .values("pk", "name", "held")
        .order_by("name", "pk")
    )
    return [(row["pk"], row["name"], row["held"]) for row in rows]


@dataclass(frozen=True)
class LineManager:
    pk: int
    name: str
    reports: int
    met: int  # reports with a one-on-one held with this manager in the window
    held: int
    gini: float | None


def line_manager_sizes(manager: Person) -> list[tuple[int, str, int]]:
    """(line manager id, name, direct reports) for every line manager under
    ``manager`` (not ``manager``), by name: one query, one row per line manager."""
    under = Person.objects.under(manager).values("pk")
    rows = (
        Person.objects.filter(pk__in=under, manager_id__in=under)
        .order_by()
        .values("manager_id", "manager__name")
        .annotate(n=Count("pk"))
        .order_by("manager__name", "manager_id")
    )
    return [(row["manager_id"], row["manager__name"], row["n"]) for row in rows]


def line_managers_one_on_ones(manager: Person) -> QuerySet[Engagement]:
    """The one-on-ones of each line manager under ``manager`` with their current
    reports."""
    under = Person.objects.under(manager).values("pk")
    return Engagement.objects.filter(
        kind=EngagementKind.ONE_ON_ONE,
        receiver_id__in=under,
        giver_id__in=under,
        giver_id=F("receiver__manager_id"),
    )


def line_managers_total(manager: Person, window: Window) -> tuple[int, int]:
    """(one-on-ones held, reports met) over every line manager under ``manager`` in
    the window: one aggregate query."""
    found = Session.objects.filter(
        engagement__in=line_managers_one_on_ones(manager),
        completed_at__isnull=False,
        scheduled_for__gte=window.start,
        scheduled_for__lte=window.now,
    ).aggregate(held=Count("pk"), met=Count("engagement__receiver", distinct=True))
    return found["held"], found["met"]


def follow_through_total(engagements: QuerySet[Engagement], window: Window) -> FollowThrough:
    """Action items of the engagements' two parties due in the window up to today,
    done and done on time, added up: one aggregate query."""
    found = (
        ActionItem.objects.filter(
            Q(owner_id=F("engagement__giver_id")) | Q(owner_id=F("engagement__receiver_id")),
            engagement__in=engagements.values("pk"),
            due_on__gte=window.first_day,
            due_on__lte=window.today,
        )
        .annotate(done_date=TruncDate("done_at"))
        .aggregate(
            due=Count("pk"),
            done=Count("pk", filter=Q(done_at__isnull=False)),
            on_time=Count("pk", filter=_on_time()),
        )
    )
    return FollowThrough(found["due"], found["done"], found["on_time"])


def line_managers(
    manager: Person, window: Window, only: Sequence[int] | None = None
) -> list[LineManager]:
    """The line managers under ``manager`` (not ``manager``) — of them, ``only`` those
    when given (a page) — each with figures over their direct reports' one-on-ones
    with them in the window. One query, one row per report of those line managers;
    the per-manager figures are added up here."""
    under = Person.objects.under(manager).values("pk")
    reports = Person.objects.filter(pk__in=under, manager_id__in=under)
    if only is not None:
        reports = reports.filter(manager_id__in=list(only))
    rows = (
        reports.order_by()
        .annotate(
            held=Count(
                "receiving__sessions",
                filter=Q(
                    receiving__giver_id=F("manager_id"),
                    receiving__kind=EngagementKind.ONE_ON_ONE,
                )
                & held_in(window, "receiving__sessions__"),
            )
        )
        .values("manager_id", "manager__name", "held")
    )
    per: dict[int, tuple[str, list[int]]] = {}
    for row in rows:
        per.setdefault(row["manager_id"], (row["manager__name"], []))[1].append(row["held"])
    found = [
        LineManager(
            pk=pk,
            name=name,
            reports=len(counts),
            met=sum(1 for count in counts if count),
            held=sum(counts),
            gini=gini(counts),
        )
        for pk, (name, counts) in per.items()
    ]
    return sorted(found, key=lambda line: (line.name, line.pk))


# ---------------------------------------------------------------- plan coverage


@dataclass(frozen=True)
class Coverage:
    manager_id: int
    manager_name: str
    people: int
    plan: int
    objective: int
    mission: int


def coverage_by_line_manager(manager: Person) -> list[Coverage]:
    """Per line manager of the people under ``manager`` (``manager`` included): how
    many of their direct reports have a development plan, an active objective, a
    current mission statement. Counts only; one query."""
    person = OuterRef("pk")
    rows = (
        Person.objects.filter(pk__in=Person.objects.under(manager).values("pk"))
        .order_by()
        .values("manager_id", "manager__name")
        .annotate(
            people=Count("pk"),
            plan=Count("pk", filter=Q(Exists(DevelopmentPlan.objects.filter(owner=person)))),
            objective=Count(
                "pk",
                filter=Q(
                    Exists(
                        Objective.objects.filter(plan__owner=person, status__in=ACTIVE_OBJECTIVE)
                    )
                ),
            ),
            mission=Count(
                "pk",
                filter=Q(Exists(MissionStatement.objects.filter(owner=person, is_current=True))),
            ),
        )
    )
    return sorted(
        (
            Coverage(
                row["manager_id"],
                row["manager__name"],
                row["people"],
                row["plan"],
                row["objective"],
                row["mission"],
            )
            for row in rows
        ),
        key=lambda c: (c.manager_id != manager.pk, c.manager_name, c.manager_id),
    )
