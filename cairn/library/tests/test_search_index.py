"""Search on an index, in pages: the count and each page come from the full-text
index (FTS5 on SQLite, the stored ``tsvector`` and its GIN index on PostgreSQL), the
viewer's visibility is part of both, and the pages are stable.

CI runs this file on both databases, like ``test_search.py`` (whose expected results
are the same as before the index).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cairn.library.models import Story, StoryStatus
from cairn.library.search import DOCUMENT_COLUMN, FTS_TABLE, rebuild_index, search_stories
from cairn.library.tests.factories import Library, make_story, publish_at
from cairn.library.views import PAGE_SIZE
from cairn.testing import client_for, make_org, make_person

NOW = timezone.now()
URL = reverse("library:index")


def results_of(html: str) -> str:
    return html.split('id="results"', 1)[1].split("</section>")[0]


@pytest.fixture
def shelf(lib: Library) -> list[Story]:
    """PAGE_SIZE + 3 published stories about retention, all alike but for their age
    (so the newest first: ``Retention note 22`` … ``00``), and, better matches than
    any of them, the contributor's draft and a story in review, which the candidate
    may not see."""
    base = NOW - dt.timedelta(days=100)
    stories = []
    for n in range(PAGE_SIZE + 3):
        story = make_story(lib.publisher, f"Retention note {n:02d}", lessons="Retention.")
        stories.append(publish_at(story, base + dt.timedelta(hours=n)))
    make_story(
        lib.contributor,
        "Retention retention draft",
        problem="Retention, retention, retention.",
        status=StoryStatus.DRAFT,
    )
    make_story(
        lib.contributor,
        "Retention retention in review",
        problem="Retention, retention, retention.",
        status=StoryStatus.IN_REVIEW,
    )
    return stories


def test_the_count_and_pages_hold_only_what_the_viewer_may_see(
    lib: Library, shelf: list[Story]
) -> None:
    found = search_stories(Story.objects.visible_to(lib.candidate).published(), "retention")
    assert found.count() == len(found) == PAGE_SIZE + 3
    first = [story.title for story in found[0:PAGE_SIZE]]
    assert first == [f"Retention note {n:02d}" for n in range(PAGE_SIZE + 2, 2, -1)]
    assert [story.title for story in found[PAGE_SIZE : 2 * PAGE_SIZE]] == [
        "Retention note 02",
        "Retention note 01",
        "Retention note 00",
    ]
    # The contributor sees their own unpublished stories in their own queryset, and
    # they rank first (their title says the word twice).
    own = search_stories(Story.objects.visible_to(lib.contributor), "retention")
    assert own.count() == PAGE_SIZE + 5
    assert {s.title for s in own[0:2]} == {
        "Retention retention draft",
        "Retention retention in review",
    }


def test_page_two_the_count_and_an_out_of_range_page(lib: Library, shelf: list[Story]) -> None:
    client = client_for(lib.candidate)
    first = client.get(URL, {"q": "retention"}).content.decode()
    assert f"({PAGE_SIZE + 3})" in first
    assert "Page 1 of 2" in first
    assert "Retention note 22" in first
    assert "Retention note 03" in first
    assert "Retention note 02" not in first
    assert 'href="?q=retention&amp;page=2"' in first
    assert 'rel="prev"' not in first

    second = client.get(URL, {"q": "retention", "page": "2"}).content.decode()
    assert "Page 2 of 2" in second
    assert 'href="?q=retention&amp;page=1"' in second
    assert 'rel="next"' not in second
    listed = results_of(second)
    assert [f"Retention note {n:02d}" in listed for n in (2, 1, 0, 3)] == [True] * 3 + [False]
    for hidden in ("draft", "in review"):
        assert f"Retention retention {hidden}" not in listed

    # Past the end, or not a number: the last page, and the first.
    assert results_of(client.get(URL, {"q": "retention", "page": "9"}).content.decode()) == listed
    assert "Page 1 of 2" in client.get(URL, {"q": "retention", "page": "x"}).content.decode()


def test_a_search_without_results_and_one_page_of_results(lib: Library, shelf: list[Story]) -> None:
    client = client_for(lib.candidate)
    none = client.get(URL, {"q": "retention zeppelin"})
    assert none.status_code == 200
    assert "No published story matches" in none.content.decode()
    one = client.get(URL, {"q": "retention 07"}).content.decode()
    assert "(1)" in one
    assert "Retention note 07" in one
    assert "Page 1" not in one


def test_the_page_asks_the_index_once_for_the_count_and_the_page(
    lib: Library, shelf: list[Story]
) -> None:
    # (Issue 15, point 3: once, for both; it was once for each.)
    client = client_for(lib.candidate)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL, {"q": "retention", "page": "2"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    sql = [q["sql"] for q in queries.captured_queries]
    if connection.vendor == "sqlite":
        asking = [s for s in sql if "MATCH" in s]
        assert len(asking) == 1
        assert all(s.count("MATCH") == 1 and FTS_TABLE in s for s in asking)
    else:
        asking = [s for s in sql if "@@" in s]
        assert len(asking) == 1
        # The stored vector, never one computed from the text per row.
        assert all(DOCUMENT_COLUMN in s for s in asking)
        assert not any("to_tsvector" in s for s in sql)
    # Then the page's rows, by id.
    assert any('"library_story"."id" IN' in s and "MATCH" not in s for s in sql)


def _plan(sql: str, params: list[Any]) -> str:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
            return "\n".join(str(row[-1]) for row in cursor.fetchall())
        cursor.execute("SET enable_seqscan = off")
        try:
            cursor.execute(f"EXPLAIN {sql}", params)
            return "\n".join(row[0] for row in cursor.fetchall())
        finally:
            cursor.execute("SET enable_seqscan = on")


def test_the_database_answers_from_its_full_text_index(lib: Library, shelf: list[Story]) -> None:
    stories = Story.objects.visible_to(lib.candidate).published()
    if connection.vendor == "postgresql":
        # Without the organisation's listing index to choose instead (a few rows).
        stories = Story.objects.all()
    with CaptureQueriesContext(connection) as queries:
        search_stories(stories, "retention").ids(0, PAGE_SIZE)
    (query,) = queries.captured_queries
    # The captured SQL has its parameters written in.
    plan = _plan(query["sql"], [])
    if connection.vendor == "sqlite":
        # The FTS table drives, through its own index; each hit finds its story by id.
        first = plan.splitlines()[0]
        assert "VIRTUAL TABLE INDEX" in first
        assert FTS_TABLE in first
        # (and the viewer's visibility of each from the small index of migration 0006)
        assert "COVERING INDEX library_story_search_visible" in plan
    else:
        # With sequential scans priced out, the plan can use the GIN index: it exists.
        assert "library_story_search" in plan


@pytest.mark.django_db(transaction=True)
def test_the_stored_document_exists_on_postgresql_only_and_comes_and_goes_with_its_migration() -> (
    None
):
    def columns() -> set[str]:
        with connection.cursor() as cursor:
            described = connection.introspection.get_table_description(cursor, "library_story")
        return {column.name for column in described}

    author = make_person(make_org("Acme"), "Ada Author")
    Story.objects.create(
        organisation=author.organisation,
        author=author,
        title="Retention before the index",
        problem="p",
        actions="a",
        lessons="l",
        status=StoryStatus.PUBLISHED,
        published_at=NOW,
    )
    on_postgresql = connection.vendor == "postgresql"
    assert (DOCUMENT_COLUMN in columns()) is on_postgresql
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    executor.migrate([("library", "0005_drop_own_tags")])
    try:
        assert DOCUMENT_COLUMN not in columns()
    finally:
        executor.loader.build_graph()
        executor.migrate(latest)
    assert (DOCUMENT_COLUMN in columns()) is on_postgresql
    # A story written before the column is in it: PostgreSQL computed it.
    rebuild_index()  # (SQLite: the FTS table is no migration's business here)
    found = search_stories(Story.objects.visible_to(author), "retention")
    assert [s.title for s in found] == ["Retention before the index"]
