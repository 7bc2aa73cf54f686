from __future__ import annotations

from django.apps import AppConfig


class LibConfig(AppConfig):
    """Small shared helpers. An app only so that Django finds its template tags
    (``{% load panels %}``); it has no models and imports no other app."""

    name = "cairn.lib"
    label = "cairn_lib"
    verbose_name = "Shared helpers"
