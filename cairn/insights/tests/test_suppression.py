"""Suppression on the pages: a line manager's group figures at 4 and at 5 reports, and
two figures of one page that must not give away a group of fewer than five."""

from __future__ import annotations

import csv
import datetime as dt
import io

import time_machine
from django.test import Client

from cairn.coaching.models import EngagementKind
from cairn.coaching.tests.factories import make_engagement, one_on_one
from cairn.growth import services as growth
from cairn.insights.tests.world import CREATED, NOW, at, held
from cairn.people.models import Person
from cairn.testing import client_for, make_org, make_person

TEAM = "/insights/team/"
FEWER = "fewer than 5"


def line(reports: int) -> tuple[Person, Person, list[Person]]:
    """A director, a line manager under them, and ``reports`` reports of the line
    manager, all since CREATED; the first four met the line manager twice this
    quarter, a fifth never."""
    with time_machine.travel(CREATED, tick=False):
        org = make_org()
        director = make_person(org, "Dee Director")
        manager = make_person(org, "Mo Manager", manager=director)
        people = [make_person(org, f"Report {n}", manager=manager) for n in range(reports)]
    with time_machine.travel(NOW, tick=False):
        for person in people[:4]:
            for week in (0, 1):
                held(one_on_one(manager, person), at(4, 6) + dt.timedelta(weeks=week))
    return director, manager, people


def rows(client: Client, table_id: str) -> list[list[str]]:
    with time_machine.travel(NOW, tick=False):
        response = client.get(TEAM, {"csv": table_id})
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(response.content.decode())))[1:]


def test_four_reports_are_fewer_than_five(db: None) -> None:
    director, _, _ = line(4)
    assert rows(client_for(director), "line-managers") == [
        ["Mo Manager", "4", *[FEWER] * 6],
        ["All my indirect reports", "4", *[FEWER] * 6],
    ]


def test_five_reports_show(db: None) -> None:
    director, manager, people = line(5)
    # Five reports, four met (twice each): 8 one-on-ones. Weekly since January, each
    # expects 13 in the quarter: 8 / (5 * 13) = 12.3% -> 12%. No action items due: no
    # figure. Gini of 0, 2, 2, 2, 2: pairs 2 * (4 * 2) = 16 over 2 * 5 * 8 = 80 -> 0.20.
    assert rows(client_for(director), "line-managers") == [
        ["Mo Manager", "5", "4", "8", "12%", "0", "", "0.20"],
        ["All my indirect reports", "5", "4", "8", "12%", "0", "", ""],
    ]
    # The line manager sees their own Gini, and who is furthest from even: the report
    # never met (0% against 20%; the others are 25%).
    with time_machine.travel(NOW, tick=False):
        page = client_for(manager).get(TEAM).content.decode()
    assert '<span class="value">0.20</span>' in page
    assert f'<span class="value">{people[4].name}</span> furthest from an even share' in page


def test_two_figures_of_one_page_never_give_away_one_person(db: None) -> None:
    director, manager, people = line(5)
    # The line manager (the director's one direct report) and two of their five
    # reports have a development plan.
    for person in (manager, people[0], people[1]):
        growth.save_plan(person, dreams="Somewhere", become="")
    table = rows(client_for(director), "plan-coverage")
    # "My direct reports" is one person; shown beside the five reports' count, the
    # total (3) minus that count (2) would say whether the line manager has a plan.
    # So the five reports' figures are hidden too; the total of six shows.
    assert table == [
        ["My direct reports", "1", FEWER, FEWER, FEWER],
        ["Reports of Mo Manager", "5", FEWER, FEWER, FEWER],
        ["Everyone under me", "6", "3", "0", "0"],
    ]


def test_people_outside_the_scope_do_not_make_a_direction_large_enough(db: None) -> None:
    """A direction's figure describes the people of the scope who took part: five
    coaches from elsewhere in the organisation, each coaching one of Mo's two reports
    in April, are not five people of Mo's scope. Counted, they would show Mo the
    five sessions of his two reports."""
    with time_machine.travel(CREATED, tick=False):
        org = make_org()
        director = make_person(org, "Dee Director")
        manager = make_person(org, "Mo Manager", manager=director)
        reports = [make_person(org, f"Report {n}", manager=manager) for n in range(2)]
        coaches = [make_person(org, f"Coach {n}", manager=director) for n in range(5)]
        engagements = [
            make_engagement(coach, reports[n % 2], EngagementKind.COACHING)
            for n, coach in enumerate(coaches)
        ]
    with time_machine.travel(NOW, tick=False):
        for engagement in engagements:
            held(engagement, at(4, 7))
        response = client_for(manager).get(
            "/insights/organisation/", {"csv": "sessions-by-direction"}
        )
    assert response.status_code == 200
    months = {row[0]: row[1:] for row in csv.reader(io.StringIO(response.content.decode()))}
    assert months["Apr 2026"] == [FEWER] * 5
    # The director's scope holds the coaches: five givers, the five sessions show.
    with time_machine.travel(NOW, tick=False):
        response = client_for(director).get(
            "/insights/organisation/", {"csv": "sessions-by-direction"}
        )
    months = {row[0]: row[1:] for row in csv.reader(io.StringIO(response.content.decode()))}
    assert "5" in months["Apr 2026"]
