"""Adversarial checks: routes by which unpublished or deleted words could escape."""

from __future__ import annotations

from django.db import connection
from django.urls import reverse

from cairn.coaching.models import EngagementKind
from cairn.coaching.tests.factories import make_agenda_item, make_engagement, make_session
from cairn.library.models import Story, StoryStatus
from cairn.library.search import FTS_TABLE, search_stories
from cairn.library.tests.factories import Library, make_story
from cairn.mastery.tests.factories import grant
from cairn.testing import client_for

SECRET = "Zanzibarquokka"


def indexed_rows_with(word: str) -> int:
    """Rows of the SQLite full-text index that hold the word (0 on PostgreSQL, which
    keeps no index of its own)."""
    if connection.vendor != "sqlite":
        return 0
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s", [word])  # noqa: S608
        return int(cursor.fetchone()[0])


def test_deleting_an_author_takes_their_words_out_of_the_search_index(lib: Library) -> None:
    make_story(lib.contributor, "A draft", lessons=SECRET, status=StoryStatus.DRAFT)
    make_story(lib.publisher, "Published", problem=SECRET)
    assert indexed_rows_with(SECRET) == (2 if connection.vendor == "sqlite" else 0)
    lib.contributor.user.delete()
    lib.publisher.user.delete()
    assert not Story.objects.exists()
    assert indexed_rows_with(SECRET) == 0
    assert not search_stories(Story.objects.all(), SECRET).exists()


def test_a_reviewer_of_another_organisation_reads_nothing_here(lib: Library) -> None:
    outsider = lib.cast.outsider
    grant(outsider, "coach")
    stories = [
        make_story(
            lib.contributor,
            f"Acme-{status}-story",
            lessons=SECRET,
            status=status,
            reviewer=lib.reviewer
            if status in (StoryStatus.PUBLISHED, StoryStatus.RETURNED)
            else None,
        )
        for status in StoryStatus.values
    ]
    client = client_for(outsider)
    for story in stories:
        for name in ("library:story", "library:story-history", "library:story-edit"):
            response = client.get(reverse(name, args=[story.code]))
            assert response.status_code == 404, (name, story.status)
            assert SECRET not in response.content.decode()
        for name in ("library:story-review", "library:story-submit", "library:story-publish"):
            response = client.post(
                reverse(name, args=[story.code]), {"strengths": "x", "decision": "publish"}
            )
            assert response.status_code == 404, (name, story.status)
    for url in (reverse("library:reviews"), reverse("library:index") + f"?q={SECRET}"):
        body = client.get(url).content.decode()
        assert "Acme-" not in body
    assert Story.objects.filter(status=StoryStatus.IN_REVIEW).count() == 1


def test_suggestions_never_offer_unpublished_stories(lib: Library) -> None:
    published = make_story(
        lib.publisher,
        "Published about hiring",
        tag_slugs=("hiring",),
        lessons="hiring interviews panel",
    )
    for status in (StoryStatus.DRAFT, StoryStatus.IN_REVIEW, StoryStatus.RETURNED):
        make_story(
            lib.contributor,
            f"Unpublished {status} hiring",
            tag_slugs=("hiring",),
            lessons="hiring interviews panel",
            status=status,
            reviewer=lib.reviewer if status == StoryStatus.RETURNED else None,
        )
    # The reviewer may read the unpublished ones, and still is not offered them.
    for viewer in (lib.reviewer, lib.contributor, lib.candidate):
        body = (
            client_for(viewer).get(reverse("library:story", args=[published.code])).content.decode()
        )
        assert "Unpublished" not in body
    engagement = make_engagement(lib.reviewer, lib.contributor, EngagementKind.MENTORING)
    session = make_session(engagement)
    make_agenda_item(session, lib.contributor, "hiring interviews panel")
    for viewer in (lib.reviewer, lib.contributor):
        body = (
            client_for(viewer)
            .get(reverse("library:session-stories", args=[session.code]))
            .content.decode()
        )
        assert "Published about hiring" in body
        assert "Unpublished" not in body


def test_django_admin_delete_pages_list_no_story_text(lib: Library) -> None:
    # Deleting a person in the admin names none of their stories, versions or reviews:
    # not a title, a part of the story or a reviewer's comment, nor even their codes.
    from django.test import Client

    from cairn.library import services
    from cairn.library.models import ReviewDecision
    from cairn.people.models import User

    story = make_story(
        lib.contributor, f"Title {SECRET}", lessons=SECRET, status=StoryStatus.IN_REVIEW
    )
    review = services.review_story(
        lib.reviewer,
        story,
        strengths="Good",
        questions="",
        comments=f"Comment {SECRET}",
        decision=ReviewDecision.RETURN,
    )
    user = User.objects.create_superuser("root", "root@example.org", "a-test-password-42")
    client = Client()
    client.force_login(user)
    pages = {
        f"/admin/people/person/{lib.contributor.pk}/delete/": story.code,
        f"/admin/people/person/{lib.reviewer.pk}/delete/": review.code,
        f"/admin/people/organisation/{lib.cast.org.pk}/delete/": story.code,
    }
    for url, listed in pages.items():
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert "Are you sure" in html, url  # the control: it is the delete page
        assert str(listed) not in html, url
        assert SECRET not in html, url
