"""Query counts of the mastery pages: the same at 1 row and at 50.

Each test counts the queries of a request with one row of what the page lists, grows
that to 50 and counts again; the bound on top keeps a constant cost from creeping up.
Every request spends three queries on who is asking (session, user, person).
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
from cairn.mastery.models import (
    Assessment,
    AssessmentShare,
    Behaviour,
    Competency,
    Framework,
    FrameworkLevel,
    Grant,
    Level,
    Track,
    TrackCompetency,
)
from cairn.mastery.tests.factories import grant, import_example
from cairn.testing import Cast, client_for, count_queries, htmx, make_person

SMALL, LARGE = 1, 50

# + 1 on every whole page: the bell's unread notifications in the navigation, and
# one per kind of thing they are about (the manager: the assessments shared with
# them), to ask whether the viewer may still see it.
HOME_QUERIES = 16
PERSON_QUERIES = 12
LADDER_QUERIES = 7
GRANT_QUERIES = 11
GRANT_CHOSEN_QUERIES = 11
SEARCH_QUERIES = 4
FRAMEWORK_QUERIES = 13


def same_at_1_and_50(client: Client, url: str, grow: Callable[[int], None], bound: int) -> None:
    grow(SMALL)
    small = count_queries(lambda: client.get(url))
    grow(LARGE - SMALL)
    large = count_queries(lambda: client.get(url))
    assert small == large <= bound, (small, large)


def add_history(cast: Cast) -> Callable[[int], None]:
    """Grants and assessments of the report, written by the coach."""
    framework = import_example(cast.org)
    competencies = list(Competency.objects.filter(framework=framework))
    levels = list(FrameworkLevel.objects.filter(track__framework=framework))
    library = list(Level.objects.filter(ladder__slug="library").order_by("rank"))
    now = timezone.now()

    def grow(n: int) -> None:
        start = Grant.objects.count()
        Grant.objects.bulk_create(
            Grant(
                person=cast.report,
                level=library[(start + i) % 3 + 1],
                granted_by=cast.coach,
                evidence="e",
                granted_at=now + dt.timedelta(seconds=start + i),
            )
            for i in range(n)
        )
        Assessment.objects.bulk_create(
            Assessment(
                person=cast.report,
                assessor=cast.coach,
                competency=competencies[(start + i) % len(competencies)],
                level=next(
                    lv
                    for lv in levels
                    if lv.track_id
                    == competencies[(start + i) % len(competencies)].track_links.all()[0].track_id
                ),
                evidence="e",
            )
            for i in range(n)
        )

    return grow


def test_home(cast: Cast) -> None:
    same_at_1_and_50(
        client_for(cast.report), reverse("mastery:home"), add_history(cast), HOME_QUERIES
    )


def test_home_of_the_coach(cast: Cast) -> None:
    make_engagement(cast.coach, cast.report)
    same_at_1_and_50(
        client_for(cast.coach), reverse("mastery:home"), add_history(cast), HOME_QUERIES
    )


@pytest.mark.parametrize("role", ["coach", "manager"])
def test_person_page(cast: Cast, role: str) -> None:
    # The coach reads what they wrote; the manager reads through the report's share,
    # which also records the read: one row, whatever the number of assessments.
    services.share_assessments(cast.report, cast.manager)
    url = reverse("mastery:person", args=[cast.report.code])
    client = client_for(cast.everyone()[role])
    same_at_1_and_50(client, url, add_history(cast), PERSON_QUERIES)


def test_home_with_many_shares_both_ways(cast: Cast) -> None:
    """The report shares with many people, and many share with the report."""

    def grow(n: int) -> None:
        for _ in range(n):
            other = make_person(cast.org)
            AssessmentShare.objects.create(owner=cast.report, shared_with=other)
            AssessmentShare.objects.create(owner=other, shared_with=cast.report)

    same_at_1_and_50(client_for(cast.report), reverse("mastery:home"), grow, HOME_QUERIES)


def test_share_search(cast: Cast) -> None:
    def grow(n: int) -> None:
        for _ in range(n):
            make_person(cast.org, "Sam Searched")

    url = reverse("mastery:home") + "?q=searched"
    same_at_1_and_50(htmx(client_for(cast.report)), url, grow, SEARCH_QUERIES)


def test_grant_page_with_a_person_chosen(cast: Cast) -> None:
    """The admin's grant form says where the chosen person stands on every ladder."""
    from cairn.mastery.models import Ladder

    def grow(n: int) -> None:
        start = Ladder.objects.filter(organisation=cast.org).count()
        for i in range(start, start + n):
            ladder = Ladder.objects.create(organisation=cast.org, slug=f"l{i}", name=f"L{i}")
            Level.objects.bulk_create(
                Level(ladder=ladder, slug=f"r{r}", name=f"R{r}", rank=r, criteria="c")
                for r in range(2)
            )

    url = reverse("mastery:grant") + f"?person={cast.report.code}"
    same_at_1_and_50(client_for(cast.admin), url, grow, GRANT_CHOSEN_QUERIES)


def test_ladder_page(cast: Cast) -> None:
    from cairn.mastery.models import Ladder, LevelPrivilege

    ladder = Ladder.objects.create(organisation=cast.org, slug="deploy", name="Deploy")

    def grow(n: int) -> None:
        start = ladder.levels.count()
        made = Level.objects.bulk_create(
            Level(
                ladder=ladder,
                slug=f"l{start + i}",
                name=f"L{start + i}",
                rank=start + i,
                criteria="c",
            )
            for i in range(n)
        )
        LevelPrivilege.objects.bulk_create(
            LevelPrivilege(level=lv, privilege="review_stories") for lv in made
        )

    same_at_1_and_50(
        client_for(cast.peer), reverse("mastery:ladder", args=["deploy"]), grow, LADDER_QUERIES
    )


def test_grant_page(cast: Cast) -> None:
    grant(cast.coach, "coach")

    def grow(n: int) -> None:
        for _ in range(n):
            make_person(cast.org)

    same_at_1_and_50(client_for(cast.coach), reverse("mastery:grant"), grow, GRANT_QUERIES)


def test_framework_page(cast: Cast) -> None:
    framework = Framework.objects.create(organisation=cast.org, key="f", name="F")
    track = Track.objects.create(framework=framework, key="t", name="T", position=0)
    level = FrameworkLevel.objects.create(track=track, key="l", name="L", rank=0)

    def grow(n: int) -> None:
        start = framework.competencies.count()
        made = Competency.objects.bulk_create(
            Competency(
                framework=framework, key=f"c{start + i}", name=f"C{start + i}", position=start + i
            )
            for i in range(n)
        )
        TrackCompetency.objects.bulk_create(
            TrackCompetency(track=track, competency=c, position=c.position) for c in made
        )
        Behaviour.objects.bulk_create(
            Behaviour(competency=c, level=level, text="b", position=0) for c in made
        )

    url = reverse("mastery:framework", args=[framework.code])
    same_at_1_and_50(client_for(cast.report), url, grow, FRAMEWORK_QUERIES)
