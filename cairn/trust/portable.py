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

# The export format holds at most 10,000 items in a section: a log longer than that
# (a person read very often within the retention) is exported as its newest 10,000
# reads, so that the document stays one that imports; the page shows them all.
MOST = 10_000


def export_sections(person: Person) -> dict[str, list[dict[str, Any]]]:
    newest = AccessRecord.objects.visible_to(person).order_by("-at", "-id")[:MOST]
    records = reversed(list(newest))
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
