"""The leaders' insights: the organisation (or a manager's subtree, or a team within
either), a mentoring program, and developing others. Counts only (see
``organisation.py``, ``programs.py``, ``developing.py``); GET only; each answers the
CSV of one of its tables when ``?csv=<id>`` asks for it.

Who sees what:

===========================  ===========================================================
``/insights/organisation/``  org admins and program admins: the organisation; managers:
                             the people under them (direct and indirect). A ``team``
                             filter among the teams they may see (404 for another).
``/insights/programs/<p>/``  program admins of the program's organisation.
``/insights/developing-      org admins and program admins: the organisation; managers:
others/``                    the people under them.
===========================  ===========================================================

Everyone else — HR, a person with nobody under them, another organisation — gets a
404, as if the page did not exist; an account with no person gets no data."""

from __future__ import annotations

import uuid
from typing import Any

from django.core.paginator import EmptyPage, PageNotAnInteger
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from cairn.insights import developing, programs
from cairn.insights.counted import Counted, counted
from cairn.insights.figures import Table, csv_or_none
from cairn.insights.policy import leader_reach, may_see_program
from cairn.mentoring.models import Program
from cairn.people.decorators import PersonRequest, person_required
from cairn.people.models import Person, Team

# The most teams a search of the team filter lists (the filter is a search, never a
# list of every team of the organisation).
TEAMS_SHOWN = 20


def _bad_input(request: PersonRequest, message: str) -> HttpResponse:
    return render(request, "insights/organisation_bad_input.html", {"message": message}, status=422)


@require_GET
@person_required
def organisation_page(request: PersonRequest) -> HttpResponse:
    me = request.person
    allowed, under = leader_reach(me)
    if not allowed:
        raise Http404
    teams = Team.objects.filter(organisation_id=me.organisation_id)
    if under is not None:
        teams = teams.filter(members__in=Person.objects.under(under).values("pk")).distinct()
    team = None
    raw = request.GET.get("team", "")
    if raw:
        try:
            code = uuid.UUID(raw)
        except ValueError:
            return _bad_input(request, "There is no team like that: choose one from the list.")
        team = teams.filter(code=code).first()
        if team is None:
            raise Http404
    kept: Counted[list[Table]] = counted(
        "organisation",
        me.organisation_id,
        under.pk if under else None,
        team.pk if team else None,
    )
    tables = kept.figures
    csv = csv_or_none(request, tables)
    if csv is not None:
        return csv
    team_q = request.GET.get("team_q", "").strip()[:100]
    found_teams = (
        list(
            teams.filter(name__icontains=team_q)
            .order_by("name")
            .values("code", "name")[: TEAMS_SHOWN + 1]
        )
        if team_q
        else []
    )
    context: dict[str, Any] = {
        "tables": tables,
        "team_q": team_q,
        "found_teams": found_teams[:TEAMS_SHOWN],
        "more_teams": len(found_teams) > TEAMS_SHOWN,
        "team": team,
        "whole_organisation": under is None,
        "counted": kept,
    }
    return render(request, "insights/organisation.html", context)


@require_GET
@person_required
def program_page(request: PersonRequest, slug: str) -> HttpResponse:
    me = request.person
    if not may_see_program(me):
        raise Http404
    program = Program.objects.filter(organisation_id=me.organisation_id, slug=slug).first()
    if program is None:
        raise Http404
    tables = programs.program_tables(program, timezone.now())
    csv = csv_or_none(request, tables)
    if csv is not None:
        return csv
    return render(request, "insights/programs.html", {"tables": tables, "program": program})


@require_GET
@person_required
def developing_others(request: PersonRequest) -> HttpResponse:
    me = request.person
    allowed, under = leader_reach(me)
    if not allowed:
        raise Http404
    kept: Counted[list[developing.Recognised]] = counted(
        "developing", me.organisation_id, under.pk if under else None
    )
    try:
        table, page = developing.recognised_page(kept.figures, request.GET.get("page", 1))
    except PageNotAnInteger:
        return _bad_input(request, "There is no page like that: pages are numbered 1, 2, 3…")
    except EmptyPage as error:
        raise Http404 from error
    csv = csv_or_none(request, [table])
    if csv is not None:
        return csv
    return render(
        request,
        "insights/developing.html",
        {"tables": [table], "page": page, "rule": developing.RULE, "counted": kept},
    )
