"""The library's part of the demo: stories in every state, by people whose levels
on the library ladder allow what they did, and reviews that start with what is good.

Runs after the mastery app's demo (``INSTALLED_APPS`` order), which puts people at
their levels; the built-in tags and questions come from the data migration. Rows are
written with ``bulk_create`` — a few queries for all of it.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import TYPE_CHECKING

from cairn.library import search
from cairn.library.demo_stories import DEMO_STORIES
from cairn.library.models import (
    Review,
    ReviewDecision,
    Story,
    StoryStatus,
    StoryVersion,
)
from cairn.mastery.models import Privilege
from cairn.mastery.policy import people_with_privilege
from cairn.people.models import Person
from cairn.tags.models import Tag

if TYPE_CHECKING:
    from cairn.people.seeding import DemoContext

# Authors below "publisher", in the order they take turns; whoever of them the
# demo's mastery seed made a publisher publishes directly instead.
CONTRIBUTORS = ("ravi", "sofia", "kenji", "olivia", "elena", "maya", "diego", "freya", "leo")
STRENGTHS = [
    "The problem is concrete: I could picture the team.",
    "The lessons are short enough to remember.",
    "The actions are honest about what did not work.",
    "A story many managers will recognise.",
]
QUESTIONS = [
    "What would you do differently next time?",
    "How did the team react at first?",
    "",
]
RETURN_COMMENTS = "Say a little more about what you learned — it is what readers come for."


def seed(context: DemoContext) -> Counter[str]:
    org, now, rng = context.organisation, context.now, context.rng
    people = context.people
    publishers = set(
        people_with_privilege(org.pk, Privilege.PUBLISH_WITHOUT_REVIEW).values_list("pk", flat=True)
    )
    roster = {person.pk for person in people.values()}
    reviewers = [
        person
        for person in people_with_privilege(org.pk, Privilege.REVIEW_STORIES).order_by("name")
        if person.pk in roster
    ]
    publisher_people = [p for p in people.values() if p.pk in publishers]
    publisher_people.sort(key=lambda p: p.name)
    contributors = [people[u] for u in CONTRIBUTORS if u in people]
    tags = {t.slug: t for t in Tag.objects.filter(organisation=None)}

    stories: list[Story] = []
    plans: list[tuple[str, Person | None, dt.datetime]] = []  # (kind, reviewer, when)
    for n, (title, _, problem, actions, lessons) in enumerate(DEMO_STORIES):
        when = now - dt.timedelta(days=3 + 9 * (len(DEMO_STORIES) - n), hours=rng.randrange(9, 17))
        # Every third story is a publisher's, published without review; the others
        # are contributors', in review, returned or published by a reviewer.
        if n % 3 == 0 and publisher_people:
            author = publisher_people[(n // 3) % len(publisher_people)]
            kind = "direct"
        else:
            author = contributors[n % len(contributors)]
            if author.pk in publishers:
                kind = "direct"
            elif not reviewers:
                kind = "in_review"
            else:
                kind = ("reviewed", "reviewed", "in_review", "returned", "reviewed")[n % 5]
        candidates = [r for r in reviewers if r.pk != author.pk]
        reviewer = candidates[n % len(candidates)] if candidates else None
        if kind in ("reviewed", "returned") and reviewer is None:
            kind = "in_review"
        status = {
            "direct": StoryStatus.PUBLISHED,
            "reviewed": StoryStatus.PUBLISHED,
            "in_review": StoryStatus.IN_REVIEW,
            "returned": StoryStatus.RETURNED,
        }[kind]
        published_at = when + dt.timedelta(days=2) if status == StoryStatus.PUBLISHED else None
        stories.append(
            Story(
                organisation=org,
                author=author,
                title=title,
                problem=problem,
                actions=actions,
                lessons=lessons,
                status=status,
                created_at=when,
                updated_at=when,
                submitted_at=None if kind == "direct" else when + dt.timedelta(hours=1),
                published_at=published_at,
                published_by=author
                if kind == "direct"
                else (reviewer if kind == "reviewed" else None),
            )
        )
        plans.append((kind, reviewer, when))
    Story.objects.bulk_create(stories)

    through = Story.tags.through
    through.objects.bulk_create(
        through(story_id=story.pk, tag_id=tags[slug].pk)
        for story, (_, slugs, *_) in zip(stories, DEMO_STORIES, strict=True)
        for slug in slugs
    )
    StoryVersion.objects.bulk_create(
        StoryVersion(
            story=story,
            number=1,
            title=story.title,
            problem=story.problem,
            actions=story.actions,
            lessons=story.lessons,
            tag_names=sorted(tags[slug].name for slug in slugs),
            saved_by=story.author,
            saved_at=story.created_at,
        )
        for story, (_, slugs, *_) in zip(stories, DEMO_STORIES, strict=True)
    )
    reviews = [
        Review(
            story=story,
            version=1,
            reviewer=reviewer,
            strengths=STRENGTHS[n % len(STRENGTHS)],
            questions=QUESTIONS[n % len(QUESTIONS)],
            comments="" if kind == "reviewed" else RETURN_COMMENTS,
            decision=ReviewDecision.PUBLISH if kind == "reviewed" else ReviewDecision.RETURN,
            created_at=when + dt.timedelta(days=2),
        )
        for n, (story, (kind, reviewer, when)) in enumerate(zip(stories, plans, strict=True))
        if kind in ("reviewed", "returned")
    ]
    Review.objects.bulk_create(reviews)
    search.index_stories(stories)

    by_status = Counter(story.status for story in stories)
    return Counter(
        stories=len(stories),
        published_stories=by_status[StoryStatus.PUBLISHED],
        stories_in_review=by_status[StoryStatus.IN_REVIEW],
        returned_stories=by_status[StoryStatus.RETURNED],
        story_reviews=len(reviews),
    )
