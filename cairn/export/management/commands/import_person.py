from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.formats import date_format
from django.utils.timezone import localtime

from cairn.export import render, services
from cairn.people.models import Person


class Command(BaseCommand):
    help = (
        "Import a JSON export (from this or another Cairn) for a person: what this "
        "Cairn can restore is restored, the rest is kept for them alone and comes back "
        "in their later exports. All or nothing; the same data is never imported twice. "
        "The file must be the person's own export (made from their account here, or "
        "naming their email address, or from another Cairn naming them and nobody else "
        "here); an operator restoring someone's data into an account that is not the "
        "one the file names says so with --restore-for-another-person."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", help="The person the data is for.")
        parser.add_argument("file", type=Path, help="The .json file Cairn exported.")
        parser.add_argument(
            "--restore-for-another-person",
            action="store_true",
            help=(
                "Import the file into USERNAME's account even though it is the export of "
                "someone else (an operator restoring a person's data into a new account, "
                "say). Said in the output; without it another person's export is refused."
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        person = (
            Person.objects.select_related("organisation", "user")
            .filter(user__username=options["username"])
            .first()
        )
        if person is None:
            raise CommandError(f"Nobody has the username {options['username']!r}.")
        path: Path = options["file"]
        another = bool(options["restore_for_another_person"])
        try:
            with path.open("rb") as stream:
                document = services.parse(services.read_limited(stream, path.stat().st_size))
            whose = services.whose(document, person, instance_wide=True)
            if another and not whose.yours:
                exported = date_format(localtime(whose.exported_at), "j F Y")
                self.stdout.write(
                    f"Restoring someone else's data: the export of {whose.name} "
                    f"({whose.organisation}, exported {exported}) into "
                    f"the account of {person.name} ({options['username']}), as "
                    "--restore-for-another-person asks."
                )
            batch = services.import_document(
                None, person, document, restore_for_another_person=another
            )
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}.") from None
        except services.NotYours as error:
            raise CommandError(
                f"Nothing was imported from {path}: "
                + " ".join(error.messages)
                + f" To restore it into the account of {person.name} all the same, run the "
                "command again with --restore-for-another-person."
            ) from None
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
