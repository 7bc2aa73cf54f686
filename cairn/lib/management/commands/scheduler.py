"""``python -m cairn scheduler``: runs the registered periodic jobs
(``cairn.lib.schedule``) — reminders, overdue items, the weekly and daily digests.

One process is enough; two (during a deploy, say) do no harm, as every job queues
by unique keys. It wakes at the start of each minute, runs the jobs that are due and
sleeps again; SIGTERM or Ctrl-C stops it between passes. ``--once`` runs every job
once and exits, for cron or a one-off catch-up.
"""

from __future__ import annotations

import signal
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from cairn.lib import schedule


class Command(BaseCommand):
    help = "Run the periodic jobs (reminders and digests) every minute, or once with --once."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="Run every job once and exit.")

    def handle(self, *args: Any, once: bool = False, **options: Any) -> None:
        names = ", ".join(job.name for job in schedule.jobs()) or "none"
        if once:
            ran = schedule.run_all(timezone.now())
            self.stdout.write(f"Ran {len(ran)} jobs: {', '.join(ran) or 'none'}.")
            return
        self.stdout.write(f"Scheduler running; jobs: {names}. Ctrl-C stops it.")
        stopping = False

        def stop(*_: Any) -> None:
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGTERM, stop)
        last_runs: dict[str, Any] = {}
        try:
            while not stopping:
                schedule.run_due(timezone.now(), last_runs)
                # Sleep to the start of the next minute, a second at a time so that
                # SIGTERM is answered promptly.
                while not stopping and time.time() % 60 < 59:
                    time.sleep(min(1.0, 59.5 - time.time() % 60))
                while not stopping and time.time() % 60 >= 59:
                    time.sleep(0.2)
        except KeyboardInterrupt:
            pass
        self.stdout.write("Scheduler stopped.")
