"""Recording reads. Every app that shows a person's content to someone else calls
:func:`record_read` (or :func:`record_reads` for a list) from the view that shows it,
after it has decided the reader may see it. A read by the author writes nothing."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.http import HttpRequest

from cairn.people.models import Person
from cairn.trust.models import AccessRecord, Kind

log = logging.getLogger(__name__)


def reader_of(request: HttpRequest) -> tuple[Person | None, str]:
    """Who is reading: the signed-in person, or (in the Django admin) the account."""
    person = getattr(request, "person", None)
    if person is not None:
        return person, person.name
    user = request.user
    role = "Django superuser" if getattr(user, "is_superuser", False) else "Staff account"
    return None, f"{role} {user.get_username()}"


def record_read(request: HttpRequest, owner: Person, kind: Kind) -> AccessRecord | None:
    """One read of ``owner``'s ``kind`` of thing through the page of ``request``."""
    reader, name = reader_of(request)
    return record(owner, kind, reader=reader, reader_name=name, via=request.path)


def record_reads(request: HttpRequest, owners: Iterable[Person], kind: Kind) -> int:
    """One read each of several people's things shown on one page (say, a program
    admin's list of requests). Returns how many rows were written."""
    reader, name = reader_of(request)
    rows = [
        AccessRecord(
            organisation_id=owner.organisation_id,
            owner=owner,
            reader=reader,
            reader_name=name,
            kind=kind,
            via=request.path[:300],
        )
        for owner in {o.pk: o for o in owners}.values()
        if reader is None or owner.pk != reader.pk
    ]
    AccessRecord.objects.bulk_create(rows)
    return len(rows)


def record(
    owner: Person, kind: Kind, *, reader: Person | None, reader_name: str, via: str
) -> AccessRecord | None:
    """The general form, for reads that come through no request (the command line)."""
    if reader is not None and reader.pk == owner.pk:
        return None
    row = AccessRecord.objects.create(
        organisation_id=owner.organisation_id,
        owner=owner,
        reader=reader,
        reader_name=reader_name[:160],
        kind=kind,
        via=via[:300],
    )
    log.info("access.recorded owner=%s reader=%s kind=%s", owner.pk, reader and reader.pk, kind)
    return row
