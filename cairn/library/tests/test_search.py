"""Full-text search: the same answers on SQLite (FTS5) and PostgreSQL.

CI runs this file on both databases; every expected result here is written once and
must hold on each.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from cairn.library import services
from cairn.library.models import Story, StoryStatus
from cairn.library.search import search_stories, words
from cairn.library.tests.factories import Library, make_story, publish_at, tags
from cairn.library.views import PAGE_SIZE
from cairn.mastery.tests.factories import grant
from cairn.testing import client_for, make_person

NOW = timezone.now()


@pytest.fixture
def shelf(lib: Library) -> dict[str, Story]:
    """Published stories with known words, published a day apart (newest last)."""
    author = lib.publisher
    stories = {
        "title": make_story(
            author,
            "Hiring our first engineering manager",
            problem="Hiring took months; every hiring loop ended without an offer.",
            actions="We rewrote the interview plan.",
            lessons="Decide what the role is before you start.",
            tag_slugs=["hiring", "leadership"],
        ),
        "lessons": make_story(
            author,
            "A quiet team",
            problem="Nobody spoke in retrospectives; people seemed tired and withdrawn.",
            actions="Anonymous notes first, then pairs, then the whole group.",
            lessons="Safety comes before candour. Later it even helped our hiring.",
            tag_slugs=["team-health"],
        ),
        "conflict": make_story(
            author,
            "Two seniors, one architecture",
            problem="A conflict about the architecture split the team.",
            actions="We wrote both options down and asked the team to score them.",
            lessons="Hiring for agreement is a trap; disagreement is useful.",
            tag_slugs=["conflict", "leadership"],
        ),
        "unrelated": make_story(
            author,
            "On-call without burn-out",
            problem="Pages at night wore people down.",
            actions="Fewer alerts, a follow-the-sun rota.",
            lessons="Alerts are a budget.",
            tag_slugs=["burn-out"],
        ),
    }
    for days, story in enumerate(stories.values()):
        publish_at(story, NOW - dt.timedelta(days=10 - days))
    return stories


def titles(queryset: object) -> list[str]:
    return [story.title for story in queryset]  # type: ignore[attr-defined]


def found(viewer: object, text: str) -> list[str]:
    published = Story.objects.visible_to(viewer).published()  # type: ignore[arg-type]
    return titles(search_stories(published, text))


def test_a_word_in_the_title_and_twice_in_the_text_ranks_first(
    lib: Library, shelf: dict[str, Story]
) -> None:
    # Then the two stories that mention it once, in their lessons, in an order the
    # two engines' formulas need not agree on.
    result = found(lib.candidate, "hiring")
    assert result[0] == "Hiring our first engineering manager"
    assert sorted(result[1:]) == ["A quiet team", "Two seniors, one architecture"]


def test_every_word_must_match(lib: Library, shelf: dict[str, Story]) -> None:
    assert found(lib.candidate, "hiring architecture") == ["Two seniors, one architecture"]
    assert found(lib.candidate, "hiring pager") == []


def test_words_are_stemmed_alike_on_both_databases(lib: Library, shelf: dict[str, Story]) -> None:
    assert found(lib.candidate, "hired")[0] == "Hiring our first engineering manager"
    assert found(lib.candidate, "retrospective") == ["A quiet team"]
    assert found(lib.candidate, "ALERT") == ["On-call without burn-out"]


def test_stop_words_are_dropped_on_both_databases(lib: Library, shelf: dict[str, Story]) -> None:
    assert words("How do I deal with the conflict?") == ["deal", "conflict"]
    assert found(lib.candidate, "what about the conflict") == found(lib.candidate, "conflict")
    assert found(lib.candidate, "the and of") == []
    assert found(lib.candidate, "") == []


@pytest.mark.parametrize(
    "typed",
    ['hiring" OR "x', "NEAR(hiring quiet)", "hiring*", "title:hiring", "-hiring", "(hiring", "^"],
)
def test_query_syntax_is_read_as_plain_words(
    lib: Library, shelf: dict[str, Story], typed: str
) -> None:
    # Whatever the engines' own query languages would make of these, they are words
    # here: no error, and the answer of the words alone.
    assert found(lib.candidate, typed) == found(lib.candidate, " ".join(words(typed)))


def test_tags_narrow_a_search(lib: Library, shelf: dict[str, Story]) -> None:
    published = Story.objects.visible_to(lib.candidate).published()
    assert titles(search_stories(published.tagged(["leadership"]), "hiring")) == [
        "Hiring our first engineering manager",
        "Two seniors, one architecture",
    ]
    assert titles(search_stories(published.tagged(["leadership", "conflict"]), "hiring")) == [
        "Two seniors, one architecture"
    ]


def test_no_drafts_or_stories_in_review_in_results(lib: Library, shelf: dict[str, Story]) -> None:
    make_story(lib.contributor, "Hiring draft", status=StoryStatus.DRAFT)
    make_story(lib.candidate, "Hiring in review", status=StoryStatus.IN_REVIEW)
    make_story(
        lib.contributor, "Hiring returned", status=StoryStatus.RETURNED, reviewer=lib.reviewer
    )
    for viewer in (lib.candidate, lib.contributor, lib.reviewer):
        response = client_for(viewer).get(reverse("library:index"), {"q": "hiring"})
        results = response.content.decode().split('id="results"', 1)[1].split("</section>")[0]
        assert "Hiring our first engineering manager" in results
        for hidden in ("Hiring draft", "Hiring in review", "Hiring returned"):
            assert hidden not in results


def test_other_organisations_stories_are_never_found(lib: Library, shelf: dict[str, Story]) -> None:
    outsider = lib.cast.outsider
    grant(outsider, "publisher")
    make_story(outsider, "Hiring elsewhere", problem="Hiring, hiring, hiring.")
    assert "Hiring elsewhere" not in found(lib.candidate, "hiring")
    assert found(outsider, "hiring") == ["Hiring elsewhere"]
    colleague = make_person(outsider.organisation)
    assert found(colleague, "engineering manager") == []


def test_a_revision_is_found_by_its_new_words_only(lib: Library, shelf: dict[str, Story]) -> None:
    story = shelf["unrelated"]
    services.revise_story(
        lib.publisher,
        story,
        title="Pager fatigue",
        problem="Night pages.",
        actions="Fewer alerts.",
        lessons="Budget the alerts.",
        tags=tags("burn-out"),
    )
    assert found(lib.candidate, "fatigue") == ["Pager fatigue"]
    assert found(lib.candidate, "rota") == []


def test_library_page_searches_filters_and_pages(lib: Library) -> None:
    base = NOW - dt.timedelta(days=100)
    for n in range(PAGE_SIZE + 5):
        story = make_story(
            lib.publisher,
            f"Mentoring note {n:02d}",
            lessons="Mentoring works.",
            tag_slugs=["mentoring", "coaching"] if n % 2 else ["mentoring"],
        )
        publish_at(story, base + dt.timedelta(hours=n))
    client = client_for(lib.candidate)
    url = reverse("library:index")

    first = client.get(url, {"q": "mentoring"}).content.decode()
    assert "Page 1 of 2" in first
    assert "Mentoring note 24" in first
    assert "Mentoring note 05" in first
    assert "Mentoring note 04" not in first
    assert 'href="?q=mentoring&amp;page=2"' in first

    second = client.get(url, {"q": "mentoring", "page": "2"}).content.decode()
    for n in range(5):
        assert f"Mentoring note {n:02d}" in second
    assert "Mentoring note 05" not in second

    tagged = client.get(url, {"q": "mentoring", "tag": ["coaching", "no-such-tag"]})
    text = tagged.content.decode()
    assert "(12)" in text  # the odd ones: 01, 03, … 23
    assert "Mentoring note 23" in text
    assert "Mentoring note 22" not in text
    assert "Page 1" not in text  # one page: no pager

    htmx = client.get(url, {"q": "mentoring", "tag": "coaching"}, headers={"HX-Request": "true"})
    assert htmx.content.decode().lstrip().startswith('<section id="results"')


def test_search_runs_on_the_database_it_says(lib: Library, shelf: dict[str, Story]) -> None:
    # A guard for the two-database promise: on SQLite the FTS5 table exists and is
    # what answers; on PostgreSQL there is no such table.
    tables = connection.introspection.table_names()
    assert ("library_story_fts" in tables) is (connection.vendor == "sqlite")
