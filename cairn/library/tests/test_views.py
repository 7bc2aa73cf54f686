"""Writing, reviewing and revising stories through the pages; the question bank and
the vocabulary; bad input; accessibility."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from cairn.library.models import (
    PART_MAX,
    TITLE_MAX,
    HiddenQuestion,
    Question,
    Review,
    Story,
    StoryStatus,
    StoryVersion,
)
from cairn.library.tests.factories import Library, make_story
from cairn.tags.models import Tag
from cairn.testing import client_for
from cairn.testing.accessibility import problems

GOOD = {
    "title": "Saying no to a VP",
    "problem": "A VP wanted a date we **could not** meet.",
    "actions": "- Showed the plan\n- Offered a smaller scope",
    "lessons": "Options beat refusals.",
    "tags": ["leadership", "conflict"],
}


def post_story(client: Client, **changes: Any) -> Any:
    return client.post(reverse("library:story-new"), {**GOOD, **changes})


def test_contributor_writes_submits_is_returned_revises_and_is_published(lib: Library) -> None:
    author, coach = client_for(lib.contributor), client_for(lib.reviewer)
    response = author.post(reverse("library:story-new"), {**GOOD, "intent": "submit"})
    assert response.status_code == 302
    story = Story.objects.get(title=GOOD["title"])
    assert story.status == StoryStatus.IN_REVIEW
    assert sorted(t.slug for t in story.tags.all()) == ["conflict", "leadership"]

    review_url = reverse("library:story-review", args=[story.code])
    page = coach.get(reverse("library:story", args=[story.code])).content.decode()
    assert "What is good in it" in page
    assert "<strong>could not</strong>" in page

    # Returning a story takes comments; the review starts with what is good.
    refused = coach.post(review_url, {"strengths": "", "decision": "return"})
    assert refused.status_code == 422
    assert "Start with what is good" in refused.content.decode()
    refused = coach.post(review_url, {"strengths": "Vivid.", "decision": "return"})
    assert refused.status_code == 422
    assert "Say what the author should change" in refused.content.decode()
    assert not Review.objects.exists()

    coach.post(
        review_url,
        {
            "strengths": "Vivid.",
            "questions": "How did the VP react?",
            "comments": "Add what you would do differently.",
            "decision": "return",
        },
    )
    story.refresh_from_db()
    assert story.status == StoryStatus.RETURNED
    page = author.get(reverse("library:story", args=[story.code])).content.decode()
    assert "How did the VP react?" in page
    assert "Add what you would do differently." in page

    edit = reverse("library:story-edit", args=[story.code])
    assert author.get(edit).status_code == 200
    author.post(
        edit, {**GOOD, "lessons": "Options beat refusals. Next time: earlier.", "intent": "submit"}
    )
    story.refresh_from_db()
    assert story.status == StoryStatus.IN_REVIEW
    assert story.version == 2
    assert list(StoryVersion.objects.filter(story=story).values_list("number", flat=True)) == [2, 1]

    coach.post(review_url, {"strengths": "Better.", "decision": "publish"})
    story.refresh_from_db()
    assert story.is_published
    assert story.published_by == lib.reviewer
    reader = client_for(lib.candidate).get(reverse("library:story", args=[story.code]))
    assert "Next time: earlier." in reader.content.decode()
    assert "Better." not in reader.content.decode()  # the review is not the reader's


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"title": ""}, "Give the story a title."),
        ({"problem": "   "}, "Describe the problem you faced."),
        ({"actions": ""}, "Say what you did about it."),
        ({"lessons": ""}, "Say what you learned"),
        ({"title": "x" * (TITLE_MAX + 1)}, f"Keep the title under {TITLE_MAX} characters."),
        ({"lessons": "x" * (PART_MAX + 1)}, "Keep this part under 10,000 characters."),
        ({"tags": []}, "Choose at least one tag"),
        ({"tags": ["no-such-tag"]}, "Choose tags from the list."),
        (
            {"tags": ["leadership", "hiring", "conflict", "coaching", "feedback", "onboarding"]},
            "Choose at most 5 tags.",
        ),
    ],
)
def test_bad_story_input_is_refused_with_a_message(
    lib: Library, changes: dict[str, object], message: str
) -> None:
    response = post_story(client_for(lib.contributor), **changes)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not Story.objects.exists()
    assert not StoryVersion.objects.exists()


def test_another_organisations_tag_is_refused(lib: Library) -> None:
    outsiders = Tag.objects.create(
        organisation=lib.cast.outsider.organisation, slug="secret", name="Secret"
    )
    response = post_story(client_for(lib.contributor), tags=[outsiders.slug])
    assert response.status_code == 422
    assert not Story.objects.exists()


def test_bad_revision_keeps_the_story_as_it_was(lib: Library) -> None:
    story = make_story(lib.contributor, "Kept", status=StoryStatus.DRAFT)
    response = client_for(lib.contributor).post(
        reverse("library:story-edit", args=[story.code]), {**GOOD, "problem": ""}
    )
    assert response.status_code == 422
    story.refresh_from_db()
    assert story.title == "Kept"
    assert story.version == 1
    # Nobody else revises it: not a reviewer (who cannot even see a draft never
    # submitted), not the outsider.
    for person, expected in ((lib.reviewer, 404), (lib.cast.outsider, 404), (lib.publisher, 404)):
        response = client_for(person).post(reverse("library:story-edit", args=[story.code]), GOOD)
        assert response.status_code == expected
    story.refresh_from_db()
    assert story.title == "Kept"


def test_program_admin_edits_the_bank_for_their_organisation_only(lib: Library) -> None:
    admin = client_for(lib.cast.program_admin)
    builtin = Question.objects.get(key="grow-goal-1")
    original = builtin.text
    response = admin.post(reverse("library:question-hide", args=[builtin.code]), {"hidden": "1"})
    assert response.status_code == 302
    assert HiddenQuestion.objects.filter(question=builtin).count() == 1
    builtin.refresh_from_db()
    assert builtin.text == original
    assert builtin.organisation_id is None
    assert builtin not in Question.objects.visible_to(lib.cast.report)
    assert builtin in Question.objects.visible_to(lib.cast.outsider)  # others still ask it
    assert (
        original
        not in client_for(lib.cast.report).get(reverse("library:questions")).content.decode()
    )

    admin.post(
        reverse("library:question-add"), {"stage": "grow:goal", "text": "What is the real goal?"}
    )
    own = Question.objects.get(text="What is the real goal?")
    assert own.organisation_id == lib.cast.org.pk
    assert own in Question.objects.visible_to(lib.cast.report)
    assert own not in Question.objects.visible_to(lib.cast.outsider)

    admin.post(reverse("library:question-hide", args=[builtin.code]), {"hidden": "0"})
    assert builtin in Question.objects.visible_to(lib.cast.report)


def test_only_program_admins_edit_the_bank(lib: Library) -> None:
    builtin = Question.objects.get(key="grow-goal-1")
    for name, person in lib.cast.everyone().items():
        if name == "program_admin":
            continue
        client = client_for(person)
        assert client.post(reverse("library:question-hide", args=[builtin.code])).status_code == 404
        add = client.post(reverse("library:question-add"), {"stage": "grow:goal", "text": "Q?"})
        assert add.status_code == 404
        assert client.post(reverse("library:tag-add"), {"name": "Forged"}).status_code == 404
    assert not HiddenQuestion.objects.exists()
    assert not Question.objects.filter(organisation__isnull=False).exists()
    assert not Tag.objects.filter(organisation__isnull=False).exists()
    # And a program admin cannot reach another organisation's own question.
    theirs = Question.objects.create(
        organisation=lib.cast.outsider.organisation,
        key="x",
        framework="grow",
        stage="goal",
        text="Theirs",
    )
    response = client_for(lib.cast.program_admin).post(
        reverse("library:question-hide", args=[theirs.code])
    )
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"stage": "grow:goal", "text": ""}, "Write the question."),
        ({"stage": "grow:dreams", "text": "Q?"}, "Choose one of the stages listed."),
        ({"stage": "nonsense", "text": "Q?"}, "Choose one of the stages listed."),
        ({"stage": "grow:goal", "text": "x" * 301}, "Keep a question under 300 characters."),
    ],
)
def test_bad_question_is_refused(lib: Library, form: dict[str, str], message: str) -> None:
    response = client_for(lib.cast.program_admin).post(reverse("library:question-add"), form)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not Question.objects.filter(organisation__isnull=False).exists()


def test_program_admin_adds_a_tag_authors_can_choose(lib: Library) -> None:
    admin = client_for(lib.cast.program_admin)
    assert admin.post(reverse("library:tag-add"), {"name": "On-call"}).status_code == 302
    assert Tag.objects.filter(organisation=lib.cast.org, slug="on-call").exists()
    again = admin.post(reverse("library:tag-add"), {"name": "Hiring"})
    assert again.status_code == 422
    assert "in the vocabulary already" in again.content.decode()
    blank = admin.post(reverse("library:tag-add"), {"name": "!!!"})
    assert blank.status_code == 422
    assert "letters or digits" in blank.content.decode()
    form = client_for(lib.contributor).get(reverse("library:story-new")).content.decode()
    assert 'value="on-call"' in form
    outsider_form = client_for(lib.cast.outsider).get(reverse("library:story-new")).content.decode()
    assert 'value="on-call"' not in outsider_form


def test_publisher_sees_publish_and_contributor_submit(lib: Library) -> None:
    publisher = client_for(lib.publisher).get(reverse("library:story-new")).content.decode()
    contributor = client_for(lib.contributor).get(reverse("library:story-new")).content.decode()
    assert 'value="publish"' in publisher
    assert 'value="submit"' not in publisher
    assert 'value="submit"' in contributor
    assert 'value="publish"' not in contributor
    response = post_story(client_for(lib.publisher), intent="publish")
    assert response.status_code == 302
    assert Story.objects.get().is_published


def test_empty_library_says_what_to_do(lib: Library) -> None:
    page = client_for(lib.candidate).get(reverse("library:index")).content.decode()
    assert "No stories yet" in page
    assert reverse("library:story-new") in page
    none = client_for(lib.candidate).get(reverse("library:index"), {"q": "zebra"}).content.decode()
    assert "No published story matches" in none


def test_pages_are_labelled_for_screen_readers(lib: Library) -> None:
    published = make_story(lib.publisher, "Published", tag_slugs=["hiring"])
    make_story(lib.publisher, "Related", tag_slugs=["hiring"])
    in_review = make_story(lib.contributor, "In review", status=StoryStatus.IN_REVIEW)
    returned = make_story(
        lib.candidate, "Returned", status=StoryStatus.RETURNED, reviewer=lib.reviewer
    )
    pages = [
        (lib.candidate, reverse("library:index")),
        (lib.candidate, reverse("library:index") + "?q=published&tag=hiring"),
        (lib.candidate, reverse("library:story", args=[published.code])),
        (lib.candidate, reverse("library:story", args=[returned.code])),
        (lib.candidate, reverse("library:story-edit", args=[returned.code])),
        (lib.candidate, reverse("library:story-new")),
        (lib.candidate, reverse("library:story-history", args=[returned.code])),
        (lib.reviewer, reverse("library:story", args=[in_review.code])),
        (lib.reviewer, reverse("library:reviews")),
        (lib.candidate, reverse("library:questions")),
        (lib.cast.program_admin, reverse("library:questions")),
    ]
    for person, url in pages:
        response = client_for(person).get(url)
        assert response.status_code == 200, url
        assert problems(response.content.decode()) == [], url


def test_revising_a_published_story_offers_what_the_author_may_do(lib: Library) -> None:
    mine = make_story(lib.publisher, "Publisher's")
    theirs = make_story(lib.contributor, "Contributor's", reviewer=lib.reviewer)
    publisher = client_for(lib.publisher).get(reverse("library:story-edit", args=[mine.code]))
    assert "Save changes" in publisher.content.decode()
    assert "Save draft" not in publisher.content.decode()
    contributor = client_for(lib.contributor)
    form = contributor.get(reverse("library:story-edit", args=[theirs.code])).content.decode()
    assert "Submit the revision for review" in form
    assert "takes it out of the library" in form
    # A contributor's forged "save as draft" of a published story still goes to review.
    contributor.post(
        reverse("library:story-edit", args=[theirs.code]), {**GOOD, "intent": "submit"}
    )
    theirs.refresh_from_db()
    assert theirs.status == StoryStatus.IN_REVIEW
    forged = contributor.post(
        reverse("library:story-edit", args=[theirs.code]), {**GOOD, "intent": "draft"}
    )
    assert forged.status_code == 403  # in review: not editable until the reviewer is done
