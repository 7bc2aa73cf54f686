"""Full-text search over stories: one interface, SQLite FTS5 or PostgreSQL, on an index.

``search_stories(queryset, text)`` answers the stories of a queryset (already scoped by
``Story.objects.visible_to``) that match every word of ``text``, best match first, as
a ``StorySearch``: a sequence that a ``Paginator`` pages. ``StorySearch.page(number,
per_page)``, what the library page asks, costs two queries whatever the number of
stories: the ids of the page (ranked and limited by the database, on its full-text
index) with the count of all the matches (``COUNT(*) OVER ()``: the matches are
found, and ranked, once), and the rows of those ids (one ``pk IN`` query, with the
queryset's ``select_related``/``prefetch_related``), put back in rank order. (A
``Paginator`` over the search on its own asks for the count and the page apart:
three queries.) The visibility of the queryset is part of the count and of the ids
query, in SQL: a story the viewer may not see neither takes a place in a page nor
is counted. Which engine runs depends on ``connection.vendor``:

* **SQLite**: an FTS5 virtual table, ``library_story_fts`` (created by a migration on
  SQLite only), one row per story with ``rowid`` = the story's id. The write services
  call ``index_story`` after every save, in the same transaction, so the index is
  never ahead of or behind the rows (no triggers: the services are the only writers).
  The count and the ids are one ``MATCH`` each, the FTS table driving the join to the
  stories (``CROSS JOIN`` fixes SQLite's join order, so the match runs once, never
  once per story); each hit's visibility is read from a small index over the
  columns that decide it (``library_story_search_visible``, migration 0006), not
  from the story's row. Ranking is FTS5's BM25 with the title weighted four times the body.
* **PostgreSQL**: a stored, generated ``tsvector`` column ``library_story.search_document``
  (title weight A, the three parts weight B, ``english`` configuration) with a GIN
  index, both made by migration ``0006_search_index`` on PostgreSQL only (the model
  does not declare the column, so it stays portable). Matching is ``@@`` on the index,
  ranking ``ts_rank`` of the stored vector: nothing is computed from the text per row.
  A second GIN index holds the published stories' vectors only
  (``library_story_search_published``, migration ``0007_search_rank``): the library
  page's query says ``status = 'published'``, and that index's smaller estimate is
  what makes PostgreSQL read a common word's matches through the index rather than
  the whole table, testing ``@@`` on every row (about twice as slow at 50,000).

  Where the time goes, at 50,000 stories and a word in 13,619 of them ("team";
  ``EXPLAIN (ANALYZE, BUFFERS)``): visiting each match's row in the table, about
  9,700 pages, for the visibility test and for the rank; ``ts_rank`` itself is cheap
  (``0006`` keeps the vector in the row; at this size it is not even compressed) and
  the index scan is 2 ms. Counting and ranking apart visited them twice; the page
  query visits them once. Tried and left: the vector out of line in TOAST (the table
  9 times smaller, the count 6 times faster, but each rank then reads the TOAST
  table: slower in all), ``lz4`` compression (tsvectors shrink by 12 %), a window
  over the stories' own rows (it holds each vector and spills to disk). No count is
  estimated: every count shown is exact.

Both sides see the same words: the text is split into words here, and the words
PostgreSQL's English configuration drops (stop words) are dropped on SQLite too, so
"how to hire" means "hire" on both. Both stem English (Porter on SQLite, Snowball on
PostgreSQL), which agree on ordinary words. Ties are broken by the newest
publication, then the newest story, so paging is stable.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, overload

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVectorField
from django.core.exceptions import EmptyResultSet, FullResultSet
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import F, QuerySet
from django.db.models.expressions import Col, Expression

from cairn.library.models import Story

FTS_TABLE = "library_story_fts"
MAX_WORDS = 12
# BM25 column weights: title, problem, actions, lessons.
FTS_WEIGHTS = "4.0, 1.0, 1.0, 1.0"
CONFIG = "english"
# PostgreSQL only (migration 0006): the stored vector and its GIN index.
DOCUMENT_COLUMN = "search_document"
DOCUMENT_INDEX = "library_story_search"
# PostgreSQL only (migration 0007): the GIN index of the published stories' vectors.
PUBLISHED_INDEX = "library_story_search_published"

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


def search_stories(queryset: QuerySet[Story], text: str) -> StorySearch:
    """The stories of ``queryset`` that contain every word of ``text``, best first.

    A query with no searchable word matches nothing."""
    terms = words(text)
    if not terms:
        return StorySearch(queryset.none(), [])
    return StorySearch(queryset, terms)


class StorySearch(Sequence[Story]):
    """The results of a search, fetched a slice at a time (see the module docstring).

    ``page(number, per_page)`` is what the library page asks: the page's ids and the
    count of all the matches come from one query to the index (the matches are found,
    and ranked, once), then the page's rows from a second. Asked on its own,
    ``count()`` and each slice are separate queries. Nothing else is cached: the one
    slice fetched with the count, and the count, are kept for the paginator to read."""

    def __init__(self, queryset: QuerySet[Story], terms: list[str]) -> None:
        self.queryset = queryset
        self.terms = terms
        self._count: int | None = None
        self._slice: tuple[int, int, list[int]] | None = None

    def page(self, number: int | str | None, per_page: int) -> Page[Story]:
        """``Paginator(self, per_page).get_page(number)``, in two queries when
        ``number`` is a page that exists (page 1 always does): the page's ids with
        the count, then the page's rows. A page past the end, or a number below 1,
        is answered with the last page, as ``get_page`` does: the count and that page
        are then asked for on their own."""
        try:
            guess = max(int(str(number)), 1)
        except ValueError:
            guess = 1
        self.fetch(offset=(guess - 1) * per_page, limit=per_page)
        return Paginator(self, per_page).get_page(number)

    def fetch(self, offset: int, limit: int) -> None:
        """Fetch the ids of the slice ``[offset : offset + limit]`` and the count of
        all the matches, in one query; later reads of either ask nothing more. (A
        slice past the end says nothing of the count: it is asked again when read.)"""
        if not self.terms:
            self._count, self._slice = 0, (offset, limit, [])
            return
        if connection.vendor == "postgresql":
            ids, total = _pg_page(self.queryset, self.terms, offset, limit)
        else:
            ids, total = _sqlite_page(self.queryset, self.terms, offset, limit)
        self._slice = (offset, limit, ids)
        if ids or offset == 0:
            self._count = total

    def count(self) -> int:  # type: ignore[override]  # Sequence.count(value) counts one item
        if not self.terms:
            return 0
        if self._count is not None:
            return self._count
        if connection.vendor == "postgresql":
            return _pg_matches(self.queryset, self.terms).count()
        return _sqlite_count(self.queryset, self.terms)

    def __len__(self) -> int:
        return self.count()

    def exists(self) -> bool:
        return bool(self.ids(0, 1))

    def ids(self, offset: int = 0, limit: int | None = None) -> list[int]:
        """The ids of the matching stories, best first, from ``offset``, at most
        ``limit`` (all when None)."""
        if not self.terms:
            return []
        known = self._known(offset, limit)
        if known is not None:
            return known
        if connection.vendor == "postgresql":
            ranked = _pg_ranked(self.queryset, self.terms).values_list("id", flat=True)
            return list(ranked[offset : None if limit is None else offset + limit])
        return _sqlite_ids(self.queryset, self.terms, offset, limit)

    def _known(self, offset: int, limit: int | None) -> list[int] | None:
        """The ids of a slice from the one fetched with the count, when it holds them
        (the paginator asks for a shorter last page: ``[20:23]`` of ``[20:40]``)."""
        if self._slice is None:
            return None
        start, length, ids = self._slice
        ended = len(ids) < length  # the fetch reached the last match
        if offset < start or offset > start + len(ids):
            return None
        if limit is None:
            return ids[offset - start :] if ended else None
        if offset + limit <= start + length or ended:
            return ids[offset - start : offset - start + limit]
        return None

    def rows(self, ids: list[int]) -> list[Story]:
        """The stories of ``ids``, in that order: one query (and the prefetches).
        A story gone from the queryset between the two queries is left out."""
        if not ids:
            return []
        found = self.queryset.order_by().in_bulk(ids)
        return [found[pk] for pk in ids if pk in found]

    @overload
    def __getitem__(self, index: int) -> Story: ...
    @overload
    def __getitem__(self, index: slice) -> list[Story]: ...
    def __getitem__(self, index: int | slice) -> Story | list[Story]:
        if isinstance(index, slice):
            if (
                index.step not in (None, 1)
                or (index.start or 0) < 0
                or (index.stop is not None and index.stop < 0)
            ):
                raise ValueError("StorySearch takes forward slices only")
            start = index.start or 0
            if index.stop is not None and index.stop <= start:
                return []
            limit = None if index.stop is None else index.stop - start
            return self.rows(self.ids(start, limit))
        if index < 0:
            raise IndexError("StorySearch takes no negative index")
        found = self[index : index + 1]
        if not found:
            raise IndexError(index)
        return found[0]

    def __iter__(self) -> Iterator[Story]:
        return iter(self.rows(self.ids()))


# --- SQLite: FTS5 --------------------------------------------------------------------


def _match(terms: list[str]) -> str:
    # Each word quoted: FTS5 then reads it as a plain string, never as query syntax
    # (AND, NEAR, column filters), whatever was typed. ``_WORD`` admits no quotes.
    return " ".join(f'"{term}"' for term in terms)


def _visible(queryset: QuerySet[Story]) -> tuple[str, list[Any]] | None:
    """The queryset's conditions as SQL on ``library_story`` (None: it has none to
    match). Conditions on the story's own columns (and ``Exists`` subqueries, as the
    tag filter) are used as they are; a queryset that joins other tables is asked as
    ``id IN (its ids)``."""
    query = queryset.query
    table = Story._meta.db_table
    compiler = query.get_compiler(using=queryset.db)
    try:
        # Filtering on a relation leaves a join behind it with no reference when it
        # was trimmed (``author=viewer`` is ``author_id``): only joins in use count.
        joined = {alias for alias, uses in query.alias_refcount.items() if uses}
        if joined <= {table} and not query.extra:
            sql, params = compiler.compile(query.where)
            return sql, list(params)
        sql, params = queryset.order_by().values("id").query.sql_with_params()
        return f'"{table}"."id" IN ({sql})', list(params)
    except FullResultSet:
        return "1", []
    except EmptyResultSet:
        return None


# ``INDEXED BY``: SQLite would otherwise look each hit up by the primary key (the
# story's row, text and all) while it has no statistics, as after every migration.
VISIBLE_INDEX = "library_story_search_visible"
_FROM = (
    f'FROM "{FTS_TABLE}" CROSS JOIN "library_story" INDEXED BY "{VISIBLE_INDEX}"'
    f' ON "library_story"."id" = "{FTS_TABLE}"."rowid"'
    f' WHERE "{FTS_TABLE}" MATCH %s AND ({{visible}})'
)


def _sqlite_count(queryset: QuerySet[Story], terms: list[str]) -> int:
    visible = _visible(queryset)
    if visible is None:
        return 0
    sql = "SELECT COUNT(*) " + _FROM.format(visible=visible[0])
    with connection.cursor() as cursor:
        cursor.execute(sql, [_match(terms), *visible[1]])
        return int(cursor.fetchone()[0])


def _sqlite_ids(
    queryset: QuerySet[Story], terms: list[str], offset: int, limit: int | None
) -> list[int]:
    visible = _visible(queryset)
    if visible is None:
        return []
    sql = (
        'SELECT "library_story"."id" '
        + _FROM.format(visible=visible[0])
        # BM25 is lower for a better match.
        + f' ORDER BY bm25("{FTS_TABLE}", {FTS_WEIGHTS}),'
        ' "library_story"."published_at" DESC, "library_story"."id" DESC'
        " LIMIT %s OFFSET %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [_match(terms), *visible[1], -1 if limit is None else limit, offset])
        return [row[0] for row in cursor.fetchall()]


# The subquery ranks each match once (BM25 is lower for a better match); the outer
# query counts them all and takes the slice.
_PAGE_SELECT = (
    'SELECT "id", COUNT(*) OVER () FROM (SELECT "library_story"."id" AS "id",'  # noqa: S608
    ' "library_story"."published_at" AS "published_at",'
    f' bm25("{FTS_TABLE}", {FTS_WEIGHTS}) AS "rank" '
)


def _sqlite_page(
    queryset: QuerySet[Story], terms: list[str], offset: int, limit: int
) -> tuple[list[int], int]:
    """A slice of the ranked ids and the count of all the matches, from one ``MATCH``:
    ``COUNT(*) OVER ()`` counts the rows the window sees, all the matches, before the
    ``LIMIT`` takes the slice (each row of the slice carries the count)."""
    visible = _visible(queryset)
    if visible is None:
        return [], 0
    sql = (
        _PAGE_SELECT
        + _FROM.format(visible=visible[0])
        + ') ORDER BY "rank", "published_at" DESC, "id" DESC LIMIT %s OFFSET %s'
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [_match(terms), *visible[1], limit, offset])
        rows = cursor.fetchall()
    return [row[0] for row in rows], rows[0][1] if rows else 0


# --- PostgreSQL: the stored vector ----------------------------------------------------


def _document_field() -> SearchVectorField:
    field = SearchVectorField()
    field.set_attributes_from_name(DOCUMENT_COLUMN)
    field.model = Story  # for the expression's identity (hashing, comparing)
    return field


class StoredDocument(Expression):
    """``library_story.search_document``, the column the model does not declare:
    resolved to the story table's alias of the query it is used in."""

    output_field = SearchVectorField()

    def resolve_expression(
        self,
        query: Any = None,
        allow_joins: bool = True,
        reuse: set[str] | None = None,
        summarize: bool = False,
        for_save: bool = False,
    ) -> Any:  # a ``Col``, not a ``StoredDocument``
        field = _document_field()
        return Col(query.get_initial_alias(), field, field)


def _pg_query(terms: list[str]) -> SearchQuery:
    return SearchQuery(" ".join(terms), config=CONFIG, search_type="plain")


def _pg_matches(queryset: QuerySet[Story], terms: list[str]) -> QuerySet[Story]:
    # Matching is the ``@@`` test, on the GIN index.
    return queryset.alias(search_document=StoredDocument()).filter(search_document=_pg_query(terms))


def _pg_ranked(queryset: QuerySet[Story], terms: list[str]) -> QuerySet[Story]:
    # The rank only orders. (A rank above zero is no test of a match: ``ts_rank``
    # answers 1e-20, not 0, for a document without the words.)
    return (
        _pg_matches(queryset, terms)
        .alias(search_rank=SearchRank(StoredDocument(), _pg_query(terms)))
        .order_by(F("search_rank").desc(), F("published_at").desc(nulls_last=True), "-id")
    )


def _pg_page(
    queryset: QuerySet[Story], terms: list[str], offset: int, limit: int
) -> tuple[list[int], int]:
    """A slice of the ranked ids and the count of all the matches, from one query: the
    matches are found on the GIN index and ranked once, in a subquery that hands on
    only (id, publication, rank), so the window that counts them holds narrow rows
    (over the stories' own rows it held each stored vector and spilled to disk), then
    the ``LIMIT`` takes the slice. ``OFFSET 0`` keeps the subquery from being merged
    into the outer query."""
    matches = (
        _pg_matches(queryset, terms)
        .order_by()
        .annotate(search_rank=SearchRank(StoredDocument(), _pg_query(terms)))
        .values_list("id", "published_at", "search_rank")
    )
    try:
        inner, params = matches.query.sql_with_params()
    except EmptyResultSet:
        return [], 0
    sql = (
        f'SELECT "id", COUNT(*) OVER () FROM ({inner} OFFSET 0) AS "matches"'  # noqa: S608 - our SQL
        ' ORDER BY "search_rank" DESC, "published_at" DESC NULLS LAST, "id" DESC'
        " LIMIT %s OFFSET %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, limit, offset])
        rows = cursor.fetchall()
    return [row[0] for row in rows], rows[0][1] if rows else 0


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
