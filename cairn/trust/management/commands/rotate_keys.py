from __future__ import annotations

import sys
from typing import IO, Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from cairn.trust import crypto, fields


class Command(BaseCommand):
    help = (
        "Re-encrypt every encrypted column of every model under the newest key in "
        "CAIRN_ENCRYPTION_KEYS (the first). Rows already under it are skipped and each "
        "batch is committed on its own, so a run that was stopped continues where it "
        "stopped when run again. Keep the old keys listed until a run reports nothing "
        "left to do."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Only count the rows not yet under the newest key; change nothing.",
        )
        parser.add_argument(
            "--batch-size",
            type=int,
            default=fields.BATCH_SIZE,
            help=f"Rows per transaction (default {fields.BATCH_SIZE}).",
        )
        parser.add_argument(
            "--no-progress", action="store_true", help="No progress bar on standard error."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        batch_size: int = options["batch_size"]
        if batch_size < 1:
            raise CommandError("--batch-size must be 1 or more.")
        dry_run: bool = options["dry_run"]
        crypto.current_keys()  # a missing or unusable key stops here, before any work
        stream: IO[str] = getattr(self.stderr, "_out", sys.stderr)
        encrypted = fields.encrypted_models()
        totals = {each.label: each.model._base_manager.count() for each in encrypted}
        self.stderr.write(
            f"{sum(totals.values())} rows in {len(encrypted)} models hold encrypted text."
        )
        counted = {}
        for each in encrypted:
            with tqdm(
                total=totals[each.label],
                desc=each.label,
                unit="row",
                file=stream,
                disable=options["no_progress"],
                dynamic_ncols=True,
            ) as bar:
                found = 0
                for batch in fields.raw_batches(each.model, each.fields, batch_size=batch_size):
                    if dry_run:
                        found += fields.stale_rows(batch)
                    else:
                        found += fields.rotate_batch(each, [row[0] for row in batch])
                    bar.update(len(batch))
            counted[each.label] = found
        verb = "not yet under the newest key" if dry_run else "re-encrypted under the newest key"
        for label, found in counted.items():
            self.stdout.write(f"{label}: {found} of {totals[label]} rows {verb}")
        self.stdout.write(f"In all: {sum(counted.values())} rows {verb}.")
