"""``EncryptedTextField``: text that the database only ever holds as a Fernet token
(``cairn.trust.crypto``), and the batch work over every such column that
``rotate_keys`` and the data migrations that introduce the field do.

The field encrypts on the way in and decrypts on the way out, so models, forms,
services and templates see plain text. ``max_length`` is checked on that plain text
(the model's validator, a form's ``maxlength``); the column is a ``text`` column with
no limit, since a token is longer than its text. The database cannot compare what it
cannot read: filtering, searching or ordering on such a field is refused (the only
lookup is ``__isnull``) rather than quietly matching nothing. Do that in Python.

This module knows no app above trust: it finds encrypted columns by looking at every
installed model's fields.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.core.validators import MaxLengthValidator
from django.db import models, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import ExpressionWrapper, F, TextField, Value
from django.db.models.expressions import Combinable, Expression
from django.db.models.lookups import IsNull
from django.utils.functional import cached_property

from cairn.trust import crypto

BATCH_SIZE = 500


class EncryptedTextField(models.TextField[str | Combinable, str]):
    """A ``TextField`` whose column holds a Fernet token of the text."""

    description = "Text, encrypted at rest"

    @cached_property
    def validators(self) -> list[Callable[..., Any]]:
        # A TextField leaves max_length to forms; this one checks it on the model too,
        # as the CharFields it replaced did: the limit is the text's, not the token's.
        limit = [MaxLengthValidator(self.max_length)] if self.max_length is not None else []
        return [*super().validators, *limit]

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or isinstance(value, Expression):
            return value
        return crypto.encrypt(value)

    def from_db_value(
        self, value: str | None, expression: Any, connection: BaseDatabaseWrapper
    ) -> str | None:
        if value is None or value == "":
            # Never written by this field (it encrypts "" too): nothing to hide.
            return value
        try:
            return crypto.decrypt(value)
        except crypto.UnreadableText as error:
            raise crypto.UnreadableText(f"{self.model._meta.label}.{self.name}: {error}") from None

    def get_lookup(self, lookup_name: str) -> Any:
        if lookup_name == "isnull":
            return IsNull
        return None

    def get_transform(self, lookup_name: str) -> Any:
        return None


@dataclass(frozen=True)
class EncryptedModel:
    """An installed model with the names of its encrypted columns."""

    model: type[models.Model]
    fields: tuple[str, ...]

    @property
    def label(self) -> str:
        return self.model._meta.label


def encrypted_models() -> list[EncryptedModel]:
    """Every installed concrete model that has an encrypted column, by label."""
    found = []
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        names = tuple(
            field.attname
            for field in model._meta.concrete_fields
            if isinstance(field, EncryptedTextField) and field.model is model
        )
        if names:
            found.append(EncryptedModel(model, names))
    return sorted(found, key=lambda each: each.label)


# Raw tokens: an expression typed as a plain TextField is read without the
# encrypted field's decryption, and written without its encryption.
def _raw(name: str) -> ExpressionWrapper[F]:
    return ExpressionWrapper(F(name), output_field=TextField())


def _stored(token: str | None) -> Value:
    return Value(token, output_field=TextField())


Row = tuple[Any, ...]


def raw_batches(
    model: type[models.Model], fields: tuple[str, ...], *, batch_size: int = BATCH_SIZE
) -> Iterator[list[Row]]:
    """``(pk, token, token, ...)`` rows in primary-key order, ``batch_size`` at a
    time, each batch read when the one before it has been dealt with."""
    after = None
    manager = model._base_manager
    while True:
        rows = manager.order_by("pk")
        if after is not None:
            rows = rows.filter(pk__gt=after)
        batch = list(rows.values_list("pk", *(_raw(name) for name in fields))[:batch_size])
        if not batch:
            return
        yield batch
        after = batch[-1][0]


def rewrite_batch(
    model: type[models.Model],
    fields: tuple[str, ...],
    pks: list[Any],
    change: Callable[[str], str | None],
) -> int:
    """Apply ``change`` to each stored token of the rows ``pks`` (None: leave it) and
    write the results, in one transaction that locks the rows it read, so that an
    edit made meanwhile is not overwritten with older text. Returns how many rows
    changed."""
    manager = model._base_manager
    with transaction.atomic():
        locked = (
            manager.select_for_update()
            .filter(pk__in=pks)
            .order_by("pk")
            .values_list("pk", *(_raw(name) for name in fields))
        )
        changed = []
        for pk, *tokens in locked:
            new = [None if token is None else change(token) for token in tokens]
            if all(token is None for token in new):
                continue
            row = model(pk=pk)
            for name, old, token in zip(fields, tokens, new, strict=True):
                setattr(row, name, _stored(old if token is None else token))
            changed.append(row)
        if changed:
            manager.bulk_update(changed, list(fields))
    return len(changed)


def _rotated(token: str) -> str | None:
    return None if crypto.is_under_newest_key(token) else crypto.rotate(token)


def rotate_batch(encrypted: EncryptedModel, pks: list[Any]) -> int:
    """Re-encrypt under the newest key whatever of rows ``pks`` is not under it yet."""
    return rewrite_batch(encrypted.model, encrypted.fields, pks, _rotated)


def stale_rows(batch: list[Row]) -> int:
    """How many rows of a raw batch hold a token the newest key does not open."""
    return sum(
        any(token is not None and not crypto.is_under_newest_key(token) for token in row[1:])
        for row in batch
    )


# The data migrations that turn a plain text column into an encrypted one.


def _encrypted(text: str) -> str | None:
    # A row already encrypted (a migration run again after a failure) stays as it is.
    try:
        crypto.decrypt(text)
    except crypto.UnreadableText:
        return crypto.encrypt(text)
    return None


def _decrypted(token: str) -> str | None:
    try:
        return crypto.decrypt(token)
    except crypto.UnreadableText:
        return None  # plain already


def encrypt_existing(model: type[models.Model], fields: tuple[str, ...]) -> None:
    """Encrypt the plain text in ``fields`` of every row, a batch per transaction."""
    for batch in raw_batches(model, fields):
        rewrite_batch(model, fields, [row[0] for row in batch], _encrypted)


def decrypt_existing(model: type[models.Model], fields: tuple[str, ...]) -> None:
    """The way back: plain text again in ``fields`` of every row."""
    for batch in raw_batches(model, fields):
        rewrite_batch(model, fields, [row[0] for row in batch], _decrypted)


def encrypt_operation(
    app_label: str, model_name: str, fields: tuple[str, ...]
) -> Any:  # a RunPython
    """A ``RunPython`` for a migration that has just altered ``fields`` of
    ``app_label.model_name`` into ``EncryptedTextField``: it encrypts the rows there
    already, and decrypts them again when the migration is reversed."""
    from django.db import migrations

    def forwards(state_apps: Any, schema_editor: Any) -> None:
        encrypt_existing(state_apps.get_model(app_label, model_name), fields)

    def backwards(state_apps: Any, schema_editor: Any) -> None:
        decrypt_existing(state_apps.get_model(app_label, model_name), fields)

    return migrations.RunPython(forwards, backwards, elidable=False)
