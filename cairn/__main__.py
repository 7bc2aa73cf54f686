"""``python -m cairn COMMAND`` (or the ``cairn`` script): Django's management
commands with Cairn's settings, e.g. ``python -m cairn demo``."""

from __future__ import annotations

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cairn.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["cairn", *sys.argv[1:]])


if __name__ == "__main__":
    main()
