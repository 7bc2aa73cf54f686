"""Versions and conflicts: a save never silently overwrites a change it did not see.

A thing two people (or one person in two tabs) can edit carries a version:

- **The model** has ``version = version_field()`` (a ``PositiveIntegerField``,
  starting at 1), or an existing counter that every change moves on (an agreement's
  version ``number``).
- **The edit form** mixes in ``VersionedForm``: a hidden ``version`` field, the
  version the form was opened at. Nothing else of it shows where no conflict happens.
- **The service** takes ``opened`` (that version) and writes only if the row is still
  at it, inside its transaction: ``save_if_current(instance, opened, fields)`` is one
  ``UPDATE … WHERE pk = … AND version = opened`` that also moves the version on; a
  service that must read before it writes locks the row (``select_for_update``) and
  calls ``check_current(current_version, opened, current=…)``. Either raises
  ``Conflict`` — carrying the thing as it is saved now — and writes nothing.
- **The view** catches ``Conflict`` and answers ``conflict_answer(...)``: **409**
  with its own edit page, where the form holds what the person typed (nothing is
  lost) re-opened at the current version, and ``lib/_conflict.html`` beside it shows
  the saved version read-only, with who and when where the model knows. Saving again
  replaces theirs knowingly; leaving keeps theirs. For htmx the answer is the page's
  partial, swapped in place (``base.html``'s htmx configuration swaps 409s).

The 409 page is the edit page the person was already allowed to open, built by the
same view after the same access helper: it shows nothing they could not read before.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Self

from django import forms
from django.db import models
from django.db.models import F
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render

from cairn.lib.htmx import respond

VERSION = "version"
CONFLICT_STATUS = 409
STALE = (
    "This page was opened at an earlier version than the one saved now. "
    "Reload the page, then make your change again."
)


def version_field() -> models.PositiveIntegerField[int, int]:
    """The model field: 1 when created, one more at every save through a service."""
    return models.PositiveIntegerField(
        default=1, editable=False, help_text="Moves on at every save; see cairn.lib.versions."
    )


@dataclass
class Conflict(Exception):
    """The save was made against ``opened`` but the thing is at ``current_version``
    now. ``current`` is the thing as saved now (fresh from the database); ``by`` and
    ``at`` say who saved it and when, where the model knows."""

    current: Any
    opened: int
    current_version: int
    by: Any = None
    at: dt.datetime | None = None

    def __str__(self) -> str:
        # Ids only: a conflict is logged, and logs never carry content.
        return (
            f"Conflict on {type(self.current).__name__} {getattr(self.current, 'pk', None)}: "
            f"opened at {self.opened}, now at {self.current_version}"
        )


def check_current(
    current_version: int, opened: int, *, current: Any, by: Any = None, at: Any = None
) -> None:
    """For a service that locked the row and read it: ``Conflict`` unless the
    version it holds is the one the form was opened at."""
    if current_version != opened:
        raise Conflict(
            current=current, opened=opened, current_version=current_version, by=by, at=at
        )


def save_if_current(instance: models.Model, opened: int | None, fields: Iterable[str]) -> None:
    """Write ``fields`` of ``instance`` only if its row is still at version
    ``opened``, moving the version on, in one statement; ``Conflict`` (nothing
    written) otherwise. Call it inside the service's transaction. On success the
    instance holds the new version.

    ``opened=None`` writes whatever the version (and still moves it on): for callers
    that edit no form a person opened earlier, such as the demo or an import."""
    model = type(instance)
    values = {name: getattr(instance, name) for name in fields}
    rows = model._default_manager.filter(pk=instance.pk)
    if opened is not None:
        rows = rows.filter(version=opened)
    updated = rows.update(**values, version=F(VERSION) + 1)
    if not updated:
        current = model._default_manager.get(pk=instance.pk)
        raise Conflict(
            current=current, opened=opened or 0, current_version=getattr(current, VERSION)
        )
    # Without ``opened``, one more than the instance held: what it is unless another
    # save came in between, which such callers do not care about.
    base = opened if opened is not None else getattr(instance, VERSION)
    setattr(instance, VERSION, base + 1)


class VersionedForm(forms.Form):
    """A form that carries the version it was opened at, hidden.

    Open it with ``initial={..., "version": thing.version}``; after a ``Conflict``,
    ``reopened(conflict)`` is the same input bound again at the current version."""

    # Not required: every form the pages render carries it, and a post without one
    # (a script, a test that posts only the fields it is about) saves as it did
    # before versions. A version that is there but garbled is refused.
    version = forms.IntegerField(
        widget=forms.HiddenInput,
        required=False,
        min_value=0,
        max_value=2_147_483_647,
        error_messages={
            "required": STALE,
            "invalid": STALE,
            "min_value": STALE,
            "max_value": STALE,
        },
    )

    @property
    def opened(self) -> int | None:
        """The version the form was opened at; ``None`` when the post carried none."""
        value = self.cleaned_data.get(VERSION)
        return None if value is None else int(value)

    def reopened(self, conflict: Conflict, **kwargs: Any) -> Self:
        """What the person typed, bound again at the version saved now: saving it
        replaces the saved version knowingly. Keyword arguments go to the form's
        constructor (those it needs besides the data)."""
        if isinstance(self.data, QueryDict):
            data = self.data.copy()
        else:
            data = QueryDict(mutable=True)
            for name, value in self.data.items():
                data[name] = value
        data[self.add_prefix(VERSION)] = str(conflict.current_version)
        return type(self)(data, **kwargs)

    def version_errors(self) -> bool:
        return VERSION in self.errors


@dataclass
class Side:
    """The saved version, as rows of (label, value in words), for ``_conflict.html``."""

    rows: list[tuple[str, str]] = field(default_factory=list)
    version: int = 0
    by: Any = None
    at: dt.datetime | None = None


def _words(form_field: forms.Field | None, value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(form_field, forms.ChoiceField):
        choices = {str(k): str(v) for k, v in form_field.choices}  # type: ignore[misc,union-attr]
        return choices.get(str(value), str(value))
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def theirs(
    conflict: Conflict,
    form: forms.Form,
    values: Mapping[str, Any] | Callable[[Any], Mapping[str, Any]],
) -> Side:
    """The saved version beside the form: for each of the form's fields named in
    ``values`` (a mapping, or a function of ``conflict.current`` giving one), its
    label and the saved value in words."""
    saved = values(conflict.current) if callable(values) else values
    rows = [
        (str(form.fields[name].label or name), _words(form.fields.get(name), value))
        for name, value in saved.items()
    ]
    return Side(rows=rows, version=conflict.current_version, by=conflict.by, at=conflict.at)


def conflict_answer(
    request: HttpRequest,
    *,
    template: str,
    context: dict[str, Any],
    partial: str = "",
    target: str = "",
) -> HttpResponse:
    """409: the edit page again, with the person's input in the (re-opened) form and
    ``context["conflict"]`` (a ``Side``) shown by ``lib/_conflict.html``. htmx gets
    ``partial`` swapped over ``target`` (a CSS selector), whatever the request
    aimed at; a browser (or htmx, without a partial) the whole page."""

    def whole() -> HttpResponse:
        return render(request, template, context, status=CONFLICT_STATUS)

    def part() -> HttpResponse:
        if not partial:
            return whole()
        response = render(request, f"{template}#{partial}", context, status=CONFLICT_STATUS)
        if target:
            response["HX-Retarget"] = target
            response["HX-Reswap"] = "outerHTML"
        return response

    return respond(request, htmx=part, browser=whole)
