from __future__ import annotations

from django.apps import AppConfig


class MailConfig(AppConfig):
    name = "cairn.mail"
    label = "mail"
    verbose_name = "Mail"
