"""Evaluation's test data: a cycle HR opened for the Platform team of the cast, with
the report's goal, self-review and their manager's assessment, each with a text
that appears nowhere else."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from cairn.evaluation import services
from cairn.evaluation.models import CycleStatus, Goal, PerformanceReview, ReviewCycle
from cairn.testing import Cast

SELF_REVIEW = "Eval-canary self-review: I shipped the ledger migration"
ASSESSMENT = "Eval-canary assessment: dependable under pressure"
GOAL = "Eval-canary goal: halve checkout latency"
METRIC = "Eval-canary metric: p95 checkout milliseconds"
CYCLE = "Eval-canary cycle 2026 H1"
# What one person's review holds; the cycle's name is known to everyone in it.
SECRETS = (SELF_REVIEW, ASSESSMENT, GOAL, METRIC)
EVERYTHING = (*SECRETS, CYCLE)

START = dt.date(2026, 1, 1)


def cycle_dates() -> dict[str, dt.date]:
    return {
        "period_start": START,
        "period_end": dt.date(2026, 6, 30),
        "self_review_due": dt.date(2026, 7, 10),
        "manager_review_due": dt.date(2026, 7, 24),
    }


def make_cycle(cast: Cast, name: str = CYCLE) -> ReviewCycle:
    return services.create_cycle(cast.hr, name=name, **cycle_dates())


@dataclass
class Evaluation:
    cast: Cast
    cycle: ReviewCycle
    review: PerformanceReview  # the report's, evaluated by the manager
    goal: Goal

    def move_to(self, status: str) -> None:
        """Close (and release) the cycle, as HR does."""
        if self.cycle.status == CycleStatus.OPEN:
            services.move_cycle(self.cast.hr, self.cycle, to=CycleStatus.CLOSED)
        if status == CycleStatus.RELEASED:
            services.move_cycle(self.cast.hr, self.cycle, to=CycleStatus.RELEASED)
        self.review = PerformanceReview.objects.select_related("cycle").get(pk=self.review.pk)


def build_evaluation(cast: Cast) -> Evaluation:
    cycle = make_cycle(cast)
    services.open_cycle(cast.hr, cycle, team=cast.report.team)
    review = PerformanceReview.objects.select_related("cycle").get(cycle=cycle, person=cast.report)
    goal = services.add_goal(cast.report, review, name=GOAL, metric=METRIC, target="300")
    services.write_self_review(cast.report, review, text=SELF_REVIEW)
    services.write_assessment(cast.manager, review, text=ASSESSMENT, rating=4)
    review.refresh_from_db()
    return Evaluation(cast, cycle, review, goal)
