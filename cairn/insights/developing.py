"""Developing others: the managers and coaches whose people's objectives progress and
whose sessions keep their cadence — the recognition the practice asks for, from
counts only.

For each giver of the scope's engagements (one-on-ones, coaching, mentoring; never
counseling), over the engagements whose receiver is in the scope and that were agreed
and open in the last quarter (``counts.engagement_figures``):

* **their people** — the distinct receivers (the group of their figures);
* **cadence kept** — the one definition (``counts.py``), over those engagements;
* **people progressing** — of their people, those with an objective achieved, or a
  check-in in the last 91 days placed higher on its objective's scale than an earlier
  one.

A giver is named when they have at least ``MIN_GROUP`` people, keep at least
``CADENCE_AT_LEAST`` of the cadence, and at least ``PROGRESSING_AT_LEAST`` of their
people progress. Nobody with fewer than five people is named (whether they meet the
rule would be a figure about fewer than five people), and nobody is named for
missing it: the list recognises, it never ranks anyone down. Sorted by name, in pages.
One aggregate query grouped by giver (no row per engagement leaves the database).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.core.paginator import Page, Paginator
from django.db import connections
from django.db.models import Case, Exists, F, OuterRef, Q, QuerySet, When

from cairn.coaching.models import Engagement, EngagementKind
from cairn.growth.models import CheckIn, Objective, ObjectiveStatus
from cairn.insights.counts import KEPT_SQL, Window, fenced, with_cadence
from cairn.insights.figures import MIN_GROUP, Figure, Row, Table
from cairn.insights.organisation import CADENCE_HELP, QUARTER, Scope
from cairn.people.models import Person

CADENCE_AT_LEAST = 0.75
PROGRESSING_AT_LEAST = 0.5
PER_PAGE = 50

RULE = (
    f"Named here: the managers and coaches with at least {MIN_GROUP} people in "
    "engagements with them over the last 91 days, who kept at least "
    f"{CADENCE_AT_LEAST:.0%} of their cadence in that time, and of whose people at "
    f"least {PROGRESSING_AT_LEAST:.0%} "
    "progress (an objective achieved, or a check-in in the last 91 days higher on its "
    "scale than an earlier one). Sorted by name: it recognises, it does not rank. Nobody "
    f"with fewer than {MIN_GROUP} people is named, so no figure describes fewer than five."
)


def progressing_people(now: dt.datetime) -> QuerySet[Person, Any]:
    """The ids of people whose objectives progress (a subquery, never listed)."""
    earlier_lower = CheckIn.objects.filter(
        objective=OuterRef("objective"),
        created_at__lt=OuterRef("created_at"),
        position__lt=OuterRef("position"),
    )
    moved_up = CheckIn.objects.filter(
        created_at__gte=now - QUARTER, created_at__lte=now, position__isnull=False
    ).filter(Exists(earlier_lower))
    achieved = Objective.objects.filter(status=ObjectiveStatus.ACHIEVED)
    return (
        Person.objects.filter(
            Q(pk__in=achieved.values("plan__owner"))
            | Q(pk__in=moved_up.values("objective__plan__owner"))
        )
        .order_by()
        .values("pk")
    )


@dataclass(frozen=True)
class Recognised:
    name: str
    people: int
    expected: int
    kept: int
    progressing: int


def recognised(scope: Scope, now: dt.datetime) -> list[Recognised]:
    """The givers who meet the rule, by name: one aggregate query grouped by giver
    over the engagements whose receiver is in the scope (their people, sessions
    expected and kept as ``counts.cadence_total`` counts them, and how many of their
    people progress), givers of fewer than five people left out in SQL."""
    engagements = Engagement.objects.filter(
        organisation_id=scope.organisation_id, receiver_id__in=scope.people.values("pk")
    ).exclude(kind=EngagementKind.COUNSELING)
    progressing = scope.people.filter(pk__in=progressing_people(now)).values("pk")
    rows = (
        with_cadence(engagements, Window.quarter(now))
        .annotate(
            giver_key=F("giver_id"),
            giver_name=F("giver__name"),
            receiver_key=F("receiver_id"),
            grows=Case(When(receiver__in=progressing, then=F("receiver_id")), default=None),
        )
        .values("giver_key", "giver_name", "receiver_key", "expects", "held_here", "grows")
    )
    try:
        inner, params = rows.query.sql_with_params()
    except EmptyResultSet:
        return []
    # Added up outside the query that computes ``expects`` (see ``counts._SUMS``).
    sql = (
        'SELECT "giver_name", COUNT(DISTINCT "receiver_key"), SUM("expects"),'  # noqa: S608
        f' SUM({KEPT_SQL}), COUNT(DISTINCT "grows") FROM ({fenced(inner, rows.db)}) AS "cadence"'
        ' GROUP BY "giver_key", "giver_name"'
        ' HAVING COUNT(DISTINCT "receiver_key") >= %s AND SUM("expects") > 0'
    )
    with connections[rows.db].cursor() as cursor:
        cursor.execute(sql, [*params, MIN_GROUP])
        # int(): PostgreSQL's SUM of a count is a numeric.
        found = [Recognised(name, *map(int, figures)) for name, *figures in cursor.fetchall()]
    found = [
        row
        for row in found
        if row.kept >= row.expected * CADENCE_AT_LEAST
        and row.progressing >= row.people * PROGRESSING_AT_LEAST
    ]
    return sorted(found, key=lambda r: r.name)


def recognised_page(givers: list[Recognised], number: int | str) -> tuple[Table, Page[Recognised]]:
    """The page ``number`` of the givers named (``recognised``'s list; ``EmptyPage``
    past the last)."""
    paginator = Paginator(givers, PER_PAGE)
    page = paginator.page(number)
    rows = [
        Row(
            row.name,
            [
                Figure.of(row.people, group=row.people),
                Figure.of(row.kept / row.expected, group=row.people, kind="percent"),
                Figure.of(row.progressing / row.people, group=row.people, kind="percent"),
            ],
        )
        for row in page.object_list
    ]
    table = Table(
        "developing-others",
        "Developing others: managers and coaches whose people grow",
        ["Manager or coach", "Their people", "Cadence kept", "People progressing"],
        rows,
        help=f"{RULE} {CADENCE_HELP}",
        empty="Nobody meets the rule yet. It asks for five or more people in "
        "engagements with them, sessions kept to their cadence, and objectives moving: "
        "agree objectives and check in on them in your one-on-ones.",
    )
    return table, page
