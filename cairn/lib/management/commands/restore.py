"""``python -m cairn restore PATH [--yes]``: put a backup back, replacing the whole
database."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from cairn.lib.backups import BackupError, restore


class Command(BaseCommand):
    help = (
        "Replace the whole database with a backup made by `backup`. Everything "
        "written since that backup is lost. Asks first unless --yes is given; in "
        "production mode, or without a terminal to ask on, --yes is required."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="The backup file.")
        parser.add_argument(
            "--yes", action="store_true", help="Replace the database without asking."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["path"]
        if not path.is_file():
            raise CommandError(f"{path} does not exist.")
        if not options["yes"]:
            if settings.PRODUCTION or not sys.stdin.isatty():
                raise CommandError(
                    "Restoring replaces the whole database and loses everything written "
                    "since the backup. Run it again with --yes if you mean it."
                )
            name = connection.settings_dict["NAME"]
            answer = input(
                f"Replace the whole database ({name}) with {path}? Everything written "
                "since the backup is lost. Type yes to go on: "
            )
            if answer.strip().lower() != "yes":
                raise CommandError("Nothing was changed.")
        try:
            restore(path)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Restored {path}.")
