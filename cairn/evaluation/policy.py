"""Who sees and does what in performance evaluation: the rows of docs/design.md's
who-sees-what table that evaluation owns.

| content                         | person             | manager            | above | HR   | else |
|---------------------------------|--------------------|--------------------|-------|------|------|
| review cycle: name, period, due | through a review   | through a review   | same  | rw   | —    |
| goals with metrics              | rw while open      | rw while open      | read  | read | —    |
| self-review                     | rw while open      | read               | read  | read | —    |
| assessment and rating           | read once released | rw before release  | read  | read | —    |
| the cycle's results as CSV      | —                  | —                  | —     | read | —    |

"Manager" is the evaluating manager: the person's direct manager when the cycle was
opened for them. "Above" is that manager's own managers. "HR" is every person with
the HR role in the same organisation; HR creates, opens, closes and releases cycles.
"Anyone else" includes peers, coaches, org admins, program admins, anyone in another
organisation, and a Django superuser on these pages (the admin registers nothing of
evaluation). Reads go through the ``visible_to`` querysets in ``models.py`` and the
access helpers below, which answer 404 for what the viewer may not see; writes are
checked again in ``services.py``.

The wall: this app imports nothing from coaching, growth, mastery, mentoring or
library, and none of them imports it (import-linter). No page here shows coaching
content, and no coaching page shows anything from here.
"""

from __future__ import annotations

from uuid import UUID

from cairn.evaluation.models import CycleStatus, Goal, PerformanceReview, ReviewCycle
from cairn.lib.access import get_or_404
from cairn.people.models import Person

# --- reads -------------------------------------------------------------------------


def can_read_assessment(viewer: Person, review: PerformanceReview) -> bool:
    """The manager's assessment and rating: the person once results are released;
    everyone else who reads the review (managers, HR) at once. An HR person who is
    themselves evaluated waits for the release like anyone."""
    if viewer.pk == review.person_id:
        return review.cycle.status == CycleStatus.RELEASED
    return True


# --- writes ------------------------------------------------------------------------


def can_run_cycles(viewer: Person) -> bool:
    return viewer.is_hr


def can_write_self_review(viewer: Person, review: PerformanceReview) -> bool:
    return viewer.pk == review.person_id and review.cycle.status == CycleStatus.OPEN


def can_write_goals(viewer: Person, review: PerformanceReview) -> bool:
    """The person and their evaluating manager, while the cycle is open."""
    return viewer.pk in (review.person_id, review.manager_id) and (
        review.cycle.status == CycleStatus.OPEN
    )


def can_assess(viewer: Person, review: PerformanceReview) -> bool:
    """The evaluating manager, while the cycle is open or closed (before release)."""
    return (
        review.manager_id is not None
        and viewer.pk == review.manager_id
        and viewer.pk != review.person_id
        and review.cycle.status in (CycleStatus.OPEN, CycleStatus.CLOSED)
    )


# --- access helpers: the object, or 404 -------------------------------------------


def get_cycle_for(viewer: Person, code: UUID | str) -> ReviewCycle:
    """A cycle of the viewer's organisation, for HR; 404 for anyone else."""
    return get_or_404(ReviewCycle.objects.visible_to(viewer), code=code)


def get_review_for(viewer: Person, code: UUID | str) -> PerformanceReview:
    return get_or_404(
        PerformanceReview.objects.visible_to(viewer).select_related("cycle", "person", "manager"),
        code=code,
    )


def get_goal_for(viewer: Person, code: UUID | str) -> Goal:
    return get_or_404(
        Goal.objects.visible_to(viewer).select_related("review__cycle", "review__person"),
        code=code,
    )
