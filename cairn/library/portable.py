"""What a person wrote in the library, as portable data for their export.

The export app assembles one JSON document from every app's ``portable.py``. These
are the library's sections, export only (an instance keeps them verbatim on import:
a story's reviewers and its review history do not exist there):

- ``stories``: the stories the person authored, published or not, with every
  version (title, the three parts, tags) and the reviews they received on them,
  with the reviewer's name: a review is a conversation between author and reviewer.
- ``story_reviews_written``: the reviews they wrote of other people's stories. The
  story is named by its title alone: its text is its author's, and unpublished
  text is not the reviewer's to carry away.

No database id or code travels. Times are ISO 8601 strings in UTC, items come in a
fixed order.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch

from cairn.lib.exporting import iso_utc
from cairn.library.models import Review, Story, StoryVersion
from cairn.people.models import Person

Item = dict[str, Any]


def _publisher(story: Story, person: Person) -> str | None:
    if story.published_by is None:
        return None
    return "self" if story.published_by_id == person.pk else story.published_by.name


def export_stories(person: Person) -> list[Item]:
    # The author reads every story of theirs whatever its status (``reviewer=False``
    # spares the question, a query, of whether they also review others' stories).
    stories = (
        Story.objects.visible_to(person, reviewer=False)
        .filter(author=person)
        .select_related("published_by")
        .prefetch_related(
            Prefetch("versions", StoryVersion.objects.visible_to(person).order_by("number")),
            Prefetch(
                "reviews",
                Review.objects.visible_to(person)
                .select_related("reviewer")
                .order_by("created_at", "code"),
            ),
        )
        .order_by("created_at", "code")
    )
    return [
        {
            "title": story.title,
            "status": story.status,
            "version": story.version,
            "created_at": iso_utc(story.created_at),
            "updated_at": iso_utc(story.updated_at),
            "submitted_at": iso_utc(story.submitted_at),
            "published_at": iso_utc(story.published_at),
            "published_by": _publisher(story, person),
            "versions": [
                {
                    "number": version.number,
                    "title": version.title,
                    "problem": version.problem,
                    "actions": version.actions,
                    "lessons": version.lessons,
                    "tags": list(version.tag_names),
                    "saved_at": iso_utc(version.saved_at),
                }
                for version in story.versions.all()
            ],
            "reviews": [
                {
                    "version": review.version,
                    "reviewer": review.reviewer.name,
                    "strengths": review.strengths,
                    "questions": review.questions,
                    "comments": review.comments,
                    "decision": review.decision,
                    "reviewed_at": iso_utc(review.created_at),
                }
                for review in story.reviews.all()
            ],
        }
        for story in stories
    ]


def export_reviews_written(person: Person) -> list[Item]:
    reviews = (
        Review.objects.visible_to(person)
        .filter(reviewer=person)
        .select_related("story")
        .order_by("created_at", "code")
    )
    return [
        {
            # The title only: the story's text is its author's.
            "story": review.story.title,
            "version": review.version,
            "strengths": review.strengths,
            "questions": review.questions,
            "comments": review.comments,
            "decision": review.decision,
            "reviewed_at": iso_utc(review.created_at),
        }
        for review in reviews
    ]


def export_sections(person: Person) -> dict[str, list[Item]]:
    return {
        "stories": export_stories(person),
        "story_reviews_written": export_reviews_written(person),
    }
