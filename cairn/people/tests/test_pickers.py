"""People pickers: the search endpoint (``/people/pick/?q=``) and the manager picker
of the org admin's person forms — the people you work with first, anyone else of your
organisation by a search on the server, never the whole organisation. (The picker on
the new-engagement form: ``cairn/coaching/tests/test_person_picker.py``.)"""

from __future__ import annotations

import json

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from cairn.people.models import Person
from cairn.people.pickers import SEARCH_LIMIT
from cairn.testing import Cast, client_for, count_queries, html, make_person
from cairn.testing.cast import ROLES

PICK = "people:pick"


def pick(client: Client, q: str | None) -> tuple[int, list[dict[str, str]]]:
    response = client.get(reverse(PICK), {} if q is None else {"q": q})
    body = response.content.decode()
    if response.status_code != 200:
        return response.status_code, []
    assert response["Content-Type"] == "application/json"
    return 200, json.loads(body)["results"]


def names(results: list[dict[str, str]]) -> set[str]:
    return {r["name"] for r in results}


@pytest.fixture
def inactive(cast: Cast) -> Person:
    person = make_person(cast.org, "Olivia Gone")
    person.user.is_active = False
    person.user.save(update_fields=["is_active"])
    return person


# --- the search endpoint: privacy -----------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_search_finds_only_active_people_of_my_organisation(
    cast: Cast, inactive: Person, role: str
) -> None:
    viewer = cast.everyone()[role]
    # "ol" is in Olga Outsider (the other organisation), Olivia Gone (inactive) and
    # Nicola Olsen; in no other name of Acme.
    make_person(cast.org, "Nicola Olsen", title="Designer")
    status, results = pick(client_for(viewer), "ol")
    assert status == 200
    if role == "outsider":
        assert names(results) == {"Olga Outsider"}
    else:
        assert names(results) == {"Nicola Olsen"}
    assert "Olivia Gone" not in names(results)


@pytest.mark.parametrize("role", [r for r in ROLES if r != "outsider"])
def test_nobody_of_the_other_organisation_is_ever_found(cast: Cast, role: str) -> None:
    make_person(cast.outsider.organisation, "Riley Elsewhere")
    client = client_for(cast.everyone()[role])
    for q in ("Riley", "Elsewhere", "Olga", "Outsider", "e"):
        status, results = pick(client, q)
        assert status == 200
        assert not {"Riley Elsewhere", "Olga Outsider"} & names(results), q


def test_hr_and_an_org_admin_find_what_anyone_of_the_organisation_finds(cast: Cast) -> None:
    found = {role: names(pick(client_for(getattr(cast, role)), "er")[1]) for role in ROLES}
    assert found["hr"] == found["peer"] == found["admin"] == found["coach"]
    assert "Olga Outsider" not in found["hr"]


def test_a_superuser_without_a_person_finds_nobody(cast: Cast) -> None:
    user = get_user_model().objects.create_superuser("root", "root@example.org", "pw-4-tests-42")
    client = Client()
    client.force_login(user)
    response = client.get(reverse(PICK), {"q": "Riley"})
    assert response.status_code == 403
    assert "Riley" not in html(response)


def test_a_superuser_who_is_a_person_finds_only_their_own_organisation(cast: Cast) -> None:
    cast.peer.user.is_superuser = True
    cast.peer.user.is_staff = True
    cast.peer.user.save()
    _, results = pick(client_for(cast.peer), "Olga")
    assert results == []


def test_anonymous_visitors_are_sent_to_log_in(cast: Cast) -> None:
    response = Client().get(reverse(PICK), {"q": "Riley"})
    assert response.status_code == 302
    assert "Riley" not in response.content.decode()


# --- the search endpoint: what it answers ---------------------------------------------


def test_search_answers_name_code_and_job_title(cast: Cast) -> None:
    _, results = pick(client_for(cast.report), "Cody")
    assert results == [
        {"code": str(cast.coach.code), "name": "Cody Coach", "hint": "Staff Engineer"}
    ]


def test_search_is_case_insensitive_and_matches_inside_names(cast: Cast) -> None:
    assert names(pick(client_for(cast.report), "MANAG")[1]) == {"Maria Manager"}


def test_search_lists_people_i_work_with_first_and_at_most_ten(cast: Cast) -> None:
    for n in range(SEARCH_LIMIT + 5):
        make_person(cast.org, f"Alex Many {n:02}")
    make_person(cast.org, "Zed Many Report", manager=cast.report)

    _, results = pick(client_for(cast.report), "many")

    assert len(results) == SEARCH_LIMIT
    assert results[0]["name"] == "Zed Many Report"
    assert [r["name"] for r in results[1:]] == [f"Alex Many {n:02}" for n in range(9)]


@pytest.mark.parametrize(
    "q",
    [None, "", "R", " R ", "x" * 1000, "%", "_", "' OR 1=1 --"],
)
def test_bad_searches_answer_an_empty_list_never_an_error(cast: Cast, q: str | None) -> None:
    status, results = pick(client_for(cast.report), q)
    assert status == 200
    assert results == []


def test_a_nul_byte_is_refused_with_a_message_not_an_error(cast: Cast) -> None:
    # cairn/lib/hostile.py answers before the view: PostgreSQL cannot search for it.
    response = client_for(cast.report).get(
        reverse(PICK), {"q": "Ri\x00ley"}, HTTP_ACCEPT="application/json"
    )
    assert response.status_code == 422
    assert response.json() == {
        "error": "Your input contains characters Cairn can't store: a NUL byte in “q”."
    }


def test_a_post_is_refused(cast: Cast) -> None:
    assert client_for(cast.report).post(reverse(PICK), {"q": "Riley"}).status_code == 405


def test_search_costs_the_same_with_one_match_or_fifty(cast: Cast) -> None:
    client = client_for(cast.report)
    make_person(cast.org, "Sam Match 0")
    client.get(reverse(PICK), {"q": "match"})
    one = count_queries(lambda: client.get(reverse(PICK), {"q": "match"}))
    for n in range(1, 50):
        make_person(cast.org, f"Sam Match {n}")
    fifty = count_queries(lambda: client.get(reverse(PICK), {"q": "match"}))
    assert len(pick(client, "match")[1]) == SEARCH_LIMIT
    assert one == fifty <= 4  # session, user, person, the search


def options_of(page: str, name: str) -> str:
    start = page.index(f'name="{name}"')
    return page[start : page.index("</select>", start)]


# --- the manager picker on the org admin's person form ---------------------------------


def test_the_manager_picker_shows_the_current_manager_and_searches(cast: Cast) -> None:
    for n in range(60):
        make_person(cast.org, f"Someone Else {n}")
    client = client_for(cast.admin)
    url = reverse("people:person-edit", args=[cast.report.code])

    select = options_of(html(client.get(url)), "manager")
    assert f'value="{cast.manager.code}" selected' in select
    assert "Someone Else" not in select

    found = options_of(html(client.get(url, {"manager_q": "else 5"})), "manager")
    assert "Someone Else 5" in found
    assert "Someone Else 6" not in found


def test_the_manager_picker_on_the_new_person_form_searches(cast: Cast) -> None:
    client = client_for(cast.admin)
    page = html(client.get(reverse("people:person-new"), {"manager_q": "Dana"}))
    assert "Dana Director · Director of Engineering" in options_of(page, "manager")
    assert '<form id="manager-search" method="get"' in page


def test_a_manager_from_another_organisation_is_refused(cast: Cast) -> None:
    client = client_for(cast.admin)
    url = reverse("people:person-edit", args=[cast.report.code])
    response = client.post(
        url,
        {
            "name": "Riley Report",
            "email": "riley@example.org",
            "manager": str(cast.outsider.code),
            "is_active": "on",
        },
    )
    assert response.status_code == 422
    assert "Choose a manager from the active people of your organisation." in html(response)
    cast.report.refresh_from_db()
    assert cast.report.manager == cast.manager
