"""Tags move to ``cairn.tags`` (2 of 3): the library's tags, built-in and each
organisation's own, and every story's and question's links to them. A tag that
mentoring has too (same organisation, same slug) becomes one row."""

from __future__ import annotations

from typing import Any

from django.db import migrations

from cairn.tags.migrating import move_tags


def _models(apps: Any) -> tuple[Any, Any, list[tuple[Any, Any, str]]]:
    story = apps.get_model("library", "Story")
    question = apps.get_model("library", "Question")
    links = [
        (story.tags.through, story.shared_tags.through, "story_id"),
        (question.tags.through, question.shared_tags.through, "question_id"),
    ]
    return apps.get_model("library", "Tag"), apps.get_model("tags", "Tag"), links


def forwards(apps: Any, schema_editor: Any) -> None:
    own, shared, links = _models(apps)
    move_tags(own, shared, links)


def backwards(apps: Any, schema_editor: Any) -> None:
    own, shared, links = _models(apps)
    move_tags(shared, own, [(to, from_, owner) for from_, to, owner in links], backwards=True)


class Migration(migrations.Migration):
    dependencies = [("library", "0003_shared_tags")]

    operations = [migrations.RunPython(forwards, backwards)]
