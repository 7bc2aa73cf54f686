from __future__ import annotations

from django.apps import AppConfig


class LibraryConfig(AppConfig):
    name = "cairn.library"
    label = "library"
    verbose_name = "Library"

    def ready(self) -> None:
        from django.db.models.signals import post_delete

        from cairn.library import notifications, panels  # noqa: F401  (registers panels, checks)
        from cairn.library.models import Story
        from cairn.library.search import unindex_story

        post_delete.connect(unindex_story, sender=Story, dispatch_uid="library.unindex_story")

    def reload_builtins(self) -> None:
        """The built-in tags and questions and the search index (which is no model),
        after a test flushed the database."""
        from cairn.library import search
        from cairn.library.builtin import sync_builtin
        from cairn.library.models import Question
        from cairn.tags.models import Tag

        sync_builtin(Tag, Question)
        search.rebuild_index()
