"""The grant form chooses the person with the people picker: an org admin may grant
to anyone of the organisation, but the form lists only the people they work with and
finds anyone else by name, on the server."""

from __future__ import annotations

from django.urls import reverse

from cairn.mastery.models import Grant, Level
from cairn.people.models import Person
from cairn.testing import Cast, client_for, count_queries, html, make_person


def person_select(page: str) -> str:
    start = page.index('name="person"')
    return page[start : page.index("</select>", start)]


def test_an_org_admins_grant_form_lists_whom_they_work_with_not_the_organisation(
    cast: Cast,
) -> None:
    for n in range(40):
        make_person(cast.org, f"Someone Else {n}")
    client = client_for(cast.admin)
    select = person_select(html(client.get(reverse("mastery:grant"))))
    assert "Someone Else" not in select
    assert "Olga Outsider" not in select

    found = person_select(html(client.get(reverse("mastery:grant"), {"person_q": "Else 12"})))
    chosen = Person.objects.get(name="Someone Else 12")
    assert f'value="{chosen.code}"' in found

    level = Level.objects.get(ladder__slug="library", slug="publisher")
    response = client.post(
        reverse("mastery:grant"),
        {"person": str(chosen.code), "level": level.code, "evidence": "Three stories"},
    )
    assert response.status_code == 302
    assert Grant.objects.get(person=chosen).level == level


def test_someone_of_another_organisation_cannot_be_granted_a_level(cast: Cast) -> None:
    level = Level.objects.get(ladder__slug="library", slug="publisher")
    response = client_for(cast.admin).post(
        reverse("mastery:grant"),
        {"person": str(cast.outsider.code), "level": level.code, "evidence": "Three stories"},
    )
    assert response.status_code == 422
    assert "Choose one of the people listed." in html(response)
    assert not Grant.objects.filter(person=cast.outsider).exists()


def test_the_grant_form_costs_the_same_with_few_people_or_many(cast: Cast) -> None:
    client = client_for(cast.admin)
    url = reverse("mastery:grant") + "?person_q=else"
    make_person(cast.org, "Someone Else 0")
    client.get(url)
    few = count_queries(lambda: client.get(url))
    for n in range(1, 60):
        make_person(cast.org, f"Someone Else {n}")
    assert count_queries(lambda: client.get(url)) == few
