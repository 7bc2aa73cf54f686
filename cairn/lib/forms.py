"""Form pieces every app uses."""

from __future__ import annotations

from typing import Any, TypeVar

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Model

from cairn.lib.hostile import FIRST_YEAR, LAST_YEAR, moment_problem

_M = TypeVar("_M", bound=Model)


class InlineSelect(forms.Select):
    """A select whose options are written in its own template rather than one
    included template each (two, with their attributes): the same HTML, a fraction of
    the rendering on a long list (an objective's session choices)."""

    template_name = "lib/select.html"


class OpaqueChoiceField(forms.ModelChoiceField[_M]):
    """A choice of a row, posted by its opaque identifier (``code`` by default, or
    another unique field such as a slug), never by its sequential id.

    Anything that is not one of the listed choices — a row the viewer may not choose,
    or not an identifier at all — gets the field's own ``invalid_choice`` message
    rather than Django's "not a valid UUID"."""

    def __init__(self, queryset: Any, *, to_field_name: str = "code", **kwargs: Any) -> None:
        super().__init__(queryset, to_field_name=to_field_name, **kwargs)

    def to_python(self, value: Any) -> _M | None:
        try:
            return super().to_python(value)
        except ValidationError as error:
            raise ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            ) from error


def within_years(value: Any) -> None:
    """A form field's validator: a date, or a date and time, within the years Cairn
    keeps (``cairn.lib.hostile.YEARS``). Year 1 or 9999 with a time zone's offset
    overflows once converted to UTC; every date field takes this (or a narrower
    range of its own, such as coaching's ``plausible_year``)."""
    if value is not None and moment_problem(value):
        raise ValidationError(
            f"Choose a date between {FIRST_YEAR} and {LAST_YEAR}.", code="out_of_range"
        )
