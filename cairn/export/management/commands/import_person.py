from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from cairn.export import render, services
from cairn.people.models import Person


class Command(BaseCommand):
    help = (
        "Import a JSON export (from this or another Cairn) for a person: what this "
        "Cairn can restore is restored, the rest is kept for them alone and comes back "
        "in their later exports. All or nothing; the same data is never imported twice."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", help="The person the data is for.")
        parser.add_argument("file", type=Path, help="The .json file Cairn exported.")

    def handle(self, *args: Any, **options: Any) -> None:
        person = (
            Person.objects.select_related("organisation")
            .filter(user__username=options["username"])
            .first()
        )
        if person is None:
            raise CommandError(f"Nobody has the username {options['username']!r}.")
        path: Path = options["file"]
        try:
            with path.open("rb") as stream:
                batch = services.import_file(None, person, stream, path.stat().st_size)
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}.") from None
        except ValidationError as error:
            raise CommandError(
                f"Nothing was imported from {path}: " + " ".join(error.messages)
            ) from None
        self.stdout.write(f"Imported {batch.total} items for {person.name}:")
        for section in batch.sections:
            how = "restored" if section["restored"] else "kept as imported"
            if section["already_here"]:
                how += f"; {section['already_here']} already here, left out"
            self.stdout.write(f"  {render.label(section['key'])}: {section['count']} ({how})")
