"""An organisation with a year of history in bulk, for ``bench/scale.py``: one-on-ones,
plans, mentors and stories. Kept apart from :mod:`cairn.testing.bulk` (people only),
which the apps' own tests import: this module reaches every app, and an app's tests
importing it would let the app reach those above it (the layers in pyproject.toml)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.utils import timezone

from cairn.people.models import Person


def bulk_one_on_ones(
    people: Sequence[Person],
    *,
    weeks: int = 52,
    now: dt.datetime | None = None,
    batch_size: int = 2000,
) -> int:
    """For each of ``people`` who has a manager, the one-on-one with that manager as
    its reporting line starts it, and a session every week for ``weeks`` weeks up to
    ``now`` (the last one a week ahead), each with an agenda point and a shared note,
    and an action item every fourth week. Returns the number of sessions."""
    from cairn.coaching.models import (
        ActionItem,
        AgendaItem,
        Direction,
        Engagement,
        EngagementKind,
        EngagementStatus,
        Note,
        NoteVisibility,
        Session,
    )
    from cairn.coaching.services import default_template

    now = now or timezone.now()
    template = default_template()
    start = now - dt.timedelta(weeks=weeks - 1)
    pairs = [(p, p.manager_id) for p in people if p.manager_id is not None]
    engagements = Engagement.objects.bulk_create(
        [
            Engagement(
                organisation_id=p.organisation_id,
                kind=EngagementKind.ONE_ON_ONE,
                direction=Direction.DOWNWARD,
                giver_id=manager_id,
                receiver_id=p.pk,
                proposed_by_id=manager_id,
                template=template,
                status=EngagementStatus.ACTIVE,
                created_at=start - dt.timedelta(days=1),
                agreed_at=start - dt.timedelta(days=1),
            )
            for p, manager_id in pairs
        ],
        batch_size=batch_size,
    )
    sessions = Session.objects.bulk_create(
        [
            Session(
                engagement=engagement,
                template=template,
                scheduled_for=start + dt.timedelta(weeks=week),
                completed_at=(
                    start + dt.timedelta(weeks=week, hours=1) if week < weeks - 1 else None
                ),
            )
            for engagement in engagements
            for week in range(weeks)
        ],
        batch_size=batch_size,
    )
    AgendaItem.objects.bulk_create(
        [
            AgendaItem(
                session=s,
                author_id=s.engagement.receiver_id,
                text=f"What got in the way this week ({n})?",
                created_at=s.scheduled_for - dt.timedelta(days=2),
            )
            for n, s in enumerate(sessions)
        ],
        batch_size=batch_size,
    )
    Note.objects.bulk_create(
        [
            Note(
                session=s,
                author_id=s.engagement.giver_id,
                visibility=NoteVisibility.SHARED,
                body=f"We talked about priorities and what to drop ({n}).",
                created_at=s.scheduled_for,
            )
            for n, s in enumerate(sessions)
        ],
        batch_size=batch_size,
    )
    ActionItem.objects.bulk_create(
        [
            ActionItem(
                engagement=s.engagement,
                session=s,
                owner_id=s.engagement.receiver_id,
                created_by_id=s.engagement.giver_id,
                description=f"Write down the next step ({n})",
                due_on=(s.scheduled_for + dt.timedelta(days=7)).date(),
                created_at=s.scheduled_for,
                done_at=s.completed_at if n % 3 else None,
            )
            for n, s in enumerate(sessions)
            if n % 4 == 0
        ],
        batch_size=batch_size,
    )
    return len(sessions)


def bulk_plans(people: Sequence[Person], *, objectives: int = 2, batch_size: int = 2000) -> None:
    """A development plan for each of ``people``, with ``objectives`` objectives."""
    from cairn.growth.models import DevelopmentPlan, Objective, ObjectiveStatus

    plans = DevelopmentPlan.objects.bulk_create(
        [DevelopmentPlan(owner=p, dreams="To build things people love.") for p in people],
        batch_size=batch_size,
    )
    Objective.objects.bulk_create(
        [
            Objective(
                plan=plan,
                what=f"Objective {n + 1} of plan {plan.pk}",
                why="Because it matters to the team.",
                status=ObjectiveStatus.IN_PROGRESS,
            )
            for plan in plans
            for n in range(objectives)
        ],
        batch_size=batch_size,
    )


def bulk_mentors(people: Sequence[Person], *, batch_size: int = 2000) -> None:
    """An open mentor profile for each of ``people``."""
    from cairn.mentoring.models import MentorProfile

    MentorProfile.objects.bulk_create(
        [
            MentorProfile(
                organisation_id=p.organisation_id,
                person=p,
                helps_with="First-time managers, hard conversations.",
                capacity=1 + n % 5,
                languages="en",
                years_experience=2 + n % 10,
            )
            for n, p in enumerate(people)
        ],
        batch_size=batch_size,
    )


STORY_WORDS = [
    "feedback",
    "delegation",
    "onboarding",
    "conflict",
    "hiring",
    "priorities",
    "burnout",
    "promotion",
    "mentoring",
    "remote",
    "estimation",
    "incident",
    "roadmap",
    "trust",
    "meetings",
]


def bulk_stories(authors: Sequence[Person], count: int, *, batch_size: int = 2000) -> None:
    """``count`` published stories by ``authors`` in turn (indexed for search)."""
    from cairn.library import search
    from cairn.library.models import Story, StoryStatus

    now = timezone.now()
    words = len(STORY_WORDS)
    stories = Story.objects.bulk_create(
        [
            Story(
                organisation_id=authors[n % len(authors)].organisation_id,
                author=authors[n % len(authors)],
                title=f"On {STORY_WORDS[n % words]} and {STORY_WORDS[(n * 7) % words]} ({n})",
                problem=f"The team struggled with {STORY_WORDS[(n * 3) % words]}.",
                actions=f"We tried {STORY_WORDS[(n * 5) % words]} feedback every week.",
                lessons="Ask early, write it down, follow up.",
                status=StoryStatus.PUBLISHED,
                submitted_at=now,
                published_at=now,
            )
            for n in range(count)
        ],
        batch_size=batch_size,
    )
    search.index_stories(stories)
