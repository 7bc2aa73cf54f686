"""Writes to evaluation, one function per use case. Each checks policy again
(``PermissionDenied``), validates (``ValidationError`` with a message a person can
read), runs in a transaction and logs ids, never text."""

from __future__ import annotations

import datetime as dt
import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from cairn.evaluation import policy
from cairn.evaluation.models import (
    FIGURE_MAX,
    GOAL_MAX,
    METRIC_MAX,
    NAME_MAX,
    REVIEW_MAX,
    CycleStatus,
    Goal,
    PerformanceReview,
    Rating,
    ReviewCycle,
    ReviewReader,
)
from cairn.lib.access import require
from cairn.people.models import Person, ReportingLines, Team

log = logging.getLogger(__name__)

NOT_OPEN = "This review cycle is not open."


def _text(value: str, *, limit: int, empty: str, name: str) -> str:
    value = value.strip()
    if not value and empty:
        raise ValidationError(empty)
    if len(value) > limit:
        raise ValidationError(f"Keep the {name} to {limit} characters or fewer.")
    return value


def create_cycle(
    actor: Person,
    *,
    name: str,
    period_start: dt.date,
    period_end: dt.date,
    self_review_due: dt.date,
    manager_review_due: dt.date,
) -> ReviewCycle:
    """HR starts a cycle, in draft: nobody is in it until it is opened for them."""
    require(policy.can_run_cycles(actor))
    name = _text(name, limit=NAME_MAX, empty="Give the cycle a name.", name="name")
    if period_end < period_start:
        raise ValidationError("The period must end on or after the day it starts.")
    if manager_review_due < self_review_due:
        raise ValidationError("Managers' reviews are due on or after the self-reviews.")
    with transaction.atomic():
        cycle = ReviewCycle.objects.create(
            organisation_id=actor.organisation_id,
            name=name,
            period_start=period_start,
            period_end=period_end,
            self_review_due=self_review_due,
            manager_review_due=manager_review_due,
            created_by=actor,
        )
    log.info("evaluation.cycle_created cycle=%s by=%s", cycle.pk, actor.pk)
    return cycle


def open_cycle(actor: Person, cycle: ReviewCycle, *, team: Team | None) -> int:
    """HR opens the cycle for a team, or for everyone active in the organisation
    (``team=None``); again for another team while it is open. Each person gets a
    review with their direct manager as its evaluating manager. Returns how many
    reviews were added."""
    require(policy.can_run_cycles(actor) and cycle.organisation_id == actor.organisation_id)
    if team is not None and team.organisation_id != cycle.organisation_id:
        raise ValidationError("Choose a team of your organisation.")
    if cycle.status not in (CycleStatus.DRAFT, CycleStatus.OPEN):
        raise ValidationError("A closed cycle cannot be opened again.")
    people = Person.objects.filter(organisation_id=cycle.organisation_id).active()
    if team is not None:
        people = people.filter(team=team)
    people = people.exclude(
        pk__in=PerformanceReview.objects.filter(cycle=cycle).values("person_id")
    )
    lines = ReportingLines.of(cycle.organisation_id)
    with transaction.atomic():
        added = PerformanceReview.objects.bulk_create(
            PerformanceReview(cycle=cycle, person_id=pk, manager_id=manager_id)
            for pk, manager_id in people.values_list("pk", "manager_id")
        )
        # Who reads each review is settled now: its manager and the managers above.
        ReviewReader.objects.bulk_create(
            ReviewReader(review_id=review.pk, person_id=reader)
            for review in added
            if review.manager_id is not None
            for reader in [review.manager_id, *lines.chain(review.manager_id)]
            if reader != review.person_id
        )
        if cycle.status == CycleStatus.DRAFT:
            cycle.status = CycleStatus.OPEN
            cycle.save(update_fields=["status"])
    log.info(
        "evaluation.cycle_opened cycle=%s team=%s added=%s by=%s",
        cycle.pk,
        team and team.pk,
        len(added),
        actor.pk,
    )
    return len(added)


_NEXT = {CycleStatus.CLOSED: CycleStatus.OPEN, CycleStatus.RELEASED: CycleStatus.CLOSED}


def move_cycle(actor: Person, cycle: ReviewCycle, *, to: str) -> None:
    """HR closes an open cycle (no more self-reviews or goals; managers may still
    finish their assessments), then releases its results to the people evaluated."""
    require(policy.can_run_cycles(actor) and cycle.organisation_id == actor.organisation_id)
    if to not in _NEXT:
        raise ValidationError("Choose to close the cycle or to release its results.")
    if cycle.status != _NEXT[CycleStatus(to)]:
        raise ValidationError(
            "Only an open cycle can be closed."
            if to == CycleStatus.CLOSED
            else "Close the cycle before releasing its results."
        )
    with transaction.atomic():
        cycle.status = to
        cycle.save(update_fields=["status"])
    log.info("evaluation.cycle_moved cycle=%s to=%s by=%s", cycle.pk, to, actor.pk)


def write_self_review(actor: Person, review: PerformanceReview, *, text: str) -> None:
    """The person's own view of the period; saved again until the cycle closes."""
    require(policy.can_write_self_review(actor, review))
    text = _text(
        text, limit=REVIEW_MAX, empty="Write your self-review before saving it.", name="review"
    )
    with transaction.atomic():
        review.self_review = text
        review.self_reviewed_at = timezone.now()
        review.save(update_fields=["self_review", "self_reviewed_at"])
    log.info("evaluation.self_review review=%s", review.pk)


def write_assessment(actor: Person, review: PerformanceReview, *, text: str, rating: int) -> None:
    """The evaluating manager's written assessment and rating."""
    require(policy.can_assess(actor, review))
    text = _text(
        text, limit=REVIEW_MAX, empty="Write the assessment before saving it.", name="assessment"
    )
    if rating not in Rating.values:
        raise ValidationError("Choose a rating from 1 to 5.")
    with transaction.atomic():
        review.assessment = text
        review.rating = rating
        review.assessed_at = timezone.now()
        review.save(update_fields=["assessment", "rating", "assessed_at"])
    log.info("evaluation.assessment review=%s by=%s", review.pk, actor.pk)


def _goal_fields(name: str, metric: str, target: str, actual: str) -> dict[str, str]:
    return {
        "name": _text(name, limit=GOAL_MAX, empty="Name the goal.", name="goal"),
        "metric": _text(
            metric, limit=METRIC_MAX, empty="Say how the goal is measured.", name="metric"
        ),
        "target": _text(target, limit=FIGURE_MAX, empty="Give a target.", name="target"),
        "actual": _text(actual, limit=FIGURE_MAX, empty="", name="actual figure"),
    }


def add_goal(
    actor: Person,
    review: PerformanceReview,
    *,
    name: str,
    metric: str,
    target: str,
    actual: str = "",
) -> Goal:
    """A goal with its metric, by the person or their evaluating manager."""
    require(policy.can_write_goals(actor, review))
    fields = _goal_fields(name, metric, target, actual)
    with transaction.atomic():
        goal = Goal.objects.create(review=review, written_by=actor, **fields)
    log.info("evaluation.goal_added goal=%s review=%s by=%s", goal.pk, review.pk, actor.pk)
    return goal


def update_goal(
    actor: Person, goal: Goal, *, name: str, metric: str, target: str, actual: str
) -> None:
    require(policy.can_write_goals(actor, goal.review))
    fields = _goal_fields(name, metric, target, actual)
    with transaction.atomic():
        for field, value in fields.items():
            setattr(goal, field, value)
        goal.save(update_fields=list(fields))
    log.info("evaluation.goal_updated goal=%s by=%s", goal.pk, actor.pk)
