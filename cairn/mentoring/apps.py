from __future__ import annotations

from django.apps import AppConfig


class MentoringConfig(AppConfig):
    name = "cairn.mentoring"
    label = "mentoring"
    verbose_name = "Mentoring"
