"""Reporting lines start and close manager one-on-ones by themselves, as the org
admin adds and edits people (coaching listens to people's signals)."""

from __future__ import annotations

from django.urls import reverse

from cairn.coaching.models import Engagement, EngagementKind, EngagementStatus
from cairn.coaching.tests.factories import one_on_one
from cairn.people.models import Person
from cairn.people.tests.factories import edit_data, edit_url, new_person_data
from cairn.testing import Cast, client_for

MANAGE = reverse("people:manage")
PERSON_NEW = reverse("people:person-new")


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
