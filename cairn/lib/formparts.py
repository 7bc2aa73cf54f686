"""Forms composed from other apps' parts: the one-way door for writes.

``cairn.lib.panels`` lets a higher app *show* something on a lower app's page; a
form part lets it *ask* for something in a lower app's form and keep the answer
itself. Coaching's action-item form is coaching's, but "this item belongs to my
objective" is growth's to offer and to store; the debrief is coaching's, but "which
behaviours changed" is mastery's.

The lower app names the form (``"coaching.action_item"``) and builds it as an
``ExtensibleForm``; the higher app registers a part from its ``forms.py`` or
``panels.py`` (imported by its ``AppConfig.ready``)::

    @form_part("coaching.action_item")
    class ObjectiveOfItem(FormPart):
        def fields(self, viewer, **subject): ...   # {name: forms.Field}
        def initial(self, viewer, instance): ...   # {name: value} when editing
        def save(self, viewer, instance, data): ... # store data[name] its own way

A part applies its own policy in ``fields`` (it offers only what the viewer may
choose, so a forged value is the field's own "not one of the choices" error), and
the view calls ``form.save_parts(instance)`` inside the transaction that saved the
instance, so nothing is saved half-way. Field names must be unique across the form
and its parts (building the form raises if two collide).

``viewer`` is the signed-in ``Person``; it is typed ``Any`` here because ``lib``
sits below ``people``.

Forms in use (keep this list current):

======================== ======================== ==================================
form                     subject (kwargs)         parts
======================== ======================== ==================================
``coaching.action_item`` engagement               growth: "Towards objective", one of
                                                  the receiver's open objectives both
                                                  parties read (``ObjectiveActionItem``)
``coaching.debrief``     engagement               mastery: behaviours that changed
======================== ======================== ==================================
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Any

from django import forms
from django.db.models import Model


class FormPart:
    """One higher app's fields in a lower app's form. Override what you need."""

    def fields(self, viewer: Any, **subject: Any) -> dict[str, forms.Field]:
        """The fields to add for this viewer and subject; none to add nothing."""
        return {}

    def initial(self, viewer: Any, instance: Model) -> dict[str, Any]:
        """The fields' values for an instance being edited."""
        return {}

    def save(self, viewer: Any, instance: Model, data: dict[str, Any]) -> None:
        """Keep the cleaned values (``data`` holds this part's fields only)."""


_registry: defaultdict[str, list[FormPart]] = defaultdict(list)


def form_part(form: str) -> Callable[[type[FormPart]], type[FormPart]]:
    """Register the decorated ``FormPart`` subclass as a part of ``form``."""

    def register(cls: type[FormPart]) -> type[FormPart]:
        parts = _registry[form]
        # AppConfig.ready can run twice (tests that reload apps): register once.
        if not any(type(p) is cls for p in parts):
            parts.append(cls())
        return cls

    return register


def parts_of(form: str) -> tuple[FormPart, ...]:
    return tuple(_registry.get(form, ()))


class ExtensibleForm(forms.Form):
    """A form other apps may add fields to. Subclasses set ``part_name`` and pass
    ``viewer`` (and the subject, and ``instance`` when editing) to ``__init__``."""

    part_name = ""

    def __init__(
        self,
        *args: Any,
        viewer: Any,
        instance: Model | None = None,
        subject: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self._part_fields: list[tuple[FormPart, list[str]]] = []
        self._viewer = viewer
        for part in parts_of(self.part_name):
            added = part.fields(viewer, **(subject or {}))
            for name, field in added.items():
                if name in self.fields:
                    raise ValueError(
                        f"{type(part).__name__} adds {name!r} twice to {self.part_name}"
                    )
                self.fields[name] = field
            if added and instance is not None and not self.is_bound:
                for name, value in part.initial(viewer, instance).items():
                    if name in added:
                        self.initial[name] = value
            self._part_fields.append((part, list(added)))

    @property
    def part_fields(self) -> list[forms.BoundField]:
        """The other apps' fields, for the template to render after its own."""
        return [self[name] for _, names in self._part_fields for name in names]

    def save_parts(self, instance: Model) -> None:
        """Hand each part its cleaned values. Call inside the saving transaction."""
        for part, names in self._part_fields:
            if names:
                part.save(self._viewer, instance, {n: self.cleaned_data.get(n) for n in names})
