from __future__ import annotations

from django.apps import AppConfig


class MasteryConfig(AppConfig):
    name = "cairn.mastery"
    label = "mastery"
    verbose_name = "Mastery"
