"""Factories for tests of the library (and of apps that show its stories)."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Sequence
from dataclasses import dataclass

from cairn.library import services
from cairn.library.models import ReviewDecision, Story, StoryStatus
from cairn.mastery.tests.factories import grant
from cairn.people.models import Person
from cairn.tags.models import Tag
from cairn.testing import Cast

_serial = itertools.count(1)

# What a reviewer asks in the stories made here: between the author and the reviewer.
REVIEW_QUESTION = "What did the team say?"


def tags(*slugs: str) -> list[Tag]:
    found = {t.slug: t for t in Tag.objects.filter(organisation=None, slug__in=slugs)}
    return [found[slug] for slug in slugs]


def make_story(
    author: Person,
    title: str | None = None,
    *,
    problem: str = "The team was stuck.",
    actions: str = "We talked it through.",
    lessons: str = "Talking helps.",
    tag_slugs: Sequence[str] = ("leadership",),
    status: str = StoryStatus.PUBLISHED,
    reviewer: Person | None = None,
) -> Story:
    """A story in the given state, written through the services. A published or
    returned story needs a ``reviewer`` unless its author may publish directly; the
    state is then set as the services would (without asking mastery twice)."""
    story = services.write_story(
        author,
        title=title or f"Story {next(_serial)}",
        problem=problem,
        actions=actions,
        lessons=lessons,
        tags=tags(*tag_slugs),
    )
    if status == StoryStatus.DRAFT:
        return story
    if status == StoryStatus.PUBLISHED and reviewer is None:
        services.publish_own_story(author, story)
        return story
    services.submit_story(author, story)
    if status == StoryStatus.IN_REVIEW:
        return story
    if reviewer is None:
        raise ValueError("A reviewer publishes or returns a contributor's story.")
    decision = ReviewDecision.PUBLISH if status == StoryStatus.PUBLISHED else ReviewDecision.RETURN
    services.review_story(
        reviewer,
        story,
        strengths="A clear problem.",
        questions=REVIEW_QUESTION,
        comments="" if decision == ReviewDecision.PUBLISH else "Say more about the lessons.",
        decision=decision,
    )
    return story


def publish_at(story: Story, when: dt.datetime) -> Story:
    """Move a published story's publication date (for ordering tests)."""
    Story.objects.filter(pk=story.pk).update(published_at=when)
    story.refresh_from_db()
    return story


@dataclass
class Library:
    """The cast at their levels of the library ladder.

    ``coach`` is at "coach" (publishes and reviews), ``manager`` at "publisher"
    (publishes, does not review), ``report`` at "contributor" and ``peer`` a
    "candidate" (both need a review); nobody else holds a level.
    """

    cast: Cast

    @property
    def reviewer(self) -> Person:
        return self.cast.coach

    @property
    def publisher(self) -> Person:
        return self.cast.manager

    @property
    def contributor(self) -> Person:
        return self.cast.report

    @property
    def candidate(self) -> Person:
        return self.cast.peer


def at_library_levels(cast: Cast) -> Library:
    """Put the cast at their levels of the library ladder (see ``Library``)."""
    grant(cast.coach, "coach")
    grant(cast.manager, "publisher")
    grant(cast.report, "contributor")
    return Library(cast)
