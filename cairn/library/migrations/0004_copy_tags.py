"""Tags move to ``cairn.tags`` (2 of 3): the library's tags, built-in and each
organisation's own, and every story's and question's links to them. A tag that
mentoring has too (same organisation, same slug) becomes one row."""

from __future__ import annotations

from typing import Any

from django.db import migrations

from cairn.tags.migrating import move_operation


def _links(apps: Any) -> list[tuple[Any, Any, str]]:
    story = apps.get_model("library", "Story")
    question = apps.get_model("library", "Question")
    return [
        (story.tags.through, story.shared_tags.through, "story_id"),
        (question.tags.through, question.shared_tags.through, "question_id"),
    ]


class Migration(migrations.Migration):
    dependencies = [("library", "0003_shared_tags")]

    operations = [move_operation("library", _links)]
