from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from cairn.trust import doctor


class Command(BaseCommand):
    help = (
        "Find rows Cairn cannot show or export — text with NUL bytes, lone surrogates "
        "or control characters, dates outside 1900–2200, JSON holding NaN or "
        "infinities, encrypted text no key opens — and print counts and ids (never "
        "content). A dry run unless --fix: then each model is repaired in one "
        "transaction (characters removed, dates clamped, bad JSON keys dropped) and "
        "what cannot be repaired is quarantined (see cairn/trust/doctor.py)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        mode = parser.add_mutually_exclusive_group()
        mode.add_argument(
            "--dry-run",
            action="store_true",
            default=True,
            help="Only report what is wrong (the default).",
        )
        mode.add_argument("--fix", action="store_true", help="Repair or quarantine it.")
        parser.add_argument(
            "--quarantine",
            type=Path,
            default=None,
            help="Folder for the file of quarantined encrypted text (default: here).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        report = doctor.run(fix=options["fix"], quarantine_dir=options["quarantine"])
        for finding in report.findings:
            self.stdout.write(finding.line())
        if not report.findings:
            self.stdout.write("Nothing to repair: every row can be shown and exported.")
            return
        if options["fix"]:
            self.stdout.write(
                f"Repaired {report.fixed} value(s); quarantined {report.quarantined}."
            )
        else:
            self.stdout.write(
                f"{report.rows} row(s) to repair. Nothing was changed: run with --fix to repair."
            )
