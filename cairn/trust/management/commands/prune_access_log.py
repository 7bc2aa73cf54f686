from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from cairn.trust import policy, tasks


class Command(BaseCommand):
    help = (
        "Delete the access records older than CAIRN_ACCESS_LOG_RETENTION_DAYS now, and "
        "make sure the daily retention job is waiting in the queue for the worker "
        "(python -m cairn db_worker). Safe to run any number of times."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        days = policy.retention_days()
        deleted = tasks.prune()
        self.stdout.write(f"Deleted {deleted} access records older than {days} days.")
        if tasks.schedule_next():
            self.stdout.write("The daily retention job is queued for the worker.")
        elif tasks.can_schedule():
            self.stdout.write("The daily retention job is already queued for the worker.")
        else:
            self.stdout.write(
                "This tasks backend cannot run the job later: run this command daily "
                "(cron) to keep the retention."
            )
