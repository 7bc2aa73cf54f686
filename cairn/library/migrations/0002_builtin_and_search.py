from __future__ import annotations

from typing import Any

from django.db import migrations

from cairn.library.builtin import sync_builtin

# SQLite only: the full-text index of stories (see ``cairn/library/search.py``).
# PostgreSQL searches the story columns directly and needs no table of its own.
CREATE_FTS = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS library_story_fts USING fts5("
    "title, problem, actions, lessons, tokenize = 'porter unicode61 remove_diacritics 2')"
)
DROP_FTS = "DROP TABLE IF EXISTS library_story_fts"


def create_fts(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(CREATE_FTS)


def drop_fts(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(DROP_FTS)


def load(apps: Any, schema_editor: Any) -> None:
    sync_builtin(apps.get_model("library", "Tag"), apps.get_model("library", "Question"))


class Migration(migrations.Migration):
    dependencies = [("library", "0001_initial")]

    operations = [
        migrations.RunPython(create_fts, drop_fts),
        migrations.RunPython(load, migrations.RunPython.noop),
    ]
