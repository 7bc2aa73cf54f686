"""The library's sections of a person's export: the stories they wrote, every version
and the reviews they received, and the reviews they wrote — naming the story by its
title only. Nobody else's drafts, nobody else's reviews, nothing of another
organisation."""

from __future__ import annotations

import json
from typing import Any

import pytest

from cairn.export import document as doc
from cairn.library import portable, services
from cairn.library.models import ReviewDecision, Story, StoryStatus
from cairn.library.tests.factories import Library, at_library_levels, make_story, tags
from cairn.mastery.tests.factories import grant
from cairn.people.models import Person
from cairn.testing import Cast, count_queries

FIRST_DRAFT = "report's first draft: the release that slipped"
SECOND_DRAFT = "report's second draft: the release we cut in half"
REVIEW_FOR_ME = "coach asks the report: what did the customers say?"
PEER_DRAFT = "peer's unpublished draft: the retro nobody came to"
MY_REVIEW = "report reviews the peer: a brave opening"
COACH_ON_PEER = "coach reviews the peer: who was invited?"
OUTSIDER_DRAFT = "outsider's draft: another organisation's outage"


def text_of(person: Person) -> str:
    return json.dumps(portable.export_sections(person), ensure_ascii=False)


def review(reviewer: Person, story: Story, strengths: str, comments: str) -> None:
    services.review_story(
        reviewer,
        story,
        strengths=strengths,
        questions="What happened next?",
        comments=comments,
        decision=ReviewDecision.RETURN,
    )


def returned_story(lib: Library, n: int = 0) -> Story:
    """The report's story in two versions, returned by the coach with comments."""
    report = lib.cast.report
    story = make_story(report, f"Slipped {n}", problem=FIRST_DRAFT, status=StoryStatus.DRAFT)
    services.revise_story(
        report,
        story,
        title=f"Cut in half {n}",
        problem=SECOND_DRAFT,
        actions="We shipped the smaller half.",
        lessons="Smaller is sooner.",
        tags=tags("leadership", "feedback"),
    )
    services.submit_story(report, story)
    review(lib.reviewer, story, "A clear problem.", REVIEW_FOR_ME)
    return story


@pytest.fixture
def lib(cast: Cast) -> Library:
    return at_library_levels(cast)


def test_stories_carry_every_version_and_the_reviews_received(lib: Library) -> None:
    returned_story(lib)

    [story] = portable.export_sections(lib.cast.report)["stories"]

    assert (story["title"], story["status"], story["version"]) == (
        "Cut in half 0",
        StoryStatus.RETURNED,
        2,
    )
    assert [(v["number"], v["title"], v["problem"]) for v in story["versions"]] == [
        (1, "Slipped 0", FIRST_DRAFT),
        (2, "Cut in half 0", SECOND_DRAFT),
    ]
    assert story["versions"][1]["lessons"] == "Smaller is sooner."
    assert story["versions"][1]["tags"]
    assert [
        (r["reviewer"], r["comments"], r["decision"], r["version"]) for r in story["reviews"]
    ] == [(lib.reviewer.name, REVIEW_FOR_ME, ReviewDecision.RETURN, 2)]
    assert story["published_at"] is None
    assert story["submitted_at"] is not None


def test_reviews_written_name_the_story_by_its_title_only(lib: Library) -> None:
    # The report reviews (they hold the "coach" level too), and so reads drafts.
    grant(lib.cast.report, "coach")
    theirs = make_story(lib.cast.peer, "The empty retro", problem=PEER_DRAFT, status="in_review")
    review(lib.cast.report, theirs, MY_REVIEW, "Say who you invited.")
    services.submit_story(lib.cast.peer, theirs)
    review(lib.reviewer, theirs, "Honest.", COACH_ON_PEER)

    sections = portable.export_sections(lib.cast.report)

    assert sections["stories"] == []
    assert sections["story_reviews_written"] == [
        {
            "story": "The empty retro",
            "version": 1,
            "strengths": MY_REVIEW,
            "questions": "What happened next?",
            "comments": "Say who you invited.",
            "decision": ReviewDecision.RETURN,
            "reviewed_at": sections["story_reviews_written"][0]["reviewed_at"],
        }
    ]
    text = text_of(lib.cast.report)
    assert PEER_DRAFT not in text
    assert COACH_ON_PEER not in text
    # The peer gets both reviews of their story, and their own draft.
    peer = text_of(lib.cast.peer)
    assert MY_REVIEW in peer
    assert COACH_ON_PEER in peer
    assert PEER_DRAFT in peer


def test_nobody_else_exports_the_authors_drafts(lib: Library) -> None:
    returned_story(lib)
    make_story(lib.cast.outsider, problem=OUTSIDER_DRAFT, status=StoryStatus.DRAFT)
    for role, person in lib.cast.everyone().items():
        text = text_of(person)
        if role != "report":
            assert FIRST_DRAFT not in text, role
            assert SECOND_DRAFT not in text, role
        if role != "outsider":
            assert OUTSIDER_DRAFT not in text, role
    # The reviewer has their review, and of the story its title alone.
    coach = portable.export_sections(lib.reviewer)
    assert [r["comments"] for r in coach["story_reviews_written"]] == [REVIEW_FOR_ME]
    assert coach["story_reviews_written"][0]["story"] == "Cut in half 0"


def test_a_story_published_by_its_author_says_so(lib: Library) -> None:
    make_story(lib.publisher, "Published alone")
    [story] = portable.export_sections(lib.publisher)["stories"]
    assert (story["status"], story["published_by"]) == (StoryStatus.PUBLISHED, "self")
    assert story["published_at"] is not None
    assert story["reviews"] == []


@pytest.mark.parametrize("rows", [1, 50])
def test_queries_do_not_grow_with_rows(lib: Library, rows: int) -> None:
    grant(lib.cast.report, "coach")
    for n in range(rows):
        returned_story(lib, n)
        theirs = make_story(lib.cast.peer, f"Peer {n}", status=StoryStatus.IN_REVIEW)
        review(lib.cast.report, theirs, MY_REVIEW, "More, please.")
    # stories, whether the person reviews (versions' visibility), versions, reviews
    # received; reviews written
    assert count_queries(lambda: portable.export_sections(lib.cast.report)) == 5
    sections = portable.export_sections(lib.cast.report)
    assert len(sections["stories"]) == rows
    assert len(sections["story_reviews_written"]) == rows


def test_the_sections_are_json_safe_deterministic_and_pass_the_schema(lib: Library) -> None:
    returned_story(lib)
    make_story(lib.cast.report, "Second", status=StoryStatus.DRAFT)
    sections: dict[str, Any] = portable.export_sections(lib.cast.report)
    assert json.loads(json.dumps(sections)) == sections
    assert portable.export_sections(lib.cast.report) == sections
    document = doc.export_document(lib.cast.report)
    assert doc.checker().errors(json.loads(doc.dumps(document))) == []
    assert document["sections"]["stories"] == sections["stories"]
    assert '"id"' not in json.dumps(sections)
    assert '"code"' not in json.dumps(sections)
