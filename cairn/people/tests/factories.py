"""Factories for people's tests (and the apps above that post people's forms)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from cairn.people.models import Person, Team
from cairn.testing import Cast, make_person

# A password that passes the validators, for the pages where people choose their own.
GOOD_PASSWORD = "granite-path-marker-71"


def person_url(person: Person) -> str:
    return reverse("people:person", args=[person.code])


def edit_url(person: Person) -> str:
    return reverse("people:person-edit", args=[person.code])


def new_person_data(**overrides: Any) -> dict[str, Any]:
    data = {
        "username": "sam",
        "name": "Sam Newcomer",
        "email": "sam@example.org",
        "title": "Engineer",
        "team": "",
        "manager": "",
    }
    data.update(overrides)
    return data


def edit_data(person: Person, **overrides: Any) -> dict[str, Any]:
    """What the edit form posts when nothing is changed."""
    data: dict[str, Any] = {
        "name": person.name,
        "email": person.user.email,
        "title": person.title,
        "team": person.team.code if person.team else "",
        "manager": person.manager.code if person.manager else "",
    }
    if person.is_org_admin:
        data["is_org_admin"] = "on"
    if person.is_program_admin:
        data["is_program_admin"] = "on"
    if person.is_hr:
        data["is_hr"] = "on"
    if person.user.is_active:
        data["is_active"] = "on"
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def add_reports(cast: Cast, count: int) -> None:
    """``count`` new reports of the cast's manager, in the Platform team."""
    team = Team.objects.get(organisation=cast.org, name="Platform")
    for _ in range(count):
        make_person(cast.org, manager=cast.manager, team=team)
