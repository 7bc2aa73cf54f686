"""Developing others: the managers and coaches whose people's objectives progress and
whose sessions keep their cadence — the recognition the practice asks for, from
counts only.

For each giver of the scope's engagements (one-on-ones, coaching, mentoring; never
counseling), over the open engagements whose receiver is in the scope:

* **their people** — the distinct receivers (the group of their figures);
* **cadence kept** — ``organisation.cadence_query``'s definition, over those
  engagements;
* **people progressing** — of their people, those with an objective achieved, or a
  check-in in the last 91 days placed higher on its objective's scale than an earlier
  one.

A giver is named when they have at least ``MIN_GROUP`` people, keep at least
``CADENCE_AT_LEAST`` of the cadence, and at least ``PROGRESSING_AT_LEAST`` of their
people progress. Nobody with fewer than five people is named (whether they meet the
rule would be a figure about fewer than five people), and nobody is named for
missing it: the list recognises, it never ranks anyone down. Sorted by name, in pages.
All in one aggregate query (grouped by giver, the rule in HAVING), plus the count.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Case, Count, Exists, F, OuterRef, Q, QuerySet, Sum, Value, When
from django.db.models.functions import Coalesce, Least

from cairn.coaching.models import Engagement, EngagementKind, EngagementStatus
from cairn.growth.models import CheckIn, Objective, ObjectiveStatus
from cairn.insights.figures import MIN_GROUP, Figure, Row, Table
from cairn.insights.organisation import (
    CADENCE_HELP,
    QUARTER,
    Scope,
    counted_for_cadence,
    expected_sessions,
    held_in_quarter,
)
from cairn.people.models import Person

CADENCE_AT_LEAST = 0.75
PROGRESSING_AT_LEAST = 0.5
PER_PAGE = 50

RULE = (
    f"Named here: the managers and coaches with at least {MIN_GROUP} people in open "
    f"engagements with them, who kept at least {CADENCE_AT_LEAST:.0%} of their cadence "
    f"over the last 91 days, and of whose people at least {PROGRESSING_AT_LEAST:.0%} "
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


def recognised(scope: Scope, now: dt.datetime) -> QuerySet[Any, dict[str, Any]]:
    """One row per giver who meets the rule: their id and name, their people, cadence
    expected and kept, and their people progressing."""
    engagements = (
        Engagement.objects.filter(organisation_id=scope.organisation_id)
        .exclude(kind=EngagementKind.COUNSELING)
        .filter(
            status__in=[EngagementStatus.AGREED, EngagementStatus.ACTIVE],
            receiver_id__in=scope.people.values("pk"),
        )
    )
    progressing = progressing_people(now)
    counted = counted_for_cadence(now)
    return (
        engagements.annotate(
            expected_one=Case(When(counted, then=expected_sessions()), default=Value(0)),
        )
        .annotate(
            kept_one=Case(
                When(counted, then=Least(held_in_quarter(now), F("expected_one"))),
                default=Value(0),
            )
        )
        .values("giver_id", "giver__name")
        .annotate(
            people=Count("receiver", distinct=True),
            progressing=Count("receiver", distinct=True, filter=Q(receiver_id__in=progressing)),
            expected=Coalesce(Sum("expected_one"), 0),
            kept=Coalesce(Sum("kept_one"), 0),
        )
        .filter(
            people__gte=MIN_GROUP,
            expected__gt=0,
            kept__gte=F("expected") * CADENCE_AT_LEAST,
            progressing__gte=F("people") * PROGRESSING_AT_LEAST,
        )
        .order_by("giver__name", "giver_id")
    )


def recognised_page(
    scope: Scope, now: dt.datetime, number: int | str
) -> tuple[Table, Page[dict[str, Any]]]:
    """The page ``number`` of the givers named (``EmptyPage`` past the last)."""
    paginator = Paginator(recognised(scope, now), PER_PAGE)
    page = paginator.page(number)
    rows = [
        Row(
            row["giver__name"],
            [
                Figure.of(row["people"], group=row["people"]),
                Figure.of(row["kept"] / row["expected"], group=row["people"], kind="percent"),
                Figure.of(row["progressing"] / row["people"], group=row["people"], kind="percent"),
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
        empty="Nobody meets the rule yet. It asks for five or more people in open "
        "engagements, sessions kept to their cadence, and objectives moving: "
        "agree objectives and check in on them in your one-on-ones.",
    )
    return table, page
