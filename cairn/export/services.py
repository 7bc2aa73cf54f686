"""Importing an export document for a person: read, check whose it is, restore — all
or nothing.

**Whose export a document is.** The document names its person: their name, title and
organisation, and (since the person's code and email joined it) the code of their
account on the Cairn that exported it and their email address. Exports move between
instances, so a code means something only here, and a name or email only as much as
people keep them. "Here" is the importer's organisation: on the web nothing about
accounts of other organisations on the same instance is looked at, so the answer
tells nobody whether a code or an address has an account elsewhere (the command
line, run by the operator, looks at the whole instance). A document is the
importer's own when

1. its code is the importer's code (exported from their account here); or, when the
   code names nobody here (exported elsewhere, or before codes were written),
2. its email is the importer's email; or
3. neither its code nor its email names anyone else here, and its name is the
   importer's name (compared without regard to case and spacing).

Anything else is another person's export: refused on the web, and on the command
line unless the operator says ``--restore-for-another-person``.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import math
import re
from dataclasses import dataclass
from typing import IO, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format

from cairn.export import document as doc
from cairn.export import render as rendering
from cairn.export import tasks
from cairn.export.models import Import, ImportedItem, PendingImport
from cairn.export.policy import can_import
from cairn.lib import hostile
from cairn.people.models import Person

# How long an upload waits for its person to confirm the import.
PENDING_FOR = tasks.PENDING_FOR

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


def _no_constant(name: str) -> Any:
    raise DocumentError(
        f"The file holds {name}: {name} is not a number an export can hold (JSON has no"
        " NaN or Infinity)."
    )


def _finite(text: str) -> float:
    value = float(text)
    if math.isinf(value):
        raise DocumentError(
            f"The file holds the number {text[:20]}: the number {text[:20]} is too big."
        )
    return value


def parse(data: bytes) -> dict[str, Any]:
    """The document in ``data``, checked against the schema of its version and for
    hostile values (NaN and infinities, NUL bytes, lone surrogates and control
    characters, dates and times outside the years Cairn keeps, deep nesting, size);
    or :class:`DocumentError` naming the place at fault. Nothing is written."""
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
        document = json.loads(text, parse_constant=_no_constant, parse_float=_finite)
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
    # Text and times no database keeps, or no export could write again, anywhere in
    # the document — an unknown section is kept verbatim and exported later, so it
    # is held to the same rules — before the schema and any write.
    bad = hostile.json_problem(document, max_depth=MAX_DEPTH) or hostile.dates_problem(document)
    if bad:
        raise DocumentError(f"The file holds what Cairn cannot keep: {bad}.")
    errors = doc.checker().errors(document)
    if errors:
        raise DocumentError(errors)
    return document


# --- whose export it is -------------------------------------------------------------


class NotYours(ValidationError):
    """The document is another person's export; the message says whose. Nothing has
    been saved."""


@dataclass(frozen=True)
class Whose:
    """Whose export a document is, as the preview shows it, and whether it is the
    importer's own (``yours``), with the reason in words."""

    name: str
    title: str
    organisation: str
    exported_at: dt.datetime
    yours: bool
    reason: str
    # Per section: its label and how many items it holds. Counts only, never content.
    sections: tuple[tuple[str, int], ...]

    @property
    def total(self) -> int:
        return sum(count for _, count in self.sections)


def _same_name(a: str, b: str) -> bool:
    def plain(name: str) -> str:
        return re.sub(r"\s+", " ", name).strip().casefold()

    return bool(plain(a)) and plain(a) == plain(b)


def whose(document: dict[str, Any], importer: Person, *, instance_wide: bool = False) -> Whose:
    """Whose export a parsed ``document`` is, compared with ``importer`` (see the rule
    at the top of this module). Reads at most two rows; writes nothing. "Here" is the
    importer's organisation, or the whole instance for the command line
    (``instance_wide``), whose operator sees every account anyway."""
    named = document["person"]
    code, email = named.get("code", ""), named.get("email", "").strip()
    exported_at = dt.datetime.fromisoformat(document["exported_at"])
    when = date_format(timezone.localtime(exported_at), "j F Y")
    of = f"{named['name']} ({named['organisation']}, exported {when})"
    # Only the importer's own organisation is looked at, and every refusal reads the
    # same: the page must not tell anyone whether a code or an address has an account
    # somewhere on this instance.
    people = Person.objects.all() if instance_wide else Person.objects.visible_to(importer)
    others = people.exclude(pk=importer.pk)
    not_yours = f"This is the export of {of}, not yours."
    if code == str(importer.code):
        yours, reason = True, "It was exported from your account here."
    elif code and others.filter(code=code).exists():
        yours, reason = False, not_yours
    elif email and email.casefold() == importer.user.email.strip().casefold():
        yours, reason = True, "It names your email address."
    elif email and others.filter(user__email__iexact=email).exists():
        yours, reason = False, not_yours
    elif _same_name(named["name"], importer.name):
        yours, reason = True, "It carries your name, and names no other account here."
    else:
        yours, reason = False, not_yours
    return Whose(
        name=named["name"],
        title=named["title"],
        organisation=named["organisation"],
        exported_at=exported_at,
        yours=yours,
        reason=reason,
        sections=tuple(
            (rendering.label(key), len(items)) for key, items in document["sections"].items()
        ),
    )


def _already_imported(person: Person, document: dict[str, Any]) -> None:
    earlier = Import.objects.visible_to(person).filter(digest=doc.digest(document)).first()
    if earlier is not None:
        when = date_format(timezone.localtime(earlier.imported_at), "j F Y, H:i")
        raise ValidationError(
            f"You imported this data on {when} already; importing it again would "
            "duplicate it, so nothing was changed."
        )


def _canonical(item: dict[str, Any]) -> str:
    return json.dumps(item, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def _in_sections(message: str, sections: doc.Sections, app: str) -> str:
    """An app's message about ``objectives[2]…`` placed in the document, as
    ``sections.objectives[2]…``, like the schema's own messages."""
    if any(message.startswith((f"{key}[", f"{key}:", f"{key}.")) for key in sections):
        return f"sections.{message}"
    return f"sections ({app}): {message}"


@transaction.atomic
def import_document(
    actor: Person | None,
    person: Person,
    document: dict[str, Any],
    *,
    restore_for_another_person: bool = False,
) -> Import:
    """Restore a parsed document (see :func:`parse`) for ``person``.

    The person themselves may call it, and the command line (``actor`` None), which
    acts for whoever runs the instance. The document must be ``person``'s own export
    (:func:`whose`), or :class:`NotYours` is raised; only the command line may
    ``restore_for_another_person``, an operator putting someone's data into the
    account they name. Each app that can restores its sections natively; the
    sections no app here restores are kept verbatim for the person alone, and come
    back in their later exports. All or nothing: any refusal leaves nothing saved.
    The same data (same sections, whenever exported) is imported once.
    """
    if actor is not None and (restore_for_another_person or not can_import(actor, person)):
        raise PermissionDenied
    if not restore_for_another_person:
        verdict = whose(document, person, instance_wide=actor is None)
        if not verdict.yours:
            raise NotYours(verdict.reason)
    _already_imported(person, document)
    fingerprint = doc.digest(document)
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
    actor: Person | None,
    person: Person,
    stream: IO[bytes],
    size: int | None,
    *,
    restore_for_another_person: bool = False,
) -> Import:
    """Read, check and import an opened file (see :func:`import_document`)."""
    return import_document(
        actor,
        person,
        parse(read_limited(stream, size)),
        restore_for_another_person=restore_for_another_person,
    )


# --- the web's two steps: upload and see whose it is, then confirm --------------------


@transaction.atomic
def stash_upload(
    actor: Person, stream: IO[bytes], size: int | None, *, now: dt.datetime | None = None
) -> tuple[PendingImport, Whose]:
    """Read and check an uploaded file, and keep it for ``actor`` to confirm once they
    have seen whose export it is. Nothing of theirs is written: the file waits as one
    :class:`PendingImport` row, which replaces any earlier upload of theirs.

    Refused, with nothing kept: a file that is no export (:class:`DocumentError`),
    another person's export (:class:`NotYours`), data imported already."""
    now = now or timezone.now()
    document = parse(read_limited(stream, size))
    verdict = whose(document, actor)
    if not verdict.yours:
        raise NotYours(
            f"{verdict.reason} You can import only your own export, so nothing was kept."
            " Whoever runs this Cairn can restore someone's data on the command line."
        )
    _already_imported(actor, document)
    # Uploads nobody confirmed are deleted: an export is not left lying about. A job
    # queued with this upload deletes it once its time is up.
    tasks.delete_expired(now)
    PendingImport.objects.visible_to(actor).delete()
    pending = PendingImport.objects.create(
        person=actor, document=doc.dumps(document), uploaded_at=now
    )
    transaction.on_commit(lambda: tasks.schedule_forgetting(now))
    log.info("import.pending %s for person %s", pending.code, actor.pk)
    return pending, verdict


def expired(pending: PendingImport, now: dt.datetime | None = None) -> bool:
    return pending.uploaded_at < (now or timezone.now()) - PENDING_FOR


EXPIRED = (
    "This upload waited more than {minutes} minutes and was deleted; nothing was "
    "imported. Upload the file again."
)


def drop_expired(actor: Person, pending: PendingImport, now: dt.datetime | None = None) -> None:
    """Delete ``actor``'s upload if it waited too long, and say so (a
    :class:`ValidationError`); nothing else is touched."""
    if pending.person_id != actor.pk:
        raise PermissionDenied
    if expired(pending, now):
        pending.delete()
        raise ValidationError(EXPIRED.format(minutes=int(PENDING_FOR.total_seconds() // 60)))


def confirm_upload(
    actor: Person, pending: PendingImport, *, now: dt.datetime | None = None
) -> Import:
    """Import ``actor``'s own upload, which they have seen; it is deleted once imported.
    An upload that waited too long is deleted and refused (:func:`drop_expired`)."""
    drop_expired(actor, pending, now)
    with transaction.atomic():
        batch = import_document(actor, actor, pending.load())
        pending.delete()
    return batch


@transaction.atomic
def discard_upload(actor: Person, pending: PendingImport) -> None:
    """``actor`` decides not to import their upload: it is deleted."""
    if pending.person_id != actor.pk:
        raise PermissionDenied
    pending.delete()
    log.info("import.discarded %s for person %s", pending.code, actor.pk)
