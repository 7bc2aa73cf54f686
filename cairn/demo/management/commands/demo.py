from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from cairn.demo.builder import DEMO_NAME, DemoConflict, build_demo
from cairn.demo.cast import format_logins


class Command(BaseCommand):
    help = (
        f"Load the demo organisation, {DEMO_NAME}: 40 people in five teams with a year "
        "of one-on-ones, coaching and mentoring, all sharing one public password. "
        "When it is already there, only print the log-ins: running it again never "
        "duplicates anything. Other organisations in the database are left alone and "
        "the demo is added beside them, unless one of its usernames is taken there: "
        "then it writes nothing, says so, and exits successfully so `make run` still "
        "serves. Refuses to run in production mode unless --allow-production is given."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help=(
                "Load the demo even in production mode or with debug off (its password is public)."
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        # DEBUG off is the sign of a real deployment even when CAIRN_PRODUCTION was
        # forgotten.
        if (settings.PRODUCTION or not settings.DEBUG) and not options["allow_production"]:
            raise CommandError(
                "This is a production configuration, and every demo account shares a "
                "public password. Pass --allow-production if you really mean it."
            )
        # The services log every person and engagement they add; forty lines of that
        # would bury the log-ins. -v 2 shows them.
        cairn_log = logging.getLogger("cairn")
        level = cairn_log.level
        if options["verbosity"] < 2:
            cairn_log.setLevel(logging.WARNING)
        try:
            result = build_demo()
        except DemoConflict as conflict:
            self.stderr.write(f"{DEMO_NAME} was not loaded. {conflict}.")
            return
        finally:
            cairn_log.setLevel(level)
        if result.created and options["verbosity"] >= 1:
            self.stdout.write(result.summary())
            self.stdout.write("")
        self.stdout.write(format_logins(result.organisation))
