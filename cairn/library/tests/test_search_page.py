"""A page of search results and the count of all of them, from one query to the index
(issue 15, point 3: the matches of a common word are found and ranked once, not once
for the count and again for the page).

``StorySearch.page(number, per_page)`` must answer exactly what Django's paginator
answers over the same search asked in separate queries, for every page number a
visitor can type: the same stories in the same order, the same count, the same page
number (past the end: the last page; not a number: the first). CI runs this file on
both databases.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.paginator import Paginator
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cairn.library.models import Story, StoryStatus
from cairn.library.search import PUBLISHED_INDEX, StorySearch, search_stories
from cairn.library.tests.factories import Library, make_story, publish_at

NOW = timezone.now()
PER_PAGE = 4


def index_queries(sql: list[str]) -> list[str]:
    """The queries that ask the full-text index."""
    return [s for s in sql if ("MATCH" in s if connection.vendor == "sqlite" else "@@" in s)]


@pytest.fixture
def shelf(lib: Library) -> None:
    """Ten published stories about retention: three say it in their title too (the
    best matches), the rest once, in their lessons, a day apart; and a draft and a
    story in review that say it most, which a reader of published stories never gets."""
    for n in range(10):
        title = f"Retention story {n}" if n < 3 else f"Story {n}"
        story = make_story(lib.publisher, title, lessons="Retention.")
        publish_at(story, NOW - dt.timedelta(days=n))
    for status in (StoryStatus.DRAFT, StoryStatus.IN_REVIEW):
        make_story(
            lib.contributor,
            f"Retention retention {status}",
            problem="Retention, retention.",
            status=status,
        )


def searched(lib: Library, text: str = "retention") -> StorySearch:
    return search_stories(Story.objects.visible_to(lib.candidate, reviewer=False).published(), text)


@pytest.mark.parametrize("number", ["1", "2", "3", "4", "9", "0", "-1", "x", "", None, 2])
def test_a_page_is_what_the_paginator_answers_over_separate_queries(
    lib: Library, shelf: None, number: int | str | None
) -> None:
    expected = Paginator(searched(lib), PER_PAGE).get_page(number)
    page = searched(lib).page(number, PER_PAGE)
    assert page.number == expected.number
    assert page.paginator.count == expected.paginator.count == 10
    assert page.paginator.num_pages == 3
    assert [s.title for s in page] == [s.title for s in expected]
    assert page.has_next() == expected.has_next()


def test_the_pages_in_turn_hold_every_match_once_best_first(lib: Library, shelf: None) -> None:
    seen = [s.title for n in (1, 2, 3) for s in searched(lib).page(n, PER_PAGE)]
    # The three with the word in their title first (newest first among equals: the
    # ranks tie), then the rest, newest first; never the draft or the story in review.
    assert seen[:3] == ["Retention story 0", "Retention story 1", "Retention story 2"]
    assert seen[3:] == [f"Story {n}" for n in range(3, 10)]


@pytest.mark.parametrize("number", ["1", "2", "3"])
def test_a_page_that_exists_costs_one_query_to_the_index(
    lib: Library, shelf: None, number: str
) -> None:
    with CaptureQueriesContext(connection) as queries:
        page = searched(lib).page(number, PER_PAGE)
        titles = [s.title for s in page]
    sql = [q["sql"] for q in queries.captured_queries]
    # The page's ids and the count from one query; then the page's rows by id (and
    # their authors' and tags' prefetches: none here, the queryset asks for none).
    assert len(index_queries(sql)) == 1
    assert len(sql) == 2
    assert len(titles) == (2 if number == "3" else PER_PAGE)
    assert page.paginator.count == 10


def test_a_page_past_the_end_is_the_last_page_asked_for_again(lib: Library, shelf: None) -> None:
    with CaptureQueriesContext(connection) as queries:
        page = searched(lib).page("9", PER_PAGE)
        titles = [s.title for s in page]
    assert page.number == 3
    assert titles == ["Story 8", "Story 9"]
    # The guessed page held nothing, so nothing of the count either: the count, and
    # the last page, are asked for on their own.
    assert len(index_queries([q["sql"] for q in queries.captured_queries])) == 3


def test_no_match_and_no_word(lib: Library, shelf: None) -> None:
    with CaptureQueriesContext(connection) as queries:
        none = searched(lib, "zeppelin").page("1", PER_PAGE)
        assert none.paginator.count == 0
        assert list(none) == []
    assert len(index_queries([q["sql"] for q in queries.captured_queries])) == 1
    with CaptureQueriesContext(connection) as queries:
        empty = searched(lib, "the and of").page("1", PER_PAGE)
        assert empty.paginator.count == 0
        assert list(empty) == []
    assert queries.captured_queries == []


def test_the_slice_fetched_with_the_count_answers_only_what_it_holds(
    lib: Library, shelf: None
) -> None:
    found = searched(lib)
    found.fetch(offset=4, limit=PER_PAGE)
    with CaptureQueriesContext(connection) as queries:
        assert found.count() == 10
        assert found.ids(4, 4) == found.ids(4, 2) + found.ids(6, 2)
    assert queries.captured_queries == []
    # Outside it, the index is asked, and answers the same as a fresh search.
    assert found.ids(0, 6) == searched(lib).ids(0, 6)
    assert found.ids(6, 4) == searched(lib).ids(6, 4)
    assert found.ids(3) == searched(lib).ids(3)
    # The last page, fetched: it ended there, so everything from within it is known.
    last = searched(lib)
    last.fetch(offset=8, limit=PER_PAGE)
    with CaptureQueriesContext(connection) as queries:
        assert last.ids(8) == last.ids(8, 10) == searched(lib).ids(8)
        assert last.ids(10, 5) == []
    assert len(queries.captured_queries) == 1  # the fresh search's


def test_the_published_stories_have_their_own_index_on_postgresql(
    lib: Library, shelf: None
) -> None:
    with connection.cursor() as cursor:
        indexes = connection.introspection.get_constraints(cursor, "library_story")
    assert (PUBLISHED_INDEX in indexes) is (connection.vendor == "postgresql")
    if connection.vendor != "postgresql":
        return
    # The published stories of every organisation (the organisation's own indexes
    # would otherwise be the planner's choice for a handful of rows).
    found = search_stories(Story.objects.published(), "retention")
    with CaptureQueriesContext(connection) as queries:
        found.fetch(offset=0, limit=PER_PAGE)
    (query,) = queries.captured_queries
    # Without the listing index (dropped in a savepoint that is rolled back) and with
    # reading the table priced out, the plan shows which of the two full-text indexes
    # the query can use: the published stories' (the smaller).
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DROP INDEX library_story_listing")
        cursor.execute("ANALYZE library_story")
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {query['sql']}")
        plan = "\n".join(row[0] for row in cursor.fetchall())
        transaction.set_rollback(True)
    assert f"Bitmap Index Scan on {PUBLISHED_INDEX}" in plan
