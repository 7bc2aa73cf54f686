"""Who sees and does what in the library, walking the cast (see ``policy.py``)."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from cairn.library import services
from cairn.library.models import Review, ReviewDecision, Story, StoryStatus, StoryVersion
from cairn.library.tests.factories import Library, make_story, tags
from cairn.mastery.tests.factories import grant
from cairn.people.models import Person
from cairn.testing import ROLES, client_for

EVERYONE = list(ROLES)
SECRET = "Confidential-lesson-7f3a"
COMMENT = "Returned-because-9c2e"


def status_for(person: Person, url: str) -> tuple[int, str]:
    response = client_for(person).get(url)
    return response.status_code, response.content.decode()


def story_of(lib: Library, status: str) -> Story:
    return make_story(
        lib.contributor,
        f"{status} story",
        lessons=SECRET,
        status=status,
        reviewer=lib.reviewer if status in (StoryStatus.PUBLISHED, StoryStatus.RETURNED) else None,
    )


@pytest.mark.parametrize(
    ("status", "readers"),
    [
        # A draft never submitted is its author's alone: not even a reviewer reads it.
        (StoryStatus.DRAFT, {"report"}),
        (StoryStatus.IN_REVIEW, {"report", "coach"}),
        (StoryStatus.RETURNED, {"report", "coach"}),
        (StoryStatus.PUBLISHED, set(EVERYONE) - {"outsider"}),
    ],
)
def test_who_reads_a_story_in_each_state(lib: Library, status: str, readers: set[str]) -> None:
    story = story_of(lib, status)
    url = reverse("library:story", args=[story.code])
    for name, person in lib.cast.everyone().items():
        code, body = status_for(person, url)
        if name in readers:
            assert code == 200, name
            assert SECRET in body, name
        else:
            assert code == 404, name
            assert SECRET not in body, name
            assert story.title not in body, name
        # Nobody finds what they may not read in the library's lists either.
        listed = client_for(person).get(reverse("library:index")).content.decode()
        assert (story.title in listed) is (
            name in readers and (status == StoryStatus.PUBLISHED or name == "report")
        ), name


def test_querysets_match_the_pages(lib: Library) -> None:
    stories = {status: story_of(lib, status) for status in StoryStatus.values}
    for name, person in lib.cast.everyone().items():
        visible = set(Story.objects.visible_to(person).values_list("status", flat=True))
        if name == "report":
            assert visible == set(StoryStatus.values), name
        elif name == "coach":
            assert visible == set(StoryStatus.values) - {StoryStatus.DRAFT}, name
        elif name == "outsider":
            assert visible == set(), name
        else:
            assert visible == {StoryStatus.PUBLISHED}, name
    assert len(stories) == 4


def test_review_comments_are_for_the_author_and_that_reviewer_only(lib: Library) -> None:
    # The director reviews stories too, so sees the returned story — but not the
    # conversation between its author and the coach who reviewed it.
    grant(lib.cast.director, "coach")
    story = make_story(lib.contributor, "Returned one", status=StoryStatus.DRAFT)
    services.submit_story(lib.contributor, story)
    services.review_story(
        lib.reviewer,
        story,
        strengths="Clear.",
        questions="",
        comments=COMMENT,
        decision=ReviewDecision.RETURN,
    )
    url = reverse("library:story", args=[story.code])
    for name, person in lib.cast.everyone().items():
        code, body = status_for(person, url)
        assert (COMMENT in body) is (name in ("report", "coach")), name
        assert code == (200 if name in ("report", "coach", "director") else 404), name
        assert Review.objects.visible_to(person).exists() is (name in ("report", "coach")), name


def test_history_is_for_the_author_and_reviewers(lib: Library) -> None:
    story = story_of(lib, StoryStatus.PUBLISHED)
    services.revise_story(
        lib.contributor,
        story,
        title="Second version",
        problem="p",
        actions="a",
        lessons="l",
        tags=tags("coaching"),
    )
    story.refresh_from_db()
    assert story.status == StoryStatus.IN_REVIEW  # a contributor's revision goes back to review
    url = reverse("library:story-history", args=[story.code])
    readers = {"report", "coach"}
    for name, person in lib.cast.everyone().items():
        code, body = status_for(person, url)
        assert code == (200 if name in readers else 404), name
        assert (SECRET in body) is (name in readers), name  # version 1's lessons
        assert StoryVersion.objects.visible_to(person).filter(story=story).count() == (
            2 if name in readers else 0
        ), name


def test_review_queue_is_for_reviewers(lib: Library) -> None:
    story = story_of(lib, StoryStatus.IN_REVIEW)
    for name, person in lib.cast.everyone().items():
        code, body = status_for(person, reverse("library:reviews"))
        assert code == (200 if name == "coach" else 404), name
        assert (story.title in body) is (name == "coach"), name


# --- an author below "publisher" cannot publish by any route ------------------------------


def test_contributor_cannot_publish_by_a_forged_post(lib: Library) -> None:
    for author in (lib.contributor, lib.candidate):
        story = make_story(author, "Mine", status=StoryStatus.DRAFT)
        client = client_for(author)
        response = client.post(reverse("library:story-publish", args=[story.code]))
        assert response.status_code == 403
        story.refresh_from_db()
        assert story.status == StoryStatus.DRAFT
        assert story.published_at is None
        # The page offers no publish button, only a review.
        page = client.get(reverse("library:story", args=[story.code])).content.decode()
        assert "Submit for review" in page
        assert reverse("library:story-publish", args=[story.code]) not in page


def test_contributor_cannot_publish_through_the_story_form(lib: Library) -> None:
    client = client_for(lib.contributor)
    form = {
        "title": "Forged",
        "problem": "p",
        "actions": "a",
        "lessons": "l",
        "tags": ["hiring"],
        "intent": "publish",
    }
    assert client.post(reverse("library:story-new"), form).status_code == 403
    assert not Story.objects.filter(title="Forged").exists()  # nothing saved half-way

    story = make_story(
        lib.contributor, "Existing", status=StoryStatus.RETURNED, reviewer=lib.reviewer
    )
    response = client.post(reverse("library:story-edit", args=[story.code]), form)
    assert response.status_code == 403
    story.refresh_from_db()
    assert story.status == StoryStatus.RETURNED
    assert story.title == "Existing"
    assert story.version == 1


def test_services_refuse_to_publish_for_a_contributor(lib: Library) -> None:
    story = make_story(lib.contributor, "Mine", status=StoryStatus.DRAFT)
    with pytest.raises(PermissionDenied):
        services.publish_own_story(lib.contributor, story)
    services.submit_story(lib.contributor, story)
    # Nobody reviews their own story, a reviewer's rank notwithstanding.
    own = make_story(lib.reviewer, "Coach's own", status=StoryStatus.DRAFT)
    services.submit_story(lib.reviewer, own)
    with pytest.raises(PermissionDenied):
        services.review_story(
            lib.reviewer, own, strengths="x", questions="", comments="", decision="publish"
        )
    for not_reviewer in (lib.publisher, lib.candidate, lib.cast.program_admin, lib.cast.outsider):
        with pytest.raises(PermissionDenied):
            services.review_story(
                not_reviewer, story, strengths="x", questions="", comments="", decision="publish"
            )
    story.refresh_from_db()
    assert story.status == StoryStatus.IN_REVIEW


def test_forged_review_posts_are_refused(lib: Library) -> None:
    story = story_of(lib, StoryStatus.IN_REVIEW)
    url = reverse("library:story-review", args=[story.code])
    form = {"strengths": "Good", "decision": "publish"}
    expected = {"report": 403, "coach": 302, "outsider": 404, "peer": 404, "manager": 404}
    for name in ("report", "peer", "manager", "outsider", "coach"):
        person = lib.cast.everyone()[name]
        assert client_for(person).post(url, form).status_code == expected[name], name
        story.refresh_from_db()
        assert story.is_published is (name == "coach"), name


def test_publisher_publishes_directly(lib: Library) -> None:
    story = make_story(lib.publisher, "Direct", status=StoryStatus.DRAFT)
    response = client_for(lib.publisher).post(reverse("library:story-publish", args=[story.code]))
    assert response.status_code == 302
    story.refresh_from_db()
    assert story.is_published
    assert story.published_by == lib.publisher
    assert not story.reviews.exists()
    # A publisher's revision of a published story stays published.
    services.revise_story(
        lib.publisher, story, title="Direct, revised", problem="p", actions="a", lessons="l",
        tags=tags("hiring"),
    )  # fmt: skip
    story.refresh_from_db()
    assert story.is_published
    assert story.version == 2


def test_account_without_a_person_sees_nothing(lib: Library) -> None:
    story = story_of(lib, StoryStatus.PUBLISHED)
    superuser = get_user_model().objects.create_superuser("root", "root@example.org", "x")
    client = Client()
    client.force_login(superuser)
    for url in (reverse("library:index"), reverse("library:story", args=[story.code])):
        response = client.get(url)
        assert response.status_code == 403
        assert SECRET not in response.content.decode()
    # And the Django admin does not list stories, reviews or versions at all.
    for model in ("story", "review", "storyversion"):
        assert client.get(f"/admin/library/{model}/").status_code == 404
