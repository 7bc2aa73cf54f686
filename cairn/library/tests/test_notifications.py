"""The library asks a few reviewers — never every reviewer of the organisation — to
review a submitted story, and tells its author when it is returned or published;
never the story's title or words."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cairn.library import services
from cairn.library.models import ReviewDecision, StoryStatus
from cairn.library.tests.factories import Library, make_story
from cairn.mastery.models import Grant
from cairn.mastery.tests.factories import grant
from cairn.notifications import registry
from cairn.notifications.models import Kind, Notification
from cairn.notifications.services import notify
from cairn.testing import Cast, make_person

pytestmark = pytest.mark.django_db

CANARY = "narwhal-canary-3318"


def told_once(row: Notification) -> None:
    again = notify(row.recipient, Kind(row.kind), title=row.title, url=row.url, key=row.key)
    assert again is None
    assert Notification.objects.filter(key=row.key).count() == 1


def review(lib: Library, story: object, decision: str) -> None:
    services.review_story(
        lib.reviewer,
        story,  # type: ignore[arg-type]
        strengths=CANARY,
        questions=CANARY,
        comments=CANARY,
        decision=decision,
    )


def test_a_submitted_story_asks_the_reviewer_and_hides_when_they_stop_reviewing(
    lib: Library,
) -> None:
    story = make_story(lib.contributor, CANARY, problem=CANARY, status=StoryStatus.IN_REVIEW)
    [row] = Notification.objects.all()
    assert (row.recipient, row.kind) == (lib.reviewer, Kind.REVIEW_REQUESTED)
    assert row.title == "Riley Report asked for a review of their story"
    assert row.url == reverse("library:story", args=[story.code])
    assert CANARY not in row.title + row.url
    told_once(row)
    assert registry.still_visible(lib.reviewer, [row]) == [row]
    Grant.objects.filter(person=lib.reviewer).delete()
    assert registry.still_visible(lib.reviewer, [row]) == []


def test_a_submission_asks_at_most_a_few_reviewers_least_recently_busy_first(
    cast: Cast, lib: Library
) -> None:
    many = [make_person(cast.org, f"Rae Reviewer{n}") for n in range(5)]
    for person in many:
        grant(person, "coach")
    make_story(lib.contributor, status=StoryStatus.PUBLISHED, reviewer=lib.reviewer)
    Notification.objects.all().delete()
    make_story(lib.candidate, status=StoryStatus.IN_REVIEW)
    asked = {row.recipient for row in Notification.objects.filter(kind=Kind.REVIEW_REQUESTED)}
    assert len(asked) == services.REVIEW_REQUEST_REACH
    # Those who never reviewed come before the coach, who just did.
    assert lib.reviewer not in asked
    assert asked <= set(many)


def test_the_author_is_never_asked_to_review_their_own_story(lib: Library) -> None:
    make_story(lib.reviewer, status=StoryStatus.IN_REVIEW)
    assert not Notification.objects.filter(kind=Kind.REVIEW_REQUESTED).exists()


@pytest.mark.parametrize(
    ("decision", "kind", "verb"),
    [
        (ReviewDecision.PUBLISH, Kind.STORY_PUBLISHED, "published"),
        (ReviewDecision.RETURN, Kind.STORY_RETURNED, "returned"),
    ],
)
def test_a_review_tells_the_author(lib: Library, decision: str, kind: Kind, verb: str) -> None:
    story = make_story(lib.contributor, CANARY, status=StoryStatus.IN_REVIEW)
    review(lib, story, decision)
    [row] = Notification.objects.filter(kind=kind)
    assert row.recipient == lib.contributor
    assert row.title == f"Cody Coach {verb} your story"
    assert CANARY not in row.title + row.url
    assert registry.still_visible(lib.contributor, [row]) == [row]
    told_once(row)
    assert (
        not Notification.objects.filter(recipient=lib.reviewer)
        .exclude(kind=Kind.REVIEW_REQUESTED)
        .exists()
    )


def test_a_returned_story_submitted_again_asks_the_reviewer_who_returned_it(
    cast: Cast, lib: Library
) -> None:
    story = make_story(lib.contributor, status=StoryStatus.IN_REVIEW)
    other = make_person(cast.org, "Nico Never")
    grant(other, "coach")
    review(lib, story, ReviewDecision.RETURN)
    Notification.objects.all().delete()
    services.submit_story(lib.contributor, story)
    asked = [row.recipient for row in Notification.objects.filter(kind=Kind.REVIEW_REQUESTED)]
    assert asked == [lib.reviewer]


def test_publishing_ones_own_story_tells_nobody(lib: Library) -> None:
    make_story(lib.publisher, status=StoryStatus.PUBLISHED)
    assert not Notification.objects.exists()


def test_a_published_story_revised_goes_back_to_review_and_asks_again(lib: Library) -> None:
    story = make_story(lib.contributor, status=StoryStatus.PUBLISHED, reviewer=lib.reviewer)
    Notification.objects.all().delete()
    services.revise_story(
        lib.contributor,
        story,
        title=CANARY,
        problem="p",
        actions="a",
        lessons="l",
        tags=list(story.tags.all()),
    )
    [row] = Notification.objects.all()
    assert (row.recipient, row.kind) == (lib.reviewer, Kind.REVIEW_REQUESTED)
