"""Demo evaluation: Northwind's HR partner, Helena, runs the half-year review cycle,
open for the Platform team. Marcus (their manager) has assessed one person; a few
have written goals and self-reviews. Nothing here touches coaching: the demo shows
the two side by side, with the wall between them."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import TYPE_CHECKING

from cairn.evaluation import services
from cairn.evaluation.models import PerformanceReview, Rating
from cairn.people import services as people
from cairn.people.models import User

if TYPE_CHECKING:
    from cairn.people.seeding import DemoContext

HR_USERNAME = "helena"
TEAM_OF = "marcus"  # the cycle is open for this manager's team

GOALS = (
    ("Cut p95 deploy time", "minutes from merge to production, p95", "15", "18"),
    ("Raise on-call handover quality", "handovers rated good by the next shift", "90%", "84%"),
    ("Retire the legacy queue", "services still publishing to it", "0", "2"),
)
SELF_REVIEWS = (
    "Deploys are faster, though short of the target: the cache work landed late. "
    "I led the queue migration for four of the six services.",
    "Handovers improved once we wrote the checklist together; two teams still skip it.",
)


def seed(context: DemoContext) -> Counter[str]:
    director = next(p for p in context.people.values() if p.manager_id is None)
    hr = people.add_person(
        None,
        context.organisation,
        username=HR_USERNAME,
        email=f"{HR_USERNAME}@northwind.example",
        name="Helena Brandt",
        title="HR Business Partner",
        team=director.team,
        # HR sits outside engineering's reporting lines: no manager here, so no
        # one-on-one, and nobody in the demo coaches or evaluates her.
        manager=None,
        is_hr=True,
    )
    # The demo's one password, as every other demo person has it (already hashed).
    User.objects.filter(pk=hr.user_id).update(password=director.user.password, demo_password=True)
    context.people[HR_USERNAME] = hr

    today = context.now.date()
    half_start = dt.date(today.year, 1 if today.month <= 6 else 7, 1)
    cycle = services.create_cycle(
        hr,
        name=f"{half_start.year} {'first' if half_start.month == 1 else 'second'} half",
        period_start=half_start,
        period_end=half_start + dt.timedelta(days=180),
        self_review_due=today + dt.timedelta(days=14),
        manager_review_due=today + dt.timedelta(days=28),
    )
    opened = services.open_cycle(hr, cycle, team=context.people[TEAM_OF].team)
    reviews = list(
        PerformanceReview.objects.filter(cycle=cycle, manager=context.people[TEAM_OF])
        .select_related("cycle", "person")
        .order_by("person__name")
    )
    goals = 0
    for review, text in zip(reviews, SELF_REVIEWS, strict=False):
        for name, metric, target, actual in GOALS[:2]:
            services.add_goal(
                review.person, review, name=name, metric=metric, target=target, actual=actual
            )
            goals += 1
        services.write_self_review(review.person, review, text=text)
    if reviews:
        services.write_assessment(
            context.people[TEAM_OF],
            reviews[0],
            text="Delivered most of what we agreed; the queue migration is a real step. "
            "Next half: finish it and make the deploy target.",
            rating=Rating.MEETS,
        )
    return Counter(review_cycles=1, performance_reviews=opened, performance_goals=goals)
