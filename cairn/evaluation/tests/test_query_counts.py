"""Query counts of evaluation's pages: the same at 1 row and at 50. Each row adds a
person on the Platform team (so a review in the cycle, evaluated by the manager), a
goal on the report's review, and another cycle with a review of the report."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse

from cairn.evaluation import services
from cairn.evaluation.models import PerformanceReview
from cairn.evaluation.tests.factories import Evaluation, build_evaluation, make_cycle
from cairn.testing import client_for, make_cast, make_person
from cairn.testing.worlds import LARGE, SMALL, Worlds, build_worlds, measure

BOUNDS = {
    "home": 6,
    "team": 7,
    "review": 9,
    "review-hr": 9,
    "goal-edit": 6,
    "cycles": 6,
    "cycle": 8,
    "cycle-export": 7,
}


class World:
    def __init__(self) -> None:
        self.evaluation: Evaluation = build_evaluation(make_cast())
        self.rows = 0

    def grow_to(self, rows: int) -> None:
        cast = self.evaluation.cast
        while self.rows < rows:
            n = self.rows + 1
            make_person(cast.org, f"Teammate {n}", manager=cast.manager, team=cast.report.team)
            services.add_goal(
                cast.report, self.evaluation.review, name=f"goal {n}", metric="m", target="1"
            )
            other = make_cycle(cast, name=f"cycle {n}")
            services.open_cycle(cast.hr, other, team=cast.report.team)
            self.rows += 1
        services.open_cycle(cast.hr, self.evaluation.cycle, team=cast.report.team)


@pytest.fixture(scope="module")
def built(module_db: None, django_db_blocker: Any) -> Worlds[World]:
    return build_worlds(World, django_db_blocker)


@pytest.fixture
def worlds(db: None, built: Worlds[World]) -> Worlds[World]:
    return copy.deepcopy(built)


PAGES: dict[str, Callable[[Evaluation], tuple[str, str]]] = {
    "home": lambda e: ("report", reverse("evaluation:home")),
    "team": lambda e: ("director", reverse("evaluation:team")),
    "review": lambda e: ("manager", reverse("evaluation:review", args=[e.review.code])),
    "review-hr": lambda e: ("hr", reverse("evaluation:review", args=[e.review.code])),
    "goal-edit": lambda e: ("report", reverse("evaluation:goal-edit", args=[e.goal.code])),
    "cycles": lambda e: ("hr", reverse("evaluation:cycles")),
    "cycle": lambda e: ("hr", reverse("evaluation:cycle", args=[e.cycle.code])),
    "cycle-export": lambda e: ("hr", reverse("evaluation:cycle-export", args=[e.cycle.code])),
}


@pytest.mark.parametrize("name", sorted(PAGES))
def test_pages_cost_the_same_at_1_and_50_rows(worlds: Worlds[World], name: str) -> None:
    def prepare(world: World) -> Callable[[], object]:
        role, url = PAGES[name](world.evaluation)
        client = client_for(world.evaluation.cast.everyone()[role])

        def fetch() -> None:
            assert client.get(url).status_code == 200

        return fetch

    small, large = measure(worlds, prepare)
    assert small == large, f"{name}: {small} queries at {SMALL} row, {large} at {LARGE}"
    assert large <= BOUNDS[name], f"{name}: {large} queries, bound {BOUNDS[name]}"


def test_the_worlds_differ_in_size(worlds: Worlds[World]) -> None:
    # Otherwise equal counts would prove nothing.
    def reviews(world: World) -> int:
        return PerformanceReview.objects.filter(cycle=world.evaluation.cycle).count()

    assert reviews(worlds.large) - reviews(worlds.small) == LARGE - SMALL
