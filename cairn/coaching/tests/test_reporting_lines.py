"""Reporting lines start and close manager one-on-ones by themselves, as the org
admin adds and edits people (coaching listens to people's signals)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from cairn.coaching.models import Engagement, EngagementKind, EngagementStatus
from cairn.coaching.tests.factories import one_on_one
from cairn.people.models import Person
from cairn.testing import Cast, client_for

MANAGE = reverse("people:manage")
PERSON_NEW = reverse("people:person-new")
GOOD_PASSWORD = "granite-path-marker-71"


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
        "password": GOOD_PASSWORD,
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
    if person.user.is_active:
        data["is_active"] = "on"
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def test_setting_a_manager_on_a_new_person_starts_a_one_on_one(cast: Cast) -> None:
    client_for(cast.admin).post(PERSON_NEW, new_person_data(manager=cast.manager.code))
    sam = Person.objects.get(user__username="sam")
    assert one_on_one(cast.manager, sam).kind == EngagementKind.ONE_ON_ONE


def test_new_person_without_manager_has_no_one_on_one(cast: Cast) -> None:
    client_for(cast.admin).post(PERSON_NEW, new_person_data())
    sam = Person.objects.get(user__username="sam")
    assert sam.manager is None
    assert not Engagement.objects.filter(receiver=sam).exists()


def test_changing_the_manager_closes_the_old_one_on_one_and_starts_a_new(cast: Cast) -> None:
    old = one_on_one(cast.manager, cast.report)
    client_for(cast.admin).post(
        edit_url(cast.report), edit_data(cast.report, manager=cast.director.code)
    )
    old.refresh_from_db()
    assert old.status == EngagementStatus.CLOSED
    assert one_on_one(cast.director, cast.report).kind == EngagementKind.ONE_ON_ONE


def test_removing_the_manager_closes_the_one_on_one(cast: Cast) -> None:
    old = one_on_one(cast.manager, cast.report)
    client_for(cast.admin).post(edit_url(cast.report), edit_data(cast.report, manager=""))
    old.refresh_from_db()
    assert old.status == EngagementStatus.CLOSED
    cast.report.refresh_from_db()
    assert cast.report.manager is None


def test_saving_without_changing_the_manager_keeps_the_one_on_one(cast: Cast) -> None:
    old = one_on_one(cast.manager, cast.report)
    client_for(cast.admin).post(edit_url(cast.report), edit_data(cast.report, title="Lead"))
    old.refresh_from_db()
    assert old.status == EngagementStatus.ACTIVE
    assert Engagement.objects.filter(receiver=cast.report).count() == 1
