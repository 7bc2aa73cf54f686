from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from cairn.trust import crypto


class Command(BaseCommand):
    help = (
        "Print a new random key for CAIRN_ENCRYPTION_KEYS. To replace the key in use, "
        "put the new one first (CAIRN_ENCRYPTION_KEYS=new,old), restart, run "
        "rotate_keys, and only then drop the old one."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(crypto.generate_key())
