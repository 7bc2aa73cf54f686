"""The insights pages: whether a coaching culture is taking root, from counts, never
from content (see figures.py for how a figure is suppressed and a table shown).

GET only. Each page builds its tables, then answers the CSV of one of them when
``?csv=<id>`` asks for it, or the page."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from cairn.insights.figures import Table, csv_or_none
from cairn.people.decorators import PersonRequest, person_required


@require_GET
@person_required
def me(request: PersonRequest) -> HttpResponse:
    """A person's own insights: their figures, shown to them alone."""
    tables: list[Table] = []
    csv = csv_or_none(request, tables)
    if csv is not None:
        return csv
    return render(request, "insights/me.html", {"tables": tables})
