from __future__ import annotations

from django.apps import AppConfig


class TagsConfig(AppConfig):
    name = "cairn.tags"
    label = "tags"
    verbose_name = "Tags"

    def reload_builtins(self) -> None:
        """The built-in tags, after a test flushed the database."""
        from cairn.tags.builtin import sync_builtin_tags
        from cairn.tags.models import Tag

        sync_builtin_tags(Tag)
