"""What the leaders' pages keep (``counted.py``), each counted from ids alone — the
organisation, the person a scope hangs under, the team, the page of a table — so
that a page and the worker that counts it again (``tasks.recount``) count the same
figures by the same code. Each returns tables already suppressed and guarded for
its scope; who may see the scope is the view's to decide, before anything here runs.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

from django.utils import timezone

from cairn.insights import developing, organisation, programs, tables
from cairn.insights.counts import Window
from cairn.insights.figures import Row, Table
from cairn.people.models import Person, Team


def hidden(table: Table) -> Table:
    """Every figure of ``table`` suppressed (a team too small to show beside the
    others)."""
    rows = [Row(row.label, [cell.suppress() for cell in row.cells]) for row in table.rows]
    return dataclasses.replace(table, rows=rows)


def _require(person_id: int | None) -> None:
    """``Person.DoesNotExist`` if the person a scope hangs under is gone."""
    if person_id is not None and not Person.objects.filter(pk=person_id).exists():
        raise Person.DoesNotExist(person_id)


def organisation_tables(
    organisation_id: int, under_id: int | None, team_id: int | None
) -> list[Table]:
    """The organisation page: the whole organisation (``under_id`` None) or everyone
    under one person, or a team within either."""
    _require(under_id)
    now = timezone.now()
    whole = organisation.make_scope(
        organisation_id,
        under=under_id,
        team=None,
        label="the whole organisation" if under_id is None else "the people who report to you",
    )
    if team_id is None:
        sessions, active = organisation.direction_tables(whole, now)
        cadence = organisation.scope_cadence(whole, now)
        return [
            organisation.summary_table(whole, organisation.quarter(whole, now, cadence.total)),
            sessions,
            active,
            organisation.team_table(whole, now, cadence),
            programs.participation_table(whole, now),
        ]
    team = Team.objects.get(pk=team_id, organisation_id=organisation_id)
    scope = organisation.make_scope(organisation_id, under=under_id, team=team, label=team.name)
    sessions, active = organisation.direction_tables(scope, now, by_direction=False)
    shown = [
        organisation.summary_table(scope, organisation.quarter(scope, now)),
        sessions,
        active,
    ]
    if team.pk not in organisation.shown_teams(whole):
        shown = [hidden(table) for table in shown]
    return shown


def developing_rows(organisation_id: int, under_id: int | None) -> list[developing.Recognised]:
    """Developing others: the givers who meet the rule, in the organisation or under
    one person."""
    _require(under_id)
    scope = organisation.make_scope(organisation_id, under=under_id, team=None, label="")
    return developing.recognised(scope, timezone.now())


def team_tables(
    person_id: int, lines_page: int, coverage_page: int
) -> tuple[tables.Fairness, list[Table]]:
    """A manager's team page, with the pages of its two long tables."""
    person = Person.objects.select_related("organisation").get(pk=person_id)
    window = Window.quarter()
    fairness = tables.fairness(person, window)
    return fairness, [
        tables.my_engagements_with_reports(person, window),
        fairness.table,
        tables.line_managers_table(person, window, lines_page),
        tables.plan_coverage(person, coverage_page),
    ]


# The page's name in a kept key → what counts it, from the key's ids in order.
COUNTERS: dict[str, Callable[..., Any]] = {
    "organisation": organisation_tables,
    "developing": developing_rows,
    "team": team_tables,
}
