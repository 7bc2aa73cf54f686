"""Full-text search over stories: one interface, SQLite FTS5 or PostgreSQL.

``search_stories(queryset, text)`` narrows a queryset of stories (already scoped by
``Story.objects.visible_to``) to those matching every word of ``text``, best match
first. Which engine runs depends on ``connection.vendor``:

* **SQLite**: an FTS5 virtual table, ``library_story_fts`` (created by a migration on
  SQLite only), one row per story with ``rowid`` = the story's id. The write services
  call ``index_story`` after every save, in the same transaction, so the index is
  never ahead of or behind the rows (no triggers: the services are the only writers).
  Ranking is FTS5's BM25 with the title weighted four times the body.
* **PostgreSQL**: ``SearchVector`` over the same fields (title weight A, the three
  parts weight B) with the ``english`` configuration, ranked by ``SearchRank``.

Both sides see the same words: the text is split into words here, and the words
PostgreSQL's English configuration drops (stop words) are dropped on SQLite too, so
"how to hire" means "hire" on both. Both stem English (Porter on SQLite, Snowball on
PostgreSQL), which agree on ordinary words. Ties are broken by the newest
publication, then the newest story, so paging is stable.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import F, QuerySet

from cairn.library.models import Story

FTS_TABLE = "library_story_fts"
MAX_WORDS = 12
# BM25 column weights: title, problem, actions, lessons.
FTS_WEIGHTS = "4.0, 1.0, 1.0, 1.0"
CONFIG = "english"

# PostgreSQL's English stop words (the Snowball list): never searched for on either
# database, so a query means the same on both.
_STOP_WORDS = """
    i me my myself we our ours ourselves you your yours yourself yourselves he him his
    himself she her hers herself it its itself they them their theirs themselves what
    which who whom this that these those am is are was were be been being have has had
    having do does did doing a an the and but if or because as until while of at by for
    with about against between into through during before after above below to from up
    down in out on off over under again further then once here there when where why how
    all any both each few more most other some such no nor not only own same so than too
    very s t can will just don should now
"""
STOP_WORDS = frozenset(_STOP_WORDS.split())
_WORD = re.compile(r"\w+")


def words(text: str) -> list[str]:
    """The words of a query that take part in a search, lower-cased, each once."""
    found = [w for w in _WORD.findall(text.lower()) if w not in STOP_WORDS and w != "_"]
    return list(dict.fromkeys(found))[:MAX_WORDS]


def search_stories(queryset: QuerySet[Story], text: str) -> QuerySet[Story]:
    """The stories of ``queryset`` that contain every word of ``text``, best first.

    A query with no searchable word matches nothing."""
    terms = words(text)
    if not terms:
        return queryset.none()
    if connection.vendor == "postgresql":
        return _postgresql(queryset, terms)
    return _sqlite(queryset, terms)


def _sqlite(queryset: QuerySet[Story], terms: list[str]) -> QuerySet[Story]:
    # Each word quoted: FTS5 then reads it as a plain string, never as query syntax
    # (AND, NEAR, column filters), whatever was typed. ``_WORD`` admits no quotes.
    match = " ".join(f'"{term}"' for term in terms)
    # Joining the FTS table (rather than a correlated subquery per story) lets SQLite
    # run the full-text match once, driving the join from the index.
    return queryset.extra(  # noqa: S610 - constant SQL; the user's words are a parameter
        tables=[FTS_TABLE],
        where=[f"{FTS_TABLE}.rowid = library_story.id", f"{FTS_TABLE} MATCH %s"],
        params=[match],
        select={"search_rank": f"bm25({FTS_TABLE}, {FTS_WEIGHTS})"},
        # BM25 is lower for a better match.
        order_by=["search_rank", "-published_at", "-id"],
    )


def _postgresql(queryset: QuerySet[Story], terms: list[str]) -> QuerySet[Story]:
    vector = SearchVector("title", weight="A", config=CONFIG) + SearchVector(
        "problem", "actions", "lessons", weight="B", config=CONFIG
    )
    query = SearchQuery(" ".join(terms), config=CONFIG, search_type="plain")
    # Matching is the ``@@`` test; the rank only orders. (A rank above zero is no
    # test of a match: ``ts_rank`` answers 1e-20, not 0, for a document without
    # the words.)
    return (
        queryset.annotate(search_document=vector, search_rank=SearchRank(vector, query))
        .filter(search_document=query)
        .order_by(F("search_rank").desc(), F("published_at").desc(nulls_last=True), "-id")
    )


# --- keeping the SQLite index in step ------------------------------------------------


def index_stories(stories: Iterable[Story]) -> None:
    """Write the stories' current text into the FTS5 index (SQLite only). Called by
    every service that saves a story, inside its transaction."""
    if connection.vendor != "sqlite":
        return
    rows = [(s.pk, s.title, s.problem, s.actions, s.lessons) for s in stories]
    if not rows:
        return
    with connection.cursor() as cursor:
        cursor.executemany(f"DELETE FROM {FTS_TABLE} WHERE rowid = %s", [(r[0],) for r in rows])  # noqa: S608 - constant table name
        cursor.executemany(
            f"INSERT INTO {FTS_TABLE} (rowid, title, problem, actions, lessons)"  # noqa: S608
            " VALUES (%s, %s, %s, %s, %s)",
            rows,
        )


def index_story(story: Story) -> None:
    index_stories([story])


def unindex_story(sender: object, instance: Story, **kwargs: object) -> None:
    """Take a deleted story's words out of the FTS5 index (SQLite only).

    Connected to ``post_delete`` (see ``apps.py``) rather than called by a service:
    stories are deleted only by cascades — a person leaving, an organisation
    removed — which no service of ours sees. Without it the words of a deleted
    story, unpublished drafts included, would outlive the person who wrote them.
    (``flush`` sends no signals: after one, ``rebuild_index``.)"""
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid = %s", [instance.pk])  # noqa: S608


def rebuild_index() -> None:
    """Rebuild the whole FTS5 index from the stories (SQLite only): for a database
    restored from elsewhere, or after a test flush that left the index behind."""
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {FTS_TABLE}")  # noqa: S608
    index_stories(Story.objects.only("id", "title", "problem", "actions", "lessons"))
