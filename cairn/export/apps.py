from __future__ import annotations

from django.apps import AppConfig


class ExportConfig(AppConfig):
    name = "cairn.export"
    label = "export"
    verbose_name = "Export"
