"""A person's access log, as portable data for their export: who read which kind of
their things, when and through which page. Never the content read, which the
record does not hold, and only the person's own records.

Nothing is restored natively: reads on another instance are that instance's
history, so an imported section is kept verbatim (and exported again, after the
live records) like any section no app restores.
"""

from __future__ import annotations

from typing import Any

from cairn.people.models import Person
from cairn.trust.models import AccessRecord


def export_sections(person: Person) -> dict[str, list[dict[str, Any]]]:
    records = AccessRecord.objects.visible_to(person).order_by("at", "id")
    return {
        "access_log": [
            {
                "reader": record.reader_name,
                "kind": record.kind,
                "via": record.via,
                "read_at": record.at.isoformat(),
            }
            for record in records
        ]
    }
