from __future__ import annotations

from django.apps import AppConfig


class TrustConfig(AppConfig):
    name = "cairn.trust"
    label = "trust"
    verbose_name = "Trust"
