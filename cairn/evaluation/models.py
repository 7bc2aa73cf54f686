"""Performance evaluation, walled off from coaching: review cycles run by HR, each
person's review in a cycle (goals with metrics, their self-review, their manager's
written assessment and rating).

Nothing here refers to coaching content, and no coaching app refers to this one (two
import-linter contracts, "the wall", in ``pyproject.toml``). Who reads what is in
``policy.py``.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Q

if TYPE_CHECKING:
    from cairn.people.models import Person

NAME_MAX = 120
GOAL_MAX = 200
METRIC_MAX = 200
FIGURE_MAX = 60
REVIEW_MAX = 5000


class CycleStatus(models.TextChoices):
    DRAFT = "draft", "draft"
    OPEN = "open", "open"
    CLOSED = "closed", "closed"
    RELEASED = "released", "results released"


class Rating(models.IntegerChoices):
    """A small fixed scale: the manager's overall rating of the period."""

    BELOW = 1, "1 — below expectations"
    PARTLY = 2, "2 — partly meets expectations"
    MEETS = 3, "3 — meets expectations"
    EXCEEDS = 4, "4 — exceeds expectations"
    FAR_EXCEEDS = 5, "5 — far exceeds expectations"


class ReviewCycleQuerySet(models.QuerySet["ReviewCycle"]):
    def visible_to(self, viewer: Person) -> ReviewCycleQuerySet:
        """HR of the cycle's organisation runs it; everyone else meets a cycle only
        through a review of theirs (see ``PerformanceReview.objects.visible_to``)."""
        if not viewer.is_hr:
            return self.none()
        return self.filter(organisation_id=viewer.organisation_id)


class ReviewCycle(models.Model):
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        "people.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    name = models.CharField(max_length=NAME_MAX)
    period_start = models.DateField()
    period_end = models.DateField()
    self_review_due = models.DateField()
    manager_review_due = models.DateField()
    status = models.CharField(max_length=10, choices=CycleStatus.choices, default=CycleStatus.DRAFT)
    created_by = models.ForeignKey(
        "people.Person", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ReviewCycleQuerySet.as_manager()

    class Meta:
        ordering = ["-period_start", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="cycle_period_in_order",
            ),
            models.CheckConstraint(
                condition=Q(manager_review_due__gte=models.F("self_review_due")),
                name="cycle_manager_due_after_self",
            ),
        ]

    def __str__(self) -> str:
        # The cycle's name is HR's label for a period, not anyone's evaluation.
        return f"Review cycle {self.code}"

    @property
    def is_open(self) -> bool:
        return self.status == CycleStatus.OPEN

    @property
    def is_released(self) -> bool:
        return self.status == CycleStatus.RELEASED


class PerformanceReviewQuerySet(models.QuerySet["PerformanceReview"]):
    def visible_to(self, viewer: Person) -> PerformanceReviewQuerySet:
        """The person evaluated; the evaluating manager and that manager's managers as
        they were when the cycle opened for the person (``ReviewReader``); HR of the
        same organisation. A cycle still in draft has no reviews."""
        if viewer.is_hr:
            return self.filter(cycle__organisation_id=viewer.organisation_id)
        return self.filter(
            Q(person_id=viewer.pk)
            | Q(pk__in=ReviewReader.objects.filter(person_id=viewer.pk).values("review_id"))
        )

    def managed_by(self, viewer: Person) -> PerformanceReviewQuerySet:
        """The reviews the viewer reads as the evaluating manager or above them."""
        return self.filter(
            pk__in=ReviewReader.objects.filter(person_id=viewer.pk).values("review_id")
        )


class PerformanceReview(models.Model):
    """One person's evaluation in one cycle. The manager is the person's direct
    manager when the cycle was opened for them, kept so that a later change of
    reporting line does not hand the evaluation to someone else."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    cycle = models.ForeignKey(ReviewCycle, on_delete=models.CASCADE, related_name="reviews")
    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="evaluations"
    )
    manager = models.ForeignKey(
        "people.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="evaluations_to_write",
    )
    self_review = models.TextField(max_length=REVIEW_MAX, blank=True)
    self_reviewed_at = models.DateTimeField(null=True, blank=True)
    assessment = models.TextField(max_length=REVIEW_MAX, blank=True)
    rating = models.PositiveSmallIntegerField(choices=Rating.choices, null=True, blank=True)
    assessed_at = models.DateTimeField(null=True, blank=True)

    objects = PerformanceReviewQuerySet.as_manager()

    class Meta:
        ordering = ["person__name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "person"], name="review_once_per_cycle"),
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5),
                name="review_rating_on_scale",
            ),
        ]

    def __str__(self) -> str:
        return f"Review {self.code}"


class ReviewReader(models.Model):
    """Someone who reads a review because of where they stood when the cycle opened
    for its person: the evaluating manager, and each manager above them. Kept, not
    worked out from today's reporting lines, so that nobody — an org admin editing
    reporting lines included — makes themselves a reader of an evaluation already
    under way."""

    review = models.ForeignKey(
        "PerformanceReview", on_delete=models.CASCADE, related_name="readers"
    )
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["review", "person"], name="review_reader_once"),
        ]

    def __str__(self) -> str:
        return f"Reader of review {self.review_id}"


class GoalQuerySet(models.QuerySet["Goal"]):
    def visible_to(self, viewer: Person) -> GoalQuerySet:
        """Whoever reads the review reads its goals."""
        return self.filter(review__in=PerformanceReview.objects.visible_to(viewer))


class Goal(models.Model):
    """A performance goal with its metric: what, measured how, the target and the
    actual figure reached. Written by the person or their evaluating manager."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    review = models.ForeignKey(PerformanceReview, on_delete=models.CASCADE, related_name="goals")
    name = models.CharField(max_length=GOAL_MAX)
    metric = models.CharField(max_length=METRIC_MAX)
    target = models.CharField(max_length=FIGURE_MAX)
    actual = models.CharField(max_length=FIGURE_MAX, blank=True)
    written_by = models.ForeignKey(
        "people.Person", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = GoalQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"Goal {self.code}"
