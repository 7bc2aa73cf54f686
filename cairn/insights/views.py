"""The insights pages: whether a coaching culture is taking root, from counts, never
from content (see figures.py for how a figure is suppressed and a table shown, and
counts.py for the queries).

GET only. Each page builds its tables, then answers the CSV of one of them when
``?csv=<id>`` asks for it, or the page.

==========================  =====================================================
``/insights/``              Anyone: their own figures, shown to them alone.
``/insights/team/``         Anyone with reports (HR excepted: the wall): their own
                            engagements with their reports, the fairness of their
                            attention, per line manager under them (group figures,
                            suppressed under five), plan coverage. 404 otherwise.
==========================  =====================================================
"""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from cairn.insights import policy, tables
from cairn.insights.counted import Counted, counted
from cairn.insights.counts import Window
from cairn.insights.figures import BadPage, Table, csv_or_none, page_number
from cairn.people.decorators import PersonRequest, person_required


def _answer(
    request: PersonRequest, template: str, shown: list[Table], context: dict[str, object]
) -> HttpResponse:
    csv = csv_or_none(request, shown)
    if csv is not None:
        return csv
    return render(request, template, {"tables": shown, **context})


@require_GET
@person_required
def me(request: PersonRequest) -> HttpResponse:
    """A person's own insights: their figures, shown to them alone."""
    person = request.person
    window = Window.quarter()
    shown = tables.my_tables(person, window)
    return _answer(
        request,
        "insights/me.html",
        shown,
        {"has_reports": policy.may_see_team(person)},
    )


@require_GET
@person_required
def team(request: PersonRequest) -> HttpResponse:
    """A manager's insights over their reports, direct and indirect."""
    person = request.person
    policy.require_team(person)
    try:
        lines_page = page_number(request, "lines")
        coverage_page = page_number(request, "coverage")
    except BadPage:
        return render(
            request,
            "insights/organisation_bad_input.html",
            {"message": "There is no page like that: pages are numbered 1, 2, 3…"},
            status=422,
        )

    # Over everyone under them: a year of one-on-ones at the top of a large tree.
    kept: Counted[tuple[tables.Fairness, list[Table]]] = counted(
        "team", person.pk, lines_page, coverage_page
    )
    fairness, shown = kept.figures
    return _answer(request, "insights/team.html", shown, {"fairness": fairness, "counted": kept})
