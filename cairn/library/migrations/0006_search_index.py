"""Stories' words stored, and indexed, for full-text search.

PostgreSQL:
A generated ``tsvector`` column, ``library_story.search_document`` (the title weight A,
problem, actions and lessons weight B, the ``english`` configuration: what the search
computed per row before), kept up to date by PostgreSQL itself on every insert and
update, and a GIN index over it. The model does not declare the column (SQLite has
no ``tsvector``; it searches its FTS5 table, see ``0002``): ``cairn/library/search.py``
names it.

SQLite: an index over the columns that decide who may see a story (id first), so
that each hit of the FTS5 table is checked against the viewer's visibility from
that small index, never from the story's row with all its text (four times faster
on a common word). Not declared by the model either: it is of no use to PostgreSQL,
whose search reads the stories' rows through the GIN index. ``test_search_index``
checks that the search's plan uses it (a table rebuilt by a later SQLite migration
would lose it, and that test would say so).

Reversible: going back drops the column and the indexes.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

ADD_DOCUMENT = """
ALTER TABLE library_story ADD COLUMN search_document tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('english'::regconfig, COALESCE(title, '')), 'A')
    || setweight(to_tsvector('english'::regconfig,
        COALESCE(problem, '') || ' ' || COALESCE(actions, '') || ' ' || COALESCE(lessons, '')
    ), 'B')
) STORED
"""
# Kept in the row (compressed) rather than moved out to the TOAST table, as a vector
# of a page of text otherwise is: each match's rank then reads the row it is in,
# not a second table (the story's text goes out first; only the rows of a page
# of results are read for it).
KEEP_IN_ROW = "ALTER TABLE library_story ALTER COLUMN search_document SET STORAGE MAIN"
# The stories there already were stored before that: store them again (PostgreSQL
# computes the column again on each row's update), once, in the migration.
STORE_AGAIN = "UPDATE library_story SET title = title"
ADD_INDEX = "CREATE INDEX library_story_search ON library_story USING GIN (search_document)"
DROP_INDEX = "DROP INDEX IF EXISTS library_story_search"
DROP_DOCUMENT = "ALTER TABLE library_story DROP COLUMN IF EXISTS search_document"
ADD_VISIBILITY = (
    "CREATE INDEX IF NOT EXISTS library_story_search_visible ON library_story"
    " (id, organisation_id, status, author_id, published_at)"
)
DROP_VISIBILITY = "DROP INDEX IF EXISTS library_story_search_visible"


def add_document(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(ADD_DOCUMENT)
        schema_editor.execute(KEEP_IN_ROW)
        schema_editor.execute(ADD_INDEX)
        # Last: the update leaves the foreign keys' deferred checks pending until the
        # commit, and PostgreSQL alters or indexes no table with checks pending.
        schema_editor.execute(STORE_AGAIN)
    elif schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(ADD_VISIBILITY)


def drop_document(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_INDEX)
        schema_editor.execute(DROP_DOCUMENT)
    elif schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(DROP_VISIBILITY)


class Migration(migrations.Migration):
    dependencies = [("library", "0005_drop_own_tags")]

    operations = [migrations.RunPython(add_document, drop_document, elidable=False)]
