from __future__ import annotations

from django.apps import AppConfig


class TagsConfig(AppConfig):
    name = "cairn.tags"
    label = "tags"
    verbose_name = "Tags"
