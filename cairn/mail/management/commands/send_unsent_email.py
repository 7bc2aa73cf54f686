from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from cairn.mail import tasks


class Command(BaseCommand):
    help = (
        "Queue a job again for every email neither sent nor given up whose job was lost "
        "(a worker killed while sending), and make sure the sweep that does this every "
        "ten minutes is waiting in the queue for the worker (python -m cairn db_worker). "
        "Safe to run any number of times: an email is never sent twice by it."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        count = tasks.requeue_unsent()
        self.stdout.write(f"Queued {count} unsent emails again.")
        if tasks.schedule_sweep():
            self.stdout.write("The sweep for unsent email is queued for the worker.")
        elif tasks.can_schedule():
            self.stdout.write("The sweep for unsent email is already queued for the worker.")
        else:
            self.stdout.write(
                "This tasks backend cannot run the sweep later: run this command every "
                "few minutes (cron) so that no email is lost."
            )
