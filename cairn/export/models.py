"""What a person brought with them from another Cairn instance.

An import restores what the apps of this instance can restore natively (the
development plan, say); the rest — notes and debriefs of engagements whose other
party does not exist here — is kept verbatim as :class:`ImportedItem` rows, owned by
the person and shown to nobody else, and written back into every later export after
the live items, so that export → import → export gives the same document.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from django.db import models
from django.utils import timezone

from cairn.people.models import Person
from cairn.trust.fields import EncryptedTextField


class ImportQuerySet(models.QuerySet["Import"]):
    def visible_to(self, viewer: Person) -> ImportQuerySet:
        """A person's imports are theirs alone: not their managers', not an admin's."""
        return self.filter(person_id=viewer.pk)


class Import(models.Model):
    """One document imported for one person.

    ``digest`` is the SHA-256 of the document's schema and sections (not of its
    ``exported_at``), so the same data cannot be imported twice, however often it
    was exported.
    """

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    digest = models.CharField(max_length=64)
    schema = models.CharField(max_length=60)
    exported_at = models.DateTimeField()
    # The document's sections in their order (a list: jsonb would reorder an
    # object's keys), each {"key", "count", "restored", "already_here"}: how many
    # items were imported, whether an app here restored them natively or they are
    # kept as ImportedItem rows, and how many were left out as already here.
    sections = models.JSONField(default=list)
    imported_at = models.DateTimeField(default=timezone.now)

    objects = ImportQuerySet.as_manager()

    class Meta:
        ordering = ["-imported_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "digest"], name="export_import_each_document_once"
            ),
        ]

    def __str__(self) -> str:
        return f"Import {self.code}"

    @property
    def total(self) -> int:
        return sum(section["count"] for section in self.sections)

    @property
    def kept_keys(self) -> list[str]:
        """The sections kept as imported, even empty ones, in the document's order."""
        return [section["key"] for section in self.sections if not section["restored"]]


class ImportedItemQuerySet(models.QuerySet["ImportedItem"]):
    def visible_to(self, viewer: Person) -> ImportedItemQuerySet:
        """Its owner only: an imported private note stays as private as it was."""
        return self.filter(person_id=viewer.pk)

    def in_export_order(self) -> ImportedItemQuerySet:
        return self.order_by("batch__imported_at", "batch_id", "key", "position")


class ImportedItem(models.Model):
    """One item of a section that no app of this instance restores natively, kept
    exactly as it was in the imported document."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    batch = models.ForeignKey(Import, on_delete=models.CASCADE, related_name="items")
    key = models.CharField(max_length=64)
    position = models.PositiveIntegerField()
    # The item as JSON text, not a JSONField: PostgreSQL's jsonb reorders an
    # object's keys, and the next export must give back the very same bytes. It may be
    # a private note from another instance, so it is encrypted at rest like one.
    payload = EncryptedTextField()
    imported_at = models.DateTimeField(default=timezone.now)

    objects = ImportedItemQuerySet.as_manager()

    class Meta:
        ordering = ["batch", "key", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["batch", "key", "position"], name="export_imported_item_position_unique"
            ),
        ]

    def __str__(self) -> str:
        # Never the payload: it may be a private note.
        return f"Imported item {self.code}"

    @staticmethod
    def dump(item: dict[str, Any]) -> str:
        return json.dumps(item, ensure_ascii=False, separators=(",", ":"))

    def load(self) -> dict[str, Any]:
        # Emptied by ``python -m cairn doctor --fix`` when no key opened it (the
        # token is kept aside): an empty item, so the rest of the export is whole.
        item: dict[str, Any] = json.loads(self.payload) if self.payload else {}
        return item


class PendingImportQuerySet(models.QuerySet["PendingImport"]):
    def visible_to(self, viewer: Person) -> PendingImportQuerySet:
        """The person who uploaded it, alone: it holds their whole export."""
        return self.filter(person_id=viewer.pk)


class PendingImport(models.Model):
    """An uploaded export waiting for its person to confirm the import, after they
    have seen whose export it is. Short-lived: confirming, cancelling or a new upload
    deletes it, and one older than ``services.PENDING_FOR`` is refused and deleted."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    # The checked document as JSON text, imported as it is on confirmation; a whole
    # export, so encrypted at rest.
    document = EncryptedTextField()
    uploaded_at = models.DateTimeField(default=timezone.now, db_index=True)

    objects = PendingImportQuerySet.as_manager()

    class Meta:
        ordering = ["-uploaded_at", "-id"]

    def __str__(self) -> str:
        # Never the document: it is a person's whole export.
        return f"Pending import {self.code}"

    def load(self) -> dict[str, Any]:
        document: dict[str, Any] = json.loads(self.document)
        return document
