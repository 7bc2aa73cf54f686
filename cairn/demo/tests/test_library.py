"""The library's demo seed: stories in every state, consistent with their authors'
levels, searchable, and the same on every build."""

from __future__ import annotations

import datetime as dt
import random
from zoneinfo import ZoneInfo

import pytest

from cairn.demo.builder import build_demo
from cairn.library import demo
from cairn.library.demo_stories import DEMO_STORIES
from cairn.library.models import Question, Review, Story, StoryStatus, StoryVersion
from cairn.library.policy import is_reviewer, publishes_without_review
from cairn.library.search import search_stories
from cairn.mastery.tests.factories import grant
from cairn.people.models import Person
from cairn.people.seeding import DemoContext
from cairn.testing import make_org, make_person

NOW = dt.datetime(2025, 10, 27, 8, 45, tzinfo=ZoneInfo("Europe/London"))
USERNAMES = ("grace", "tomasz", "marcus", "ravi", "sofia", "kenji", "olivia", "elena", "maya")


def context() -> DemoContext:
    org = make_org("Demo")
    people = {username: make_person(org, username.title()) for username in USERNAMES}
    grant(people["grace"], "coach")
    grant(people["tomasz"], "coach")
    grant(people["marcus"], "publisher")
    grant(people["sofia"], "publisher")
    for username in ("ravi", "kenji", "olivia", "elena", "maya"):
        grant(people[username], "contributor")
    return DemoContext(org, people, random.Random(7), NOW)  # noqa: S311


def check_consistent(stories: list[Story]) -> None:
    """What the demo shows is what the rules allow: a story published without review
    is by a publisher; a reviewed one by someone who reviews, never its author."""
    for story in stories:
        reviews = list(story.reviews.all())
        for review in reviews:
            assert review.reviewer_id != story.author_id
            assert is_reviewer(review.reviewer)
        if story.status == StoryStatus.PUBLISHED and not reviews:
            assert publishes_without_review(story.author), story.title
        if story.status == StoryStatus.RETURNED:
            assert reviews[0].comments
        assert story.versions.count() == 1


@pytest.mark.django_db
def test_seed_writes_stories_in_every_state_by_the_right_people() -> None:
    counts = demo.seed(context())
    stories = list(Story.objects.select_related("author"))
    assert counts["stories"] == len(DEMO_STORIES) == len(stories)
    by_status = {s: sum(1 for x in stories if x.status == s) for s in StoryStatus.values}
    assert by_status[StoryStatus.PUBLISHED] >= 15
    assert by_status[StoryStatus.IN_REVIEW] >= 3
    assert by_status[StoryStatus.RETURNED] >= 2
    assert counts["story_reviews"] == Review.objects.count() > 0
    check_consistent(stories)
    assert all(s.tags.exists() for s in stories)
    assert StoryVersion.objects.count() == len(stories)
    # Indexed for search on SQLite as on PostgreSQL.
    reader = Person.objects.get(name="Ravi")
    found = search_stories(Story.objects.visible_to(reader).published(), "burn-out")
    assert "On-call without burn-out" in [s.title for s in found]


@pytest.mark.django_db
def test_seed_is_deterministic() -> None:
    def snapshot() -> list[tuple[str, str, str, dt.datetime | None]]:
        return list(
            Story.objects.order_by("title").values_list(
                "title", "status", "author__name", "published_at"
            )
        )

    demo.seed(context())
    first = snapshot()
    Story.objects.all().delete()
    demo.seed(context())
    assert snapshot() == first


@pytest.mark.django_db
def test_whole_demo_stays_consistent_with_the_ladder() -> None:
    build_demo(now=NOW)
    stories = list(Story.objects.select_related("author"))
    assert len(stories) == len(DEMO_STORIES)
    check_consistent(stories)
    assert Question.objects.filter(organisation=None).count() >= 40
