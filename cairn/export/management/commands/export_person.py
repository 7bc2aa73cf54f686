from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cairn.export import document as doc
from cairn.export import render
from cairn.people.models import Person
from cairn.trust.models import Kind
from cairn.trust.services import record

OPERATOR = "Operator (command line)"


class Command(BaseCommand):
    help = (
        "Write everything a person owns in Cairn as one JSON document (format "
        f"{doc.SCHEMA}, see docs/export-format.md), or as Markdown with --markdown. "
        "For the person leaving, or for whoever runs the instance on their behalf: it "
        "holds their private notes, so hand it to them alone."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", help="The person's log-in name.")
        parser.add_argument(
            "-o", "--output", type=Path, help="Write to this file instead of standard output."
        )
        parser.add_argument(
            "--markdown", action="store_true", help="Readable Markdown instead of JSON."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        person = (
            Person.objects.select_related("organisation", "user")
            .filter(user__username=options["username"])
            .first()
        )
        if person is None:
            raise CommandError(f"Nobody has the username {options['username']!r}.")
        document = doc.export_document(person)
        # Whoever runs the instance read everything the person owns: the person
        # finds that in their access log (an export they make themselves, on the
        # page, records nothing).
        record(person, Kind.EXPORT, reader=None, reader_name=OPERATOR, via="export_person")
        text = render.markdown(document) if options["markdown"] else doc.dumps(document)
        output: Path | None = options["output"]
        if output is None:
            self.stdout.write(text, ending="")
            return
        try:
            output.write_text(text, encoding="utf-8")
        except OSError as error:
            raise CommandError(f"Cannot write {output}: {error.strerror}.") from None
        total = sum(len(items) for items in document["sections"].values())
        self.stderr.write(f"Wrote {total} items of {person.name} to {output}.")
