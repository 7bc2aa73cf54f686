"""Sharing the plan chooses the reader with the people picker: the plan page lists the
people the owner works with, never the whole organisation; a search finds anyone
else of it (and nobody outside it); the share goes to whoever was chosen."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cairn.growth.models import PlanAction, PlanShare
from cairn.growth.tests.factories import Growth
from cairn.people.models import Person
from cairn.testing import Cast, client_for, count_queries, html, make_person


def share_select(page: str) -> str:
    start = page.index('name="person"')
    return page[start : page.index("</select>", start)]


def test_the_plan_page_lists_whom_i_work_with_not_the_organisation(cast: Cast) -> None:
    for n in range(40):
        make_person(cast.org, f"Someone Else {n}")
    select = share_select(html(client_for(cast.report).get(reverse("growth:plan"))))
    assert "Maria Manager" in select
    assert "Someone Else" not in select


def test_a_search_finds_anyone_of_my_organisation_to_share_with(cast: Cast) -> None:
    client = client_for(cast.report)
    page = html(client.get(reverse("growth:plan"), {"person_q": "cody"}))
    assert f'value="{cast.coach.code}"' in share_select(page)
    assert '<form id="person-search" method="get"' in page

    response = client.post(reverse("growth:share-add"), {"person": str(cast.coach.code)})

    assert response.status_code == 302
    assert PlanShare.objects.filter(owner=cast.report, shared_with=cast.coach).exists()


@pytest.mark.parametrize("code", ["outsider", "junk"])
def test_nobody_outside_my_organisation_can_be_chosen(cast: Cast, code: str) -> None:
    client = client_for(cast.report)
    assert "Olga Outsider" not in html(client.get(reverse("growth:plan"), {"person_q": "Olga"}))
    value = str(cast.outsider.code) if code == "outsider" else "not-a-code"
    response = client.post(reverse("growth:share-add"), {"person": value})
    assert response.status_code == 422
    assert "Choose someone from your organisation." in html(response)
    assert not PlanShare.objects.exists()


def test_the_plan_page_costs_the_same_with_few_people_or_many(cast: Cast) -> None:
    client = client_for(cast.report)
    url = reverse("growth:plan") + "?person_q=else"
    make_person(cast.org, "Someone Else 0")
    client.get(url)
    few = count_queries(lambda: client.get(url))
    for n in range(1, 60):
        make_person(cast.org, f"Someone Else {n}", manager=cast.report)
    many = count_queries(lambda: client.get(url))
    assert few == many


# --- the owner of a plan's action: the same picker -----------------------------------


def owner_select(page: str) -> str:
    start = page.index('name="owner"')
    return page[start : page.index("</select>", start)]


def test_an_actions_owner_is_chosen_among_whom_i_work_with_or_found_by_name(
    growth: Growth,
) -> None:
    cast = growth.cast
    for n in range(40):
        make_person(cast.org, f"Someone Else {n}")
    client = client_for(growth.owner)
    url = reverse("growth:objective", args=[growth.objective.code])

    select = owner_select(html(client.get(url)))
    assert f'<option value="{growth.owner.code}" selected>Me</option>' in select
    assert "Someone Else" not in select

    found = owner_select(html(client.get(url, {"owner_q": "Someone Else 7"})))
    chosen = Person.objects.get(name="Someone Else 7")
    assert f'value="{chosen.code}"' in found
    response = client.post(
        reverse("growth:action-add", args=[growth.objective.code]),
        {"owner": str(chosen.code), "description": "Pair on the runbook", "due_on": "2030-01-10"},
    )
    assert response.status_code == 302
    assert PlanAction.objects.get(description="Pair on the runbook").owner == chosen


def test_an_actions_owner_outside_my_organisation_is_refused(growth: Growth) -> None:
    response = client_for(growth.owner).post(
        reverse("growth:action-add", args=[growth.objective.code]),
        {
            "owner": str(growth.cast.outsider.code),
            "description": "Pair on the runbook",
            "due_on": "2030-01-10",
        },
    )
    assert response.status_code == 422
    assert "Choose someone from your organisation." in html(response)
    assert not PlanAction.objects.filter(description="Pair on the runbook").exists()
