"""A draft never submitted is its author's alone; reviewers read a story from its first
submission on, and their reads of a story not yet published go into its author's
access log (``cairn.trust``)."""

from __future__ import annotations

from django.urls import reverse

from cairn.library import services
from cairn.library.models import Story, StoryStatus, StoryVersion
from cairn.library.tests.factories import Library, make_story, tags
from cairn.testing import client_for
from cairn.trust.models import AccessRecord, Kind

DRAFT_WORDS = "Unsent-draft-words-41b7"
REVISED_WORDS = "Revised-after-return-5d0e"


def test_a_reviewer_reads_no_draft_nor_its_history(lib: Library) -> None:
    story = make_story(lib.contributor, "Never sent", lessons=DRAFT_WORDS, status="draft")
    reviewer = client_for(lib.reviewer)
    for url in (
        reverse("library:story", args=[story.code]),
        reverse("library:story-history", args=[story.code]),
    ):
        response = reviewer.get(url)
        assert response.status_code == 404, url
        assert DRAFT_WORDS not in response.content.decode()
        # Its author reads both, and is told that nobody else can yet.
        mine = client_for(lib.contributor).get(url)
        assert mine.status_code == 200, url
        assert DRAFT_WORDS in mine.content.decode()
    page = client_for(lib.contributor).get(reverse("library:story", args=[story.code]))
    assert "only you can read it until you submit it" in page.content.decode()
    assert not Story.objects.visible_to(lib.reviewer).filter(pk=story.pk).exists()
    assert not StoryVersion.objects.visible_to(lib.reviewer).filter(story=story).exists()
    # Not in the reviewer's library, search, or review queue either.
    for url in (
        reverse("library:index"),
        reverse("library:index") + "?q=sent",
        reverse("library:reviews"),
    ):
        assert "Never sent" not in reviewer.get(url).content.decode(), url
    # Nobody read it, so its author's access log is empty.
    assert not AccessRecord.objects.filter(owner=lib.contributor).exists()


def test_a_reviewer_reads_it_from_its_submission_on(lib: Library) -> None:
    story = make_story(lib.contributor, "Sent at last", lessons=DRAFT_WORDS, status="draft")
    url = reverse("library:story", args=[story.code])
    assert client_for(lib.reviewer).get(url).status_code == 404
    services.submit_story(lib.contributor, story)
    response = client_for(lib.reviewer).get(url)
    assert response.status_code == 200
    assert DRAFT_WORDS in response.content.decode()


def test_a_returned_story_edited_again_stays_readable_to_reviewers(lib: Library) -> None:
    story = make_story(
        lib.contributor, "Back again", status=StoryStatus.RETURNED, reviewer=lib.reviewer
    )
    services.revise_story(
        lib.contributor,
        story,
        title="Back again",
        problem="p",
        actions="a",
        lessons=REVISED_WORDS,
        tags=tags("hiring"),
    )
    story.refresh_from_db()
    assert story.status == StoryStatus.RETURNED  # not a draft again
    for url in (
        reverse("library:story", args=[story.code]),
        reverse("library:story-history", args=[story.code]),
    ):
        response = client_for(lib.reviewer).get(url)
        assert response.status_code == 200, url
        assert REVISED_WORDS in response.content.decode(), url


def test_a_reviewers_read_of_an_unpublished_story_is_logged_for_its_author(
    lib: Library,
) -> None:
    story = make_story(lib.contributor, "In review", lessons=DRAFT_WORDS, status="in_review")
    url = reverse("library:story", args=[story.code])

    assert client_for(lib.reviewer).get(url).status_code == 200
    row = AccessRecord.objects.get()
    assert row.owner == lib.contributor
    assert row.reader == lib.reviewer
    assert row.kind == Kind.STORY
    assert row.via == url
    # Who, what kind, when, where: never a word of the story.
    for value in (row.reader_name, row.via, str(row)):
        assert DRAFT_WORDS not in value
        assert "In review" not in value

    # The author's own reads write nothing.
    client_for(lib.contributor).get(url)
    client_for(lib.contributor).get(reverse("library:story-history", args=[story.code]))
    assert AccessRecord.objects.count() == 1

    # The history of earlier versions is a read too.
    history = reverse("library:story-history", args=[story.code])
    assert client_for(lib.reviewer).get(history).status_code == 200
    assert list(AccessRecord.objects.values_list("via", "kind").order_by("id")) == [
        (url, Kind.STORY),
        (history, Kind.STORY),
    ]


def test_reading_a_published_story_writes_nothing(lib: Library) -> None:
    story = make_story(lib.contributor, "Out there", status="published", reviewer=lib.reviewer)
    url = reverse("library:story", args=[story.code])
    for name in ("director", "manager", "peer", "coach", "admin", "hr"):
        assert client_for(lib.cast.everyone()[name]).get(url).status_code == 200, name
    assert not AccessRecord.objects.exists()


def test_nobody_who_may_not_read_it_leaves_a_record(lib: Library) -> None:
    story = make_story(lib.contributor, "Quiet", status="in_review")
    url = reverse("library:story", args=[story.code])
    for name in ("peer", "manager", "admin", "hr", "outsider"):
        assert client_for(lib.cast.everyone()[name]).get(url).status_code == 404, name
    assert not AccessRecord.objects.exists()
