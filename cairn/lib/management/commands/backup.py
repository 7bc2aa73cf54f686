"""``python -m cairn backup [--output PATH]``: a backup of the whole database."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cairn.lib.backups import BackupError, backup, default_path


class Command(BaseCommand):
    help = (
        "Back up the whole database to one file: SQLite with its online backup, "
        "PostgreSQL with pg_dump --format=custom. Prints the file and its size. The "
        "encryption keys are not in it: keep them apart from it (README, Backups)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output",
            type=Path,
            help="Where to write it (default: var/backups/cairn-<UTC time>.sqlite3 or .dump).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        output = options["output"] or default_path()
        try:
            written = backup(output)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"{written} ({written.stat().st_size:,} bytes)")
