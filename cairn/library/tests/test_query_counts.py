"""Query counts of the library's pages: the same at 1 row and at 50.

Two worlds are built once for the module, one with one row of everything and one
with 50 (each test runs in a savepoint, so what it writes is undone); a test counts
the queries of the same request in each. Equal counts mean no query per row; the
bound on top keeps a constant cost from creeping up unseen.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from cairn.coaching.models import EngagementKind
from cairn.coaching.tests.factories import make_agenda_item, make_engagement, make_session
from cairn.library.models import Question, Review, ReviewDecision, StoryStatus, StoryVersion
from cairn.library.tests.factories import Library, at_library_levels, make_story
from cairn.testing import client_for, count_queries, make_cast
from cairn.testing.worlds import Worlds, build_worlds

# Three queries of every request are who is asking (session, user, person); asking
# mastery whether the viewer reviews or publishes costs one query each.
# + 1 on every whole page: the bell's unread notifications in the navigation, and
# one per kind of thing they are about, to ask whether the viewer may still see it
# (+ 4 for the contributor, whom building the world told of reviews of their
# stories and of their mentoring; + 2 for the reviewer).
# (Issue 15: every page one fewer — the account is read with its person — and the
# library and story pages one more fewer: the reporting lines are a subquery.)
LIBRARY_QUERIES = 12
# A search: the page's ids and the count from one query to the full-text index, then
# the page's rows by id (and their tags), on both databases. (Issue 15, point 3: one
# fewer, the count and the page's ids were two queries.)
SEARCH_QUERIES = 9
STORY_QUERIES = 11
REVIEWER_STORY_QUERIES = 10
REVIEWS_QUERIES = 8
HISTORY_QUERIES = 10
QUESTIONS_QUERIES = 5
BANK_EDITOR_QUERIES = 7
SESSION_QUESTIONS_QUERIES = 5
SESSION_STORIES_QUERIES = 6


class World:
    """A focus story by the contributor, published after review, and rows around it.

    Each row adds: a published story by the publisher with the focus story's tags
    and words (so related, and found by search), a story in review and a draft by the
    contributor, a review and a version of the focus story, a question of the
    organisation's own, and a talking point on the mentoring session.
    """

    def __init__(self, lib: Library) -> None:
        self.lib = lib
        self.focus = make_story(
            lib.contributor,
            "Mentoring a new lead",
            lessons="Mentoring takes patience.",
            tag_slugs=["mentoring", "leadership"],
            status=StoryStatus.PUBLISHED,
            reviewer=lib.reviewer,
        )
        engagement = make_engagement(lib.cast.coach, lib.cast.report, EngagementKind.MENTORING)
        self.session = make_session(engagement)
        self.rows = 0

    def grow_to(self, rows: int) -> None:
        lib = self.lib
        while self.rows < rows:
            n = self.rows
            make_story(
                lib.publisher,
                f"Mentoring story {n}",
                lessons="Mentoring and leadership.",
                tag_slugs=["mentoring", "leadership"],
            )
            make_story(lib.contributor, f"Waiting {n}", status=StoryStatus.IN_REVIEW)
            make_story(lib.contributor, f"Draft {n}", status=StoryStatus.DRAFT)
            Review.objects.create(
                story=self.focus,
                version=1,
                reviewer=lib.reviewer,
                strengths="Good.",
                comments="More.",
                decision=ReviewDecision.RETURN,
            )
            StoryVersion.objects.create(
                story=self.focus,
                number=n + 2,
                title="t",
                problem="p",
                actions="a",
                lessons="l",
                tag_names=["Mentoring"],
                saved_by=lib.contributor,
            )
            Question.objects.create(
                organisation=lib.cast.org,
                key=f"own-{n}",
                framework="grow",
                stage="goal",
                text=f"Own {n}?",
            )
            make_agenda_item(self.session, lib.cast.coach, f"Mentoring and leadership {n}")
            self.rows += 1


@pytest.fixture(scope="module")
def built(module_db: None, django_db_blocker: Any) -> Worlds[World]:
    return build_worlds(lambda: World(at_library_levels(make_cast())), django_db_blocker)


@pytest.fixture
def worlds(db: None, built: Worlds[World]) -> Worlds[World]:
    # A copy per test, so that no test sees objects another changed in memory.
    return copy.deepcopy(built)


def counts(
    worlds: Worlds[World], prepare: Callable[[World], Callable[[], object]]
) -> tuple[int, int]:
    """Queries of the request that ``prepare`` makes ready for a world, with SMALL
    rows and with LARGE rows."""
    return count_queries(prepare(worlds.small)), count_queries(prepare(worlds.large))


def get(
    client: Client, url: str, data: dict[str, Any] | None = None, htmx: bool = False
) -> Callable[[], object]:
    def request() -> object:
        headers = {"HX-Request": "true"} if htmx else {}
        response = client.get(url, data or {}, headers=headers)
        assert response.status_code == 200, url
        return response

    return request


def test_library_page(worlds: Worlds[World]) -> None:
    def prepare(w: World) -> Callable[[], object]:
        return get(client_for(w.lib.contributor), reverse("library:index"))

    assert counts(worlds, prepare) == (LIBRARY_QUERIES, LIBRARY_QUERIES)


def test_search_with_tags(worlds: Worlds[World]) -> None:
    def prepare(w: World) -> Callable[[], object]:
        return get(
            client_for(w.lib.candidate),
            reverse("library:index"),
            {"q": "mentoring leadership", "tag": ["mentoring", "leadership"]},
        )

    assert counts(worlds, prepare) == (SEARCH_QUERIES, SEARCH_QUERIES)


def test_search_partial(worlds: Worlds[World]) -> None:
    def prepare(w: World) -> Callable[[], object]:
        url = reverse("library:index")
        return get(client_for(w.lib.candidate), url, {"q": "mentoring"}, htmx=True)

    small, large = counts(worlds, prepare)
    assert small == large <= SEARCH_QUERIES - 2  # a partial: no navigation, so no bell


def test_story_page_for_its_author(worlds: Worlds[World]) -> None:
    def prepare(w: World) -> Callable[[], object]:
        return get(client_for(w.lib.contributor), reverse("library:story", args=[w.focus.code]))

    assert counts(worlds, prepare) == (STORY_QUERIES, STORY_QUERIES)


def test_story_page_for_a_reviewer(worlds: Worlds[World]) -> None:
    def prepare(w: World) -> Callable[[], object]:
        return get(client_for(w.lib.reviewer), reverse("library:story", args=[w.focus.code]))

    assert counts(worlds, prepare) == (REVIEWER_STORY_QUERIES, REVIEWER_STORY_QUERIES)


def test_review_queue(worlds: Worlds[World]) -> None:
    def prepare(w: World) -> Callable[[], object]:
        return get(client_for(w.lib.reviewer), reverse("library:reviews"))

    assert counts(worlds, prepare) == (REVIEWS_QUERIES, REVIEWS_QUERIES)


def test_history(worlds: Worlds[World]) -> None:
    def prepare(w: World) -> Callable[[], object]:
        url = reverse("library:story-history", args=[w.focus.code])
        return get(client_for(w.lib.contributor), url)

    assert counts(worlds, prepare) == (HISTORY_QUERIES, HISTORY_QUERIES)


def test_question_bank(worlds: Worlds[World]) -> None:
    def prepare(w: World) -> Callable[[], object]:
        return get(client_for(w.lib.candidate), reverse("library:questions"))

    assert counts(worlds, prepare) == (QUESTIONS_QUERIES, QUESTIONS_QUERIES)


def test_question_bank_for_its_editor(worlds: Worlds[World]) -> None:
    def prepare(w: World) -> Callable[[], object]:
        return get(client_for(w.lib.cast.program_admin), reverse("library:questions"))

    assert counts(worlds, prepare) == (BANK_EDITOR_QUERIES, BANK_EDITOR_QUERIES)


def test_session_questions(worlds: Worlds[World]) -> None:
    def prepare(w: World) -> Callable[[], object]:
        url = reverse("library:session-questions", args=[w.session.code])
        return get(client_for(w.lib.cast.coach), url, {"section": 1}, htmx=True)

    assert counts(worlds, prepare) == (SESSION_QUESTIONS_QUERIES, SESSION_QUESTIONS_QUERIES)


def test_session_stories(worlds: Worlds[World]) -> None:
    def prepare(w: World) -> Callable[[], object]:
        url = reverse("library:session-stories", args=[w.session.code])
        return get(client_for(w.lib.cast.report), url, htmx=True)

    assert counts(worlds, prepare) == (SESSION_STORIES_QUERIES, SESSION_STORIES_QUERIES)
