"""PostgreSQL: a second GIN index over the stored vector, of the published stories only.

The library page searches published stories only (``Story.objects.visible_to(...)
.published()``), so its query says ``status = 'published'``, which this index's
predicate matches. It holds fewer entries than ``library_story_search`` (no drafts,
nothing in review) and, what matters more, its smaller estimate tips PostgreSQL's
plan for a very common word from reading the whole table (and testing ``@@`` on
every row's vector) to a bitmap of the matches from the index (measured at 50,000
stories in ``bench/search.py``: "team", in 13,619 of them, about twice as fast). The
index over every story stays for the searches that include unpublished stories (an
author's own, a reviewer's).

SQLite: nothing (its FTS5 table answers; see ``0002`` and ``0006``).

Reversible: going back drops the index.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

ADD_INDEX = (
    "CREATE INDEX IF NOT EXISTS library_story_search_published ON library_story"
    " USING GIN (search_document) WHERE status = 'published'"
)
DROP_INDEX = "DROP INDEX IF EXISTS library_story_search_published"


def add_index(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(ADD_INDEX)


def drop_index(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_INDEX)


class Migration(migrations.Migration):
    dependencies = [("library", "0006_search_index")]

    operations = [migrations.RunPython(add_index, drop_index, elidable=False)]
