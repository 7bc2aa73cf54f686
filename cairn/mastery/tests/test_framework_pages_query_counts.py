"""Query counts of the framework pages: the same at 1 row and at 50 — competencies
in the grid, assessments on a person's page and in a competency's history.

Each test counts the queries of a request with one row of what the page lists, grows
that to 50 and counts again; the bound on top keeps a constant cost from creeping up.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cairn.coaching.tests.factories import make_engagement
from cairn.mastery import services
from cairn.mastery.models import Assessment
from cairn.mastery.tests.grid_factories import Built, add_competencies, build_framework
from cairn.testing import Cast, client_for, count_queries, htmx, make_person

pytestmark = pytest.mark.django_db

SMALL, LARGE = 1, 50

# Every request spends three queries on who is asking (session, user, person). The
# grid: the framework, its tracks, the track's levels, its competencies with their
# areas, and the cells' behaviours in one query; the whole page adds the bell.
GRID_QUERIES = 8
GRID_PARTIAL_QUERIES = 7
CELL_QUERIES = 7
ASSESS_QUERIES = 12
PERSON_FRAMEWORK_QUERIES = 13
HISTORY_QUERIES = 12


def same_at_1_and_50(client: Client, url: str, grow: Callable[[int], object], bound: int) -> None:
    grow(SMALL)
    small = count_queries(lambda: client.get(url))
    grow(LARGE - SMALL)
    large = count_queries(lambda: client.get(url))
    assert small == large <= bound, (small, large)


@pytest.fixture
def empty(cast: Cast) -> Built:
    return build_framework(cast.org, competencies=0, levels=8, behaviours=3, scale=True)


def test_the_grid(cast: Cast, empty: Built) -> None:
    url = reverse("mastery:framework", args=[empty.framework.code])
    same_at_1_and_50(
        client_for(cast.report),
        url,
        lambda n: add_competencies(empty, n, behaviours=3),
        GRID_QUERIES,
    )


def test_the_grid_switching_track_with_htmx(cast: Cast, empty: Built) -> None:
    url = reverse("mastery:framework", args=[empty.framework.code]) + "?track=manager&retired=1"
    same_at_1_and_50(
        htmx(client_for(cast.report)),
        url,
        lambda n: add_competencies(empty, n, behaviours=3),
        GRID_PARTIAL_QUERIES,
    )


def test_a_cell(cast: Cast, empty: Built) -> None:
    add_competencies(empty, 1, behaviours=0)
    competency, level = empty.competencies[0], empty.ic_levels[0]
    url = (
        reverse("mastery:framework-cell", args=[empty.framework.code, competency.key, level.key])
        + "?track=ic"
    )
    start = [0]

    def grow(n: int) -> None:
        from cairn.mastery.models import Behaviour

        Behaviour.objects.bulk_create(
            Behaviour(competency=competency, level=level, text=f"b{i}", examples=["e"], position=i)
            for i in range(start[0], start[0] + n)
        )
        start[0] += n

    same_at_1_and_50(client_for(cast.report), url, grow, CELL_QUERIES)


def test_the_assess_page_by_levels_and_coachees(cast: Cast, empty: Built) -> None:
    add_competencies(empty, 1, behaviours=0)
    competency = empty.competencies[0]
    url = reverse("mastery:framework-assess", args=[empty.framework.code, competency.key])
    from cairn.mastery.models import Behaviour

    def grow(n: int) -> None:
        # More behaviours beside the form, and more people coached in its choices.
        for _ in range(n):
            make_engagement(cast.coach, make_person(cast.org))
        Behaviour.objects.bulk_create(
            Behaviour(competency=competency, level=level, text="b", position=i)
            for level in empty.ic_levels
            for i in range(n)
        )

    same_at_1_and_50(client_for(cast.coach), url, grow, ASSESS_QUERIES)


def _history(cast: Cast, built: Built, *, spread: bool) -> Callable[[int], None]:
    """Assessments of the report: by more assessors over more competencies
    (``spread``), or the same competency again and again."""
    now = timezone.now()
    count = [0]

    def grow(n: int) -> None:
        needed = len(built.competencies) < LARGE and spread
        if needed:
            add_competencies(built, LARGE - len(built.competencies), behaviours=0)
        rows = []
        for i in range(count[0], count[0] + n):
            assessor = make_person(cast.org) if spread else cast.report
            if i == 0:
                services.share_assessments(cast.report, cast.manager)
            rows.append(
                Assessment(
                    person=cast.report,
                    assessor=assessor,
                    competency=built.competencies[i % len(built.competencies)],
                    level=built.ic_levels[i % 8] if i % 2 else None,
                    stage=None if i % 2 else built.stages[i % 4],
                    evidence=f"evidence {i}",
                    assessed_at=now - dt.timedelta(hours=i),
                )
            )
        Assessment.objects.bulk_create(rows)
        count[0] += n

    return grow


def test_a_persons_page_per_framework(cast: Cast, empty: Built) -> None:
    url = reverse("mastery:person-framework", args=[cast.report.code, empty.framework.code])
    same_at_1_and_50(
        client_for(cast.manager), url, _history(cast, empty, spread=True), PERSON_FRAMEWORK_QUERIES
    )


def test_a_competencys_history(cast: Cast, empty: Built) -> None:
    add_competencies(empty, 1, behaviours=0)
    url = reverse(
        "mastery:person-competency",
        args=[cast.report.code, empty.framework.code, empty.competencies[0].key],
    )
    same_at_1_and_50(
        client_for(cast.manager), url, _history(cast, empty, spread=False), HISTORY_QUERIES
    )
