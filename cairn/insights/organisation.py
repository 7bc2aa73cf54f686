"""The figures of the leaders' insights (an organisation, a manager's subtree, a team):
coaching in every direction per month, cadence kept, action-item follow-through, time
to first session, the upward "did it help" aggregate and stalled engagements.

Every figure is an aggregate computed by the database over ids, dates, statuses and
counts — never a content field — and counseling is never counted. A scope is a set of
people (``Scope.people``, a subquery that is never listed); an engagement belongs to
it when either party is in it. Suppression and differencing are ``figures.guard``'s.

Definitions (said on the pages too):

* **cadence kept** — the one definition of ``counts.py`` (the person's and team pages'
  too): per engagement, the sessions held in the last quarter against those the cadence
  expects in the part of it in which it was agreed and open, capped at its expected
  number; summed over the engagements in SQL (``counts.cadence_total``: no row of
  numbers per engagement, never per session);
* **follow-through** — of the action items due in the last quarter, the share done;
* **time to first session** — for engagements agreed in the last twelve months, the
  median number of days from agreement to the first session held;
* **stalled** — ``EngagementQuerySet.stalled``: no session held for twice the cadence
  and none to come.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import (
    Case,
    Count,
    F,
    Func,
    IntegerField,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Least
from django.utils import timezone

from cairn.coaching.models import (
    ActionItem,
    Direction,
    Engagement,
    EngagementKind,
    Session,
)
from cairn.feedback.models import SessionFeedback
from cairn.insights.counts import (
    CadenceTotal,
    EngagementFigures,
    Window,
    cadence_total,
    cadence_totals,
)
from cairn.insights.figures import FEWER, MIN_GROUP, Figure, Row, Table, guard, guard_overlapping
from cairn.people.models import Person, Team

QUARTER = dt.timedelta(days=91)
MONTHS = 12

CADENCE_HELP = (
    "Cadence kept: the sessions held in the last quarter (the 91 days before today) "
    "against the sessions the agreed cadence expects in the part of it in which each "
    "engagement was agreed and open, each engagement counted up to what it expects."
)
FOLLOW_THROUGH_HELP = "Follow-through: of the action items due in the last 91 days, the share done."
STALLED_HELP = (
    "Stalled: agreed engagements with no session held for twice their cadence and none "
    "scheduled. Both people are told, and nobody else."
)
FIRST_SESSION_HELP = (
    "Time to first session: the median number of days from an engagement's agreement to "
    "its first session held, for engagements agreed in the last twelve months."
)
HELPED_HELP = (
    "Did it help: the people coached answer, after a session, whether it helped. Only "
    "the counts of answers are used, never why. Shown only when the answers come from "
    "at least five people about the sessions of at least five givers, so no one's answer "
    "can be picked out."
)
GROUP_HELP = f"A figure about fewer than five people says “{FEWER}”, and so may one beside it."


@dataclass(frozen=True)
class Scope:
    """The people a page's figures describe: an organisation, a manager's subtree, or
    a team within either. ``people`` is a subquery of the active people in it."""

    organisation_id: int
    people: QuerySet[Person]
    size: int
    label: str


def scope_people(
    organisation_id: int, *, under: Person | int | None, team: Team | None
) -> QuerySet[Person]:
    people = Person.objects.filter(organisation_id=organisation_id, user__is_active=True)
    if under is not None:
        people = people.under(under)
    if team is not None:
        people = people.filter(team=team)
    return people.order_by()


def make_scope(
    organisation_id: int, *, under: Person | int | None, team: Team | None, label: str
) -> Scope:
    people = scope_people(organisation_id, under=under, team=team)
    return Scope(organisation_id, people, people.count(), label)


def _ids(scope: Scope) -> QuerySet[Person, Any]:
    return scope.people.values("pk")


def engagements_of(scope: Scope) -> QuerySet[Engagement]:
    """Engagements with a party in the scope — never counseling."""
    ids = _ids(scope)
    return (
        Engagement.objects.filter(organisation_id=scope.organisation_id)
        .exclude(kind=EngagementKind.COUNSELING)
        .filter(Q(giver_id__in=ids) | Q(receiver_id__in=ids))
        .order_by()
    )


def _count(queryset: QuerySet[Any, Any], field: str = "pk") -> Coalesce:
    """A correlated COUNT of ``queryset`` as a subquery expression."""
    counted = queryset.order_by().annotate(_n=Func(F(field), function="COUNT")).values("_n")[:1]
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


# --- months -------------------------------------------------------------------------


def last_months(today: dt.date) -> list[dt.date]:
    """The first days of the last twelve calendar months, oldest first, this one last."""
    months = []
    year, month = today.year, today.month
    for _ in range(MONTHS):
        months.append(dt.date(year, month, 1))
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return months[::-1]


def _next_month(first: dt.date) -> dt.date:
    return (
        dt.date(first.year + 1, 1, 1) if first.month == 12 else first.replace(month=first.month + 1)
    )


def _start_of(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0), tzinfo=timezone.get_current_timezone())


DIRECTIONS = list(Direction)


def direction_tables(
    scope: Scope, now: dt.datetime, *, by_direction: bool = True
) -> tuple[Table, Table]:
    """Sessions held and engagements active (a session held that month), per month and
    direction, each row guarded: a direction's part describes the people of the scope
    who took part in it that month (the more of its givers or its receivers in the
    scope: never more than the real number), the total the whole scope."""
    today = timezone.localdate(now)
    months = last_months(today)
    ids = _ids(scope)
    sessions = Session.objects.filter(
        engagement__in=engagements_of(scope),
        completed_at__gte=_start_of(months[0]),
        completed_at__lte=now,
    ).order_by()
    # The month as a CASE over constant bounds (no per-row date function: on SQLite a
    # truncation runs Python once per session), grouped by it and the direction.
    bounds = [(first, _start_of(_next_month(first))) for first in months]
    month = Case(
        *(When(completed_at__lt=end, then=Value(i)) for i, (_, end) in enumerate(bounds)),
        default=Value(len(bounds)),
        output_field=IntegerField(),
    )
    # Two steps: the sessions of each engagement and month, then those rows, joined
    # to their engagement (its direction, and its giver and receiver when they are
    # of the scope), added up per month and direction. Counting distinct engagements
    # and people over every session sorted a year of sessions (470,000 at 10,000
    # people) on disk; the scope is asked once per engagement-month, not per session.
    per_engagement = (
        sessions.annotate(month=month).values("month", "engagement_id").annotate(held=Count("pk"))
    )
    found: dict[tuple[dt.date, str], dict[str, int]] = {}
    try:
        inner, inner_params = per_engagement.query.sql_with_params()
        in_scope, scope_params = ids.query.sql_with_params()
    except EmptyResultSet:
        inner = None
    if inner is not None:
        engagement = Engagement._meta.db_table
        sql = (
            'SELECT "month", e."direction", SUM("held"), COUNT(*),'  # noqa: S608 - our SQL
            f' COUNT(DISTINCT CASE WHEN e."giver_id" IN ({in_scope}) THEN e."giver_id" END),'
            f' COUNT(DISTINCT CASE WHEN e."receiver_id" IN ({in_scope}) THEN e."receiver_id" END)'
            f' FROM ({inner}) AS "per_engagement"'
            f' INNER JOIN "{engagement}" e ON e."id" = "per_engagement"."engagement_id"'
            ' GROUP BY "month", e."direction"'
        )
        with connections[per_engagement.db].cursor() as cursor:
            cursor.execute(sql, [*scope_params, *scope_params, *inner_params])
            for index, direction, held, engagements, givers, receivers in cursor.fetchall():
                if index < len(bounds):
                    # int(): PostgreSQL's SUM of a count is a numeric.
                    found[(bounds[index][0], direction)] = {
                        "sessions": int(held),
                        "engagements": engagements,
                        "givers": givers,
                        "receivers": receivers,
                    }
    held_rows: list[Row] = []
    active_rows: list[Row] = []
    for first in months:
        totals = {
            "sessions": sum(found.get((first, d), {}).get("sessions", 0) for d in DIRECTIONS),
            "engagements": sum(found.get((first, d), {}).get("engagements", 0) for d in DIRECTIONS),
        }
        label = first.strftime("%b %Y")
        for key, rows in (("sessions", held_rows), ("engagements", active_rows)):
            parts = []
            for direction in DIRECTIONS:
                row = found.get((first, direction), {})
                people = max(row.get("givers", 0), row.get("receivers", 0))
                parts.append(Figure.of(row.get(key, 0), group=people))
            total, parts = guard_overlapping(Figure.of(totals[key], group=scope.size), parts)
            rows.append(Row(label, [*parts, total] if by_direction else [total]))
    columns = ["Month", *(str(d.label) for d in DIRECTIONS), "All directions"]
    if not by_direction:
        columns = ["Month", "All directions"]
    help_text = (
        "Counted by the month a session was held, in every direction: downward (a manager "
        "or coach with their people), peer, upward (reverse) and external. Counseling is "
        f"never counted. {GROUP_HELP} Directions overlap (one person may meet in "
        "several), so when any direction of a month is hidden the month's total is "
        f"withheld too (it also says “{FEWER}”), so that it cannot give the hidden one away."
    )
    return (
        Table(
            "sessions-by-direction",
            "Sessions held per month, by direction",
            columns,
            held_rows,
            chart="line",
            help=help_text,
        ),
        Table(
            "engagements-by-direction",
            "Engagements active per month (a session held), by direction",
            columns,
            active_rows,
            chart="bar",
            help=help_text,
        ),
    )


# --- the quarter's figures ----------------------------------------------------------


def cadence_sums(rows: Iterable[EngagementFigures]) -> tuple[int, int]:
    """(expected, kept) over ``rows``: each engagement counts up to what it expects."""
    expected = kept = 0
    for row in rows:
        if row.expected > 0:
            expected += row.expected
            kept += min(row.held, row.expected)
    return expected, kept


@dataclass(frozen=True)
class Quarter:
    sessions: int
    engagements: int
    expected: int
    kept: int
    items_due: int
    items_done: int
    stalled: int
    helped_answers: int
    helped_yes: int
    helped_people: int
    helped_givers: int
    first_session_days: list[int]

    @property
    def cadence_share(self) -> float | None:
        return self.kept / self.expected if self.expected else None

    @property
    def follow_through(self) -> float | None:
        return self.items_done / self.items_due if self.items_due else None

    @property
    def helped_share(self) -> float | None:
        return self.helped_yes / self.helped_answers if self.helped_answers else None

    @property
    def median_first_session(self) -> float | None:
        days = self.first_session_days
        return statistics.median(days) if days else None


@dataclass(frozen=True)
class ScopeCadence:
    """Cadence kept over a scope's engagements, and per team: by the giver's team
    (givers of the scope) and by the receiver's team (receivers of the scope, but
    for an engagement whose giver is of the scope and of the same team: counted
    once per team)."""

    total: CadenceTotal
    by_giver_team: dict[Any, CadenceTotal]
    by_receiver_team: dict[Any, CadenceTotal]


def scope_cadence(scope: Scope, now: dt.datetime) -> ScopeCadence:
    """The scope's ``ScopeCadence`` in one query (``counts.cadence_totals``)."""
    ids = _ids(scope)
    other_team = (
        ~Q(giver__in=ids)
        | Q(giver__team__isnull=True)
        | Q(giver__team_id__lt=F("receiver__team_id"))
        | Q(giver__team_id__gt=F("receiver__team_id"))
    )
    total, teams = cadence_totals(
        engagements_of(scope),
        Window.quarter(now),
        {
            "giver": Case(When(giver__in=ids, then=F("giver__team_id"))),
            "receiver": Case(When(Q(receiver__in=ids) & other_team, then=F("receiver__team_id"))),
        },
    )
    return ScopeCadence(total, teams["giver"], teams["receiver"])


def quarter(scope: Scope, now: dt.datetime, cadence: CadenceTotal | None = None) -> Quarter:
    """The scope's figures over the last quarter (and time to first session over the
    last twelve months): a handful of aggregate queries, whatever the scope's size."""
    window = Window.quarter(now)
    engagements = engagements_of(scope)
    held = Session.objects.filter(
        engagement__in=engagements,
        completed_at__isnull=False,
        scheduled_for__gte=window.start,
        scheduled_for__lte=window.now,
    ).aggregate(sessions=Count("pk"), engagements=Count("engagement", distinct=True))
    if cadence is None:
        cadence = cadence_total(engagements, window)
    expected, kept = cadence.expected, cadence.kept
    items = ActionItem.objects.filter(
        engagement__in=engagements, due_on__gte=window.first_day, due_on__lt=window.today
    ).aggregate(due=Count("pk"), done=Count("pk", filter=Q(done_at__isnull=False)))
    stalled = Engagement.objects.stalled(now).filter(pk__in=engagements.values("pk")).count()
    helped = SessionFeedback.objects.filter(
        person_id__in=_ids(scope),
        session__engagement__in=engagements,
        session__scheduled_for__gte=window.start,
        session__scheduled_for__lte=window.now,
    ).aggregate(
        answers=Count("pk"),
        yes=Count("pk", filter=Q(helped=True)),
        people=Count("person", distinct=True),
        givers=Count("session__engagement__giver", distinct=True),
    )
    return Quarter(
        sessions=held["sessions"],
        engagements=held["engagements"],
        expected=expected,
        kept=kept,
        items_due=items["due"],
        items_done=items["done"],
        stalled=stalled,
        helped_answers=helped["answers"],
        helped_yes=helped["yes"],
        helped_people=helped["people"],
        helped_givers=helped["givers"],
        first_session_days=first_session_days(engagements, now),
    )


def first_session_days(
    engagements: QuerySet[Engagement], now: dt.datetime | None = None
) -> list[int]:
    """Days from agreement to the first session held, one number per engagement that
    has met — agreed in the twelve months before ``now``, or ever when ``now`` is None
    (a program's pairs) — numbers only: the median is Python's."""
    agreed = engagements.filter(agreed_at__isnull=False)
    if now is not None:
        agreed = agreed.filter(agreed_at__gte=now - dt.timedelta(days=365), agreed_at__lte=now)
    first = (
        agreed.annotate(
            first=Min(
                Least("sessions__scheduled_for", "sessions__completed_at"),
                filter=Q(sessions__completed_at__isnull=False),
            )
        )
        .filter(first__isnull=False)
        .values_list("agreed_at", "first")
    )
    return [max((met - agreed_at).days, 0) for agreed_at, met in first]


def helped_rows(answers: int, yes: int, *, people: int, givers: int, group: int) -> list[Row]:
    """The "did it help" rows: the answers and the share that helped, shown only when
    the answers come from at least ``MIN_GROUP`` people about the sessions of at least
    ``MIN_GROUP`` givers (design.md: never one answer, never one giver's sessions)."""
    enough = people >= MIN_GROUP and givers >= MIN_GROUP
    count = Figure.of(answers, group=group)
    share = Figure.of(yes / answers if answers else None, group=group, kind="percent")
    if not enough:
        count = count.suppress() if answers else count
        share = share.suppress() if answers else share
    return [Row("“Did it help” answers", [count]), Row("Sessions that helped", [share])]


def summary_table(scope: Scope, figures: Quarter) -> Table:
    """The scope's quarter, one figure a row, each about the whole scope."""
    n = scope.size

    def of(value: object, kind: str = "count") -> Figure:
        return Figure.of(value, group=n, kind=kind)  # type: ignore[arg-type]

    def share(value: float | None) -> Figure:
        return (
            Figure.of(value, group=n, kind="percent")
            if value is not None
            else (Figure.none() if n >= 5 else Figure.of(None, group=n))
        )

    rows = [
        Row("People", [of(n)]),
        Row("Sessions held", [of(figures.sessions)]),
        Row("Engagements that met", [of(figures.engagements)]),
        Row("Cadence kept", [share(figures.cadence_share)]),
        Row("Action items due", [of(figures.items_due)]),
        Row("Action items done of those due", [share(figures.follow_through)]),
        Row("Stalled engagements (now)", [of(figures.stalled)]),
        Row(
            "Median days to first session",
            [
                of(figures.median_first_session, "decimal")
                if figures.median_first_session is not None
                else share(None)
            ],
        ),
        *helped_rows(
            figures.helped_answers,
            figures.helped_yes,
            people=figures.helped_people,
            givers=figures.helped_givers,
            group=n,
        ),
    ]
    return Table(
        "summary",
        f"The last 91 days: {scope.label}",
        ["Figure", "Value"],
        rows,
        help=" ".join(
            (
                CADENCE_HELP,
                FOLLOW_THROUGH_HELP,
                STALLED_HELP,
                FIRST_SESSION_HELP,
                HELPED_HELP,
                GROUP_HELP,
            )
        ),
    )


# --- the breakdown by team ----------------------------------------------------------


def team_sizes(scope: Scope) -> list[tuple[int | None, str, int]]:
    """(team id, name, people of the scope in it), "No team" last: one query."""
    rows = (
        scope.people.values("team_id", "team__name").annotate(n=Count("pk")).order_by("team__name")
    )
    teams = [(r["team_id"], r["team__name"], r["n"]) for r in rows if r["team_id"] is not None]
    none = [r["n"] for r in rows if r["team_id"] is None]
    if none:
        teams.append((None, "No team", none[0]))
    return teams


def shown_teams(scope: Scope) -> set[int | None]:
    """The teams whose figures the team breakdown shows beside this scope's total:
    decided by the people counted alone, so that every figure of a team — here or on
    the team's own page — is shown or suppressed alike. ``guard`` decides; where it
    would hide the scope's total (the people beyond the shown teams are 1 to 4), the
    smallest shown team is hidden too instead, until the total may show."""
    sizes = team_sizes(scope)
    parts = [Figure.of(0, group=n) for *_, n in sizes]
    while True:
        total, parts = guard(Figure.of(0, group=scope.size), parts)
        shown = [i for i, part in enumerate(parts) if not part.suppressed]
        if not total.suppressed or not shown:
            break
        smallest = min(shown, key=lambda i: parts[i].group or 0)
        parts[smallest] = parts[smallest].suppress()
    return {team for (team, _, _), part in zip(sizes, parts, strict=True) if not part.suppressed}


def team_table(scope: Scope, now: dt.datetime, cadence: ScopeCadence | None = None) -> Table:
    """Per team of the scope: people, sessions held, cadence kept, follow-through and
    stalled engagements over the last quarter — the counts in one query for all teams
    (correlated subqueries), cadence kept in two grouped aggregate queries —
    guarded against the total by the people in each."""
    sizes = team_sizes(scope)
    window = Window.quarter(now)
    engagements = engagements_of(scope)
    ids = _ids(scope)
    # A party of the scope in the team (a manager's own team counts only their people).
    in_team = Q(giver__team=OuterRef("pk"), giver__in=ids) | Q(
        receiver__team=OuterRef("pk"), receiver__in=ids
    )
    team_engagements = engagements.filter(in_team)
    session_team = Q(engagement__giver__team=OuterRef("pk"), engagement__giver__in=ids) | Q(
        engagement__receiver__team=OuterRef("pk"), engagement__receiver__in=ids
    )
    items_due = Q(due_on__gte=window.first_day, due_on__lt=window.today)
    stalled_ids = Engagement.objects.stalled(now).values("pk")
    figures = {
        row["pk"]: row
        for row in Team.objects.filter(pk__in=[t for t, _, _ in sizes if t is not None])
        .annotate(
            sessions=_count(
                Session.objects.filter(
                    session_team,
                    engagement__in=engagements,
                    completed_at__isnull=False,
                    scheduled_for__gte=window.start,
                    scheduled_for__lte=window.now,
                )
            ),
            due=_count(
                ActionItem.objects.filter(session_team, items_due, engagement__in=engagements)
            ),
            done=_count(
                ActionItem.objects.filter(
                    session_team, items_due, engagement__in=engagements, done_at__isnull=False
                )
            ),
            stalled=_count(team_engagements.filter(pk__in=stalled_ids)),
        )
        .values("pk", "sessions", "due", "done", "stalled")
    }
    # Each team's engagements: those with a party of the scope in it, counted once
    # per team (a giver's team, then a receiver's team when not the giver's too).
    if cadence is None:
        cadence = scope_cadence(scope, now)
    by_giver, by_receiver = cadence.by_giver_team, cadence.by_receiver_team

    def team_cadence(team: int) -> tuple[int, int]:
        parts = [found for found in (by_giver.get(team), by_receiver.get(team)) if found]
        return sum(p.expected for p in parts), sum(p.kept for p in parts)

    shown = shown_teams(scope)
    rows = []
    for team, name, n in sizes:
        if team is None:
            cells = [Figure.of(n, group=n)] + [Figure.none() for _ in range(4)]
        else:
            row = figures[team]
            expected, kept = team_cadence(team)
            cells = [
                Figure.of(n, group=n),
                Figure.of(row["sessions"], group=n),
                Figure.of(kept / expected if expected else None, group=n, kind="percent"),
                Figure.of(
                    row["done"] / row["due"] if row["due"] else None, group=n, kind="percent"
                ),
                Figure.of(row["stalled"], group=n),
            ]
        if team not in shown:
            cells = [cell.suppress() for cell in cells]
        rows.append(Row(name, cells))
    return Table(
        "teams",
        "By team, the last 91 days",
        ["Team", "People", "Sessions held", "Cadence kept", "Action items done", "Stalled"],
        rows,
        chart="bar",
        charted=[1],
        help=(
            "A session between two teams counts for both. A team's row is shown only when "
            "it and the teams beside it are large enough that no team of fewer than five "
            f"can be worked out from the total. {GROUP_HELP}"
        ),
        empty="No teams here yet: an org admin puts people in teams.",
    )
