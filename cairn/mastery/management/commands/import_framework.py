from __future__ import annotations

import os
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from cairn.mastery.frameworks import MAX_BYTES, too_big_message
from cairn.mastery.models import FrameworkLevel
from cairn.mastery.services import import_framework_into
from cairn.people.models import Organisation


class Command(BaseCommand):
    help = (
        "Import a competency framework (cairn.framework/2 or the older format) from a "
        "YAML (.yaml, .yml), CSV (.csv) or XLSX (.xlsx) file into an organisation. The "
        "whole file is checked first: on any fault it says which line, and imports "
        "nothing. A file whose key names a framework the organisation has already "
        "makes its next version: what the file no longer has is retired."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="the framework file, UTF-8, at most 1 MB")
        parser.add_argument(
            "--organisation",
            required=True,
            metavar="SLUG",
            help="the organisation to import it into, by slug",
        )
        parser.add_argument(
            "--name",
            default="",
            help="the framework's name (CSV: default the file name; YAML: overrides the file's)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: str = options["file"]
        organisation = Organisation.objects.filter(slug=options["organisation"]).first()
        if organisation is None:
            raise CommandError(f"There is no organisation with the slug {options['organisation']}.")
        try:
            # The size first: a huge file is refused without reading it.
            size = os.path.getsize(path)
            if size > MAX_BYTES:
                raise CommandError(f"{path}: {too_big_message(size)} Nothing was imported.")
            with open(path, "rb") as file:
                data = file.read(MAX_BYTES + 1)
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}.") from None
        try:
            framework = import_framework_into(
                organisation, data, filename=path, name=options["name"]
            )
        except ValidationError as error:
            raise CommandError(
                f"{path}: {' '.join(error.messages)} Nothing was imported."
            ) from None
        counts = (
            framework.tracks.filter(retired_at__isnull=True).count(),
            FrameworkLevel.objects.filter(
                track__framework=framework, retired_at__isnull=True
            ).count(),
            framework.competencies.filter(retired_at__isnull=True).count(),
        )
        version = "" if framework.version == 1 else f" (version {framework.version})"
        self.stdout.write(
            f"Imported {framework.name}{version} into {organisation.name}: {counts[0]} tracks, "
            f"{counts[1]} levels, {counts[2]} competencies."
        )
