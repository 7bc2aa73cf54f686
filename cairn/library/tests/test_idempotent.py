"""Publishing a story happens once (issue 17): a second "Publish" by its author
changes nothing and answers as the first, and of two reviewers deciding at the same
moment the second is told it was reviewed instead of publishing it again. The
clicks at the same moment, in threads on PostgreSQL:
``cairn/tests/test_invariants_threads.py``."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from cairn.library import services
from cairn.library.models import Review, Story, StoryStatus
from cairn.library.tests.factories import at_library_levels, make_story
from cairn.mastery.tests.factories import grant
from cairn.notifications.models import Kind, Notification
from cairn.testing import client_for
from cairn.testing.cast import Cast

pytestmark = pytest.mark.django_db


def test_publish_clicked_twice_answers_the_same_and_changes_nothing(cast: Cast) -> None:
    lib = at_library_levels(cast)
    story = make_story(lib.publisher, "Once", status=StoryStatus.DRAFT)
    url = reverse("library:story-publish", args=[story.code])
    client = client_for(lib.publisher)

    first = client.post(url)
    published_at = Story.objects.get(pk=story.pk).published_at
    second = client.post(url)

    assert (first.status_code, second.status_code) == (302, 302)
    assert first["Location"] == second["Location"]
    assert Story.objects.get(pk=story.pk).published_at == published_at


def test_a_stale_publish_of_a_published_story_changes_nothing(cast: Cast) -> None:
    lib = at_library_levels(cast)
    story = make_story(lib.publisher, "Once", status=StoryStatus.DRAFT)
    stale = Story.objects.get(pk=story.pk)
    services.publish_own_story(lib.publisher, story)

    services.publish_own_story(lib.publisher, stale)

    assert stale.is_published
    assert stale.published_at == Story.objects.get(pk=story.pk).published_at


def test_the_second_of_two_reviewers_is_told_not_published_twice(cast: Cast) -> None:
    lib = at_library_levels(cast)
    grant(cast.director, "coach")
    story = make_story(lib.contributor, "Reviewed once", status=StoryStatus.IN_REVIEW)
    stale = Story.objects.get(pk=story.pk)
    services.review_story(
        lib.reviewer, story, strengths="Clear", questions="", comments="", decision="publish"
    )

    with pytest.raises(ValidationError, match="reviewed this story a moment ago"):
        services.review_story(
            cast.director, stale, strengths="Also clear", questions="", comments="",
            decision="publish",
        )  # fmt: skip

    assert Review.objects.filter(story=story).count() == 1
    assert Notification.objects.filter(kind=Kind.STORY_PUBLISHED).count() == 1


def test_a_review_after_someone_elses_is_sent_to_the_story_and_saves_nothing(
    cast: Cast,
) -> None:
    lib = at_library_levels(cast)
    grant(cast.director, "coach")
    story = make_story(lib.contributor, "Reviewed once", status=StoryStatus.IN_REVIEW)
    url = reverse("library:story-review", args=[story.code])
    form = {"strengths": "Clear", "decision": "publish"}
    assert client_for(lib.reviewer).post(url, form).status_code == 302

    second = client_for(cast.director)
    response = second.post(url, {**form, "decision": "return", "comments": "Shorter"})

    assert response.status_code == 302
    assert response["Location"] == reverse("library:story", args=[story.code])
    page = second.get(response["Location"]).content.decode()
    assert "Someone reviewed this story a moment ago" in page
    assert Review.objects.filter(story=story).count() == 1
    story.refresh_from_db()
    assert story.status == StoryStatus.PUBLISHED
    # The author cannot review their own story, reviewed or not.
    assert client_for(lib.contributor).post(url, form).status_code == 403
