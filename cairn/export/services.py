"""Importing an export document for a person: read, check, restore — all or nothing."""

from __future__ import annotations

import datetime as dt
import json
import logging
from typing import IO, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format

from cairn.export import document as doc
from cairn.export.models import Import, ImportedItem
from cairn.export.policy import can_import
from cairn.people.models import Person

log = logging.getLogger("cairn.export")

MAX_BYTES = 5 * 1024 * 1024
# JSON nested deeper than any export is (a section item holding a list of check-ins
# holding a scale is four levels) is refused before it is walked.
MAX_DEPTH = 16


class DocumentError(ValidationError):
    """The uploaded file is not an export this Cairn can read; the message says
    where and why. Nothing has been saved."""


def read_limited(stream: IO[bytes], size: int | None) -> bytes:
    """The file's bytes, refusing anything over ``MAX_BYTES`` before reading it whole:
    by its declared size when there is one, and by reading one byte past the limit."""
    if size is not None and size > MAX_BYTES:
        raise DocumentError(too_big(size))
    data = stream.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise DocumentError(too_big(None))
    return data


def too_big(size: int | None) -> str:
    found = f" (this one is {size / 1024 / 1024:.1f} MB)" if size else ""
    return f"The file is too big{found}: an export is at most {MAX_BYTES // 1024 // 1024} MB."


def _depth(value: Any) -> int:
    deepest, stack = 0, [(value, 1)]
    while stack:
        node, depth = stack.pop()
        deepest = max(deepest, depth)
        if deepest > MAX_DEPTH:
            break
        if isinstance(node, dict):
            stack.extend((child, depth + 1) for child in node.values())
        elif isinstance(node, list):
            stack.extend((child, depth + 1) for child in node)
    return deepest


def parse(data: bytes) -> dict[str, Any]:
    """The document in ``data``, checked against the schema of its version; or
    :class:`DocumentError` naming the place at fault."""
    if len(data) > MAX_BYTES:
        raise DocumentError(too_big(len(data)))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise DocumentError(
            f"The file is not UTF-8 text (byte {error.start} cannot be read). "
            "Upload the .json file Cairn exported, unchanged."
        ) from None
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise DocumentError(
            f"The file is not valid JSON: {error.msg} at line {error.lineno}, column {error.colno}."
        ) from None
    except RecursionError:
        raise DocumentError("The file is nested too deeply to be an export.") from None
    if not isinstance(document, dict):
        raise DocumentError("The file is JSON, but not an export: it should be one object.")
    version = document.get("schema")
    if version != doc.SCHEMA:
        found = "no schema field" if version is None else f"schema {str(version)[:60]!r}"
        raise DocumentError(
            f"schema: this is not an export this Cairn can read ({found}); it reads {doc.SCHEMA}."
        )
    if _depth(document) > MAX_DEPTH:
        raise DocumentError(f"The file is nested more than {MAX_DEPTH} levels deep.")
    errors = doc.checker().errors(document)
    if errors:
        raise DocumentError(errors)
    return document


def _canonical(item: dict[str, Any]) -> str:
    return json.dumps(item, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def _in_sections(message: str, sections: doc.Sections, app: str) -> str:
    """An app's message about ``objectives[2]…`` placed in the document, as
    ``sections.objectives[2]…``, like the schema's own messages."""
    if any(message.startswith((f"{key}[", f"{key}:", f"{key}.")) for key in sections):
        return f"sections.{message}"
    return f"sections ({app}): {message}"


@transaction.atomic
def import_document(actor: Person | None, person: Person, document: dict[str, Any]) -> Import:
    """Restore a parsed document (see :func:`parse`) for ``person``.

    The person themselves may call it, and the command line (``actor`` None), which
    acts for whoever runs the instance. Each app that can restores its sections
    natively; the sections no app here restores are kept verbatim for the person
    alone, and come back in their later exports. All or nothing: any refusal leaves
    nothing saved. The same data (same sections, whenever exported) is imported once.
    """
    if actor is not None and not can_import(actor, person):
        raise PermissionDenied
    fingerprint = doc.digest(document)
    earlier = Import.objects.visible_to(person).filter(digest=fingerprint).first()
    if earlier is not None:
        when = date_format(timezone.localtime(earlier.imported_at), "j F Y, H:i")
        raise ValidationError(
            f"You imported this data on {when} already; importing it again would "
            "duplicate it, so nothing was changed."
        )
    sections: doc.Sections = document["sections"]
    # What the person has already (live or kept before), to recognise items that
    # come back: a document exported here and imported here again, or one that
    # went to another instance and back, must not duplicate a note.
    already = {
        key: {_canonical(item) for item in items}
        for key, items in doc.export_sections(person).items()
    }
    now = timezone.now()
    # The import is recorded first: a second upload of the same document at the
    # same moment waits on the unique digest here, before any app has written.
    batch = Import(
        person=person,
        digest=fingerprint,
        schema=document["schema"],
        exported_at=dt.datetime.fromisoformat(document["exported_at"]),
        imported_at=now,
    )
    try:
        with transaction.atomic():
            batch.save()
    except IntegrityError:
        raise ValidationError("This data is being imported already.") from None
    restored: set[str] = set()
    for provider in doc.providers():
        if provider.import_sections is None:
            continue
        remaining = {key: items for key, items in sections.items() if key not in restored}
        if not remaining:
            break
        try:
            restored |= provider.import_sections(person, remaining) & set(remaining)
        except ValidationError as error:
            raise ValidationError(
                [_in_sections(message, remaining, provider.app) for message in error.messages]
            ) from None
    kept: doc.Sections = {
        key: [item for item in items if _canonical(item) not in already.get(key, set())]
        for key, items in sections.items()
        if key not in restored
    }
    batch.sections = [
        {
            "key": key,
            "count": len(kept.get(key, items)),
            "restored": key in restored,
            "already_here": len(items) - len(kept.get(key, items)),
        }
        for key, items in sections.items()
    ]
    batch.save(update_fields=["sections"])
    ImportedItem.objects.bulk_create(
        ImportedItem(
            person=person,
            batch=batch,
            key=key,
            position=position,
            payload=ImportedItem.dump(item),
            imported_at=now,
        )
        for key, items in kept.items()
        for position, item in enumerate(items)
    )
    log.info("import %s for person %s: %s items", batch.code, person.pk, batch.total)
    return batch


def import_file(
    actor: Person | None, person: Person, stream: IO[bytes], size: int | None
) -> Import:
    """Read, check and import an uploaded or opened file (see :func:`import_document`)."""
    return import_document(actor, person, parse(read_limited(stream, size)))
