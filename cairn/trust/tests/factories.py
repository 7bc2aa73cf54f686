"""Access records as the views write them, for the trust tests."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from cairn.people.models import Person
from cairn.trust.models import AccessRecord, Kind


def make_record(
    owner: Person,
    reader: Person | None,
    kind: Kind = Kind.DEVELOPMENT_PLAN,
    *,
    via: str = "/growth/people/x/plan/",
    reader_name: str = "",
    at: dt.datetime | None = None,
) -> AccessRecord:
    return AccessRecord.objects.create(
        organisation_id=owner.organisation_id,
        owner=owner,
        reader=reader,
        reader_name=reader_name or (reader.name if reader else "Operator (command line)"),
        kind=kind,
        via=via,
        at=at or timezone.now(),
    )
