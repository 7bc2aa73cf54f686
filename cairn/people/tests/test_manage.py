"""The org admin's pages: people and teams, managed from the app."""

from __future__ import annotations

from typing import Any

import pytest
from django.apps import apps
from django.test import Client
from django.urls import reverse

from cairn.people.models import Person, RoleGrant, Team, User
from cairn.people.tests.factories import GOOD_PASSWORD, edit_data, edit_url, new_person_data
from cairn.testing import PASSWORD, Cast, client_for, count_queries, html, make_person, make_team

MANAGE = reverse("people:manage")
PERSON_NEW = reverse("people:person-new")
TEAM_NEW = reverse("people:team-new")


def snapshot() -> dict[str, Any]:
    """Everything these pages can write, to prove a rejected post wrote nothing."""
    return {
        "users": sorted(User.objects.values_list("username", "email", "is_active")),
        "people": sorted(
            Person.objects.values_list(
                "name", "title", "team_id", "manager_id", "is_org_admin", "organisation_id"
            )
        ),
        "teams": sorted(Team.objects.values_list("organisation_id", "name")),
        # Whatever else a write might start (say, a manager one-on-one): every table
        # of Cairn's apps.
        "rows": {
            model._meta.label: model._default_manager.count()
            for model in apps.get_models()
            if model.__module__.startswith("cairn.")
        },
    }


def errors_of(response: Any, field: str | None = None) -> list[str]:
    form = response.context.get("form")
    if form is None:
        form = response.context["team_form"]
    if field is None:
        return list(form.non_field_errors())
    return list(form.errors.get(field, []))


# --- who may use the pages ---------------------------------------------------------


def test_admin_can_open_every_manage_page(cast: Cast) -> None:
    client = client_for(cast.admin)
    assert client.get(MANAGE).status_code == 200
    assert client.get(PERSON_NEW).status_code == 200
    assert client.get(edit_url(cast.report)).status_code == 200


@pytest.mark.parametrize("who", ["director", "manager", "report", "peer", "coach"])
def test_non_admin_cannot_open_manage_pages(cast: Cast, who: str) -> None:
    client = client_for(cast.everyone()[who])
    assert client.get(MANAGE).status_code == 404
    assert client.get(PERSON_NEW).status_code == 404
    assert client.get(edit_url(cast.report)).status_code == 404


def test_report_cannot_open_manage_page(cast: Cast) -> None:
    assert client_for(cast.report).get(MANAGE).status_code == 404


@pytest.mark.parametrize("who", ["director", "manager", "report", "peer", "coach"])
def test_non_admin_cannot_add_or_change_anything(cast: Cast, who: str) -> None:
    client = client_for(cast.everyone()[who])
    before = snapshot()
    assert client.post(PERSON_NEW, new_person_data()).status_code == 404
    assert client.post(TEAM_NEW, {"name": "Skunkworks"}).status_code == 404
    assert client.post(edit_url(cast.peer), edit_data(cast.peer, title="CTO")).status_code == 404
    assert snapshot() == before


def test_manager_cannot_promote_themselves_to_admin(cast: Cast) -> None:
    client = client_for(cast.manager)
    response = client.post(edit_url(cast.manager), edit_data(cast.manager, is_org_admin="on"))
    assert response.status_code == 404
    cast.manager.refresh_from_db()
    assert not cast.manager.is_org_admin


def test_anonymous_is_sent_to_log_in(db: None) -> None:
    for url in (MANAGE, PERSON_NEW, TEAM_NEW):
        response = Client().get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login") + "?next=")


def test_outsider_admin_cannot_see_people_of_another_organisation(cast: Cast) -> None:
    client = client_for(cast.outsider)
    response = client.get(MANAGE)
    assert response.status_code == 200
    page = response.content.decode()
    assert cast.outsider.name in page
    for person in (cast.admin, cast.manager, cast.report):
        assert person.name not in page
    assert "Platform" not in page
    assert list(client.get(MANAGE, {"q": "Riley"}).context["page"].object_list) == []


def test_outsider_admin_cannot_open_edit_page_of_another_organisation(cast: Cast) -> None:
    assert client_for(cast.outsider).get(edit_url(cast.report)).status_code == 404


def test_outsider_admin_cannot_edit_person_of_another_organisation(cast: Cast) -> None:
    before = snapshot()
    response = client_for(cast.outsider).post(
        edit_url(cast.report), edit_data(cast.report, name="Hijacked", is_active=None)
    )
    assert response.status_code == 404
    assert snapshot() == before


def test_team_new_answers_only_to_post(cast: Cast) -> None:
    assert client_for(cast.admin).get(TEAM_NEW).status_code == 405
    assert client_for(cast.report).get(TEAM_NEW).status_code == 404


# --- the manage page ---------------------------------------------------------------


def test_manage_page_lists_everyone_with_their_details(cast: Cast) -> None:
    cast.report.user.is_active = False
    cast.report.user.save()
    response = client_for(cast.admin).get(MANAGE)
    page = response.content.decode()
    for person in (cast.director, cast.manager, cast.report, cast.peer, cast.coach, cast.admin):
        assert person.name in page
        assert person.user.username in page
        assert edit_url(person) in page
    assert "Engineering Manager" in page
    assert "Platform" in page
    assert "Deactivated" in page
    assert PERSON_NEW in page
    assert TEAM_NEW in page


def test_manage_page_searches_by_name_and_username(cast: Cast) -> None:
    client = client_for(cast.admin)
    by_name = client.get(MANAGE, {"q": "riley"}).context["page"].object_list
    assert list(by_name) == [cast.report]
    by_username = client.get(MANAGE, {"q": cast.peer.user.username}).context["page"].object_list
    assert list(by_username) == [cast.peer]


def test_manage_page_says_what_to_do_when_nobody_matches(cast: Cast) -> None:
    page = client_for(cast.admin).get(MANAGE, {"q": "zzz"}).content.decode()
    assert "Nobody matches “zzz”" in page
    assert PERSON_NEW in page


def test_manage_page_says_what_to_do_when_there_are_no_teams(cast: Cast) -> None:
    page = client_for(cast.outsider).get(MANAGE).content.decode()
    assert "No teams yet. Add one below" in page


def test_manage_page_is_paginated(cast: Cast) -> None:
    for n in range(55):
        make_person(cast.org, f"Zed {n:02}")
    client = client_for(cast.admin)
    first = client.get(MANAGE)
    assert len(first.context["page"].object_list) == 50
    assert "Page 1 of 2" in first.content.decode()
    second = client.get(MANAGE, {"page": 2})
    assert len(second.context["page"].object_list) == 8 + 55 - 50  # the cast of eight, and 55 more


def _add_people(cast: Cast, count: int) -> None:
    team = Team.objects.get(organisation=cast.org, name="Platform")
    for _ in range(count):
        make_person(cast.org, manager=cast.manager, team=team)


def test_manage_page_queries_do_not_grow_with_people(cast: Cast) -> None:
    client = client_for(cast.admin)
    _add_people(cast, 1)
    make_team(cast.org)
    with_one = count_queries(lambda: client.get(MANAGE))
    _add_people(cast, 49)
    for _ in range(10):
        make_team(cast.org)
    with_fifty = count_queries(lambda: client.get(MANAGE))
    assert with_one == with_fifty
    assert with_fifty <= 7


def test_manage_pages_have_no_inline_scripts_or_styles(cast: Cast) -> None:
    client = client_for(cast.admin)
    for url in (MANAGE, PERSON_NEW, edit_url(cast.report)):
        page = client.get(url).content.decode()
        assert "style=" not in page
        assert "<script>" not in page
        assert " on" + "click=" not in page


# --- adding a person ---------------------------------------------------------------


def test_add_person_form_labels_every_field(cast: Cast) -> None:
    page = client_for(cast.admin).get(PERSON_NEW).content.decode()
    for field in ("username", "name", "email", "title", "team", "manager", "is_org_admin"):
        assert f'<label for="id_{field}">' in page
    # An org admin never sets or learns a password: the person chooses their own.
    assert 'name="password"' not in page
    assert "We email them a link to choose their own password" in page


def test_admin_adds_a_person_who_is_invited_to_choose_a_password(cast: Cast) -> None:
    team = Team.objects.get(organisation=cast.org, name="Platform")
    client = client_for(cast.admin)
    response = client.post(
        PERSON_NEW,
        new_person_data(team=team.code, manager=cast.manager.code, is_org_admin="on"),
        follow=True,
    )
    assert response.redirect_chain == [(MANAGE, 302)]
    assert "Added Sam Newcomer" in response.content.decode()
    assert "We emailed them at sam@example.org a link to choose their password" in (
        response.content.decode()
    )
    sam = Person.objects.get(user__username="sam")
    assert sam.organisation == cast.org
    assert (sam.name, sam.title, sam.team, sam.manager) == (
        "Sam Newcomer",
        "Engineer",
        team,
        cast.manager,
    )
    assert sam.is_org_admin
    assert sam.user.email == "sam@example.org"
    # Until they follow the invitation (test_accounts.py) no password opens the account.
    assert not sam.user.has_usable_password()
    assert not Client().login(username="sam", password=GOOD_PASSWORD)


def _rejected_add(cast: Cast, data: dict[str, Any], client: Client | None = None) -> Any:
    before = snapshot()
    response = (client or client_for(cast.admin)).post(PERSON_NEW, data)
    assert response.status_code == 422
    assert snapshot() == before
    return response


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("username", "", "Choose a username for them to log in with."),
        ("name", "", "Enter the person's name."),
        ("email", "", "Enter an email address, for reminders."),
        ("name", "x" * 121, "Ensure this value has at most 120 characters (it has 121)."),
        ("title", "x" * 121, "Ensure this value has at most 120 characters (it has 121)."),
        ("username", "u" * 151, "Ensure this value has at most 150 characters (it has 151)."),
        ("email", "sam-at-example.org", "Enter an email address like name@example.org."),
        ("username", "sam smith!", "Enter a valid username."),
    ],
)
def test_add_person_rejects_bad_input(cast: Cast, field: str, value: str, message: str) -> None:
    response = _rejected_add(cast, new_person_data(**{field: value}))
    assert any(error.startswith(message) for error in errors_of(response, field)), errors_of(
        response, field
    )
    assert message.split("(")[0].split("“")[0] in response.content.decode().replace("&#x27;", "'")


def test_add_person_with_nothing_filled_in_says_what_is_missing(cast: Cast) -> None:
    response = _rejected_add(cast, {})
    assert errors_of(response, "username") == ["Choose a username for them to log in with."]
    assert errors_of(response, "name") == ["Enter the person's name."]
    assert errors_of(response, "email") == ["Enter an email address, for reminders."]


def test_add_person_rejects_a_taken_username_whatever_its_case(cast: Cast) -> None:
    taken = cast.outsider.user.username.upper()
    response = _rejected_add(cast, new_person_data(username=taken))
    assert errors_of(response, "username") == ["That username is taken."]


def test_add_person_rejects_a_team_of_another_organisation(cast: Cast) -> None:
    elsewhere = make_team(cast.outsider.organisation, "Elsewhere team")
    response = _rejected_add(cast, new_person_data(team=elsewhere.code))
    assert errors_of(response, "team") == ["Choose a team from your organisation."]


def test_add_person_rejects_a_manager_of_another_organisation(cast: Cast) -> None:
    response = _rejected_add(cast, new_person_data(manager=cast.outsider.code))
    assert errors_of(response, "manager") == [
        "Choose a manager from the active people of your organisation."
    ]


def test_outsider_admin_cannot_use_a_manager_of_another_organisation(cast: Cast) -> None:
    response = _rejected_add(
        cast, new_person_data(manager=cast.manager.code), client=client_for(cast.outsider)
    )
    assert errors_of(response, "manager") == [
        "Choose a manager from the active people of your organisation."
    ]


@pytest.mark.parametrize("value", ["not-a-code", "42", "00000000-0000-0000-0000-000000000000"])
def test_add_person_rejects_made_up_choices(cast: Cast, value: str) -> None:
    response = _rejected_add(cast, new_person_data(team=value, manager=value))
    assert errors_of(response, "team") == ["Choose a team from your organisation."]
    assert errors_of(response, "manager") == [
        "Choose a manager from the active people of your organisation."
    ]


def test_add_person_does_not_offer_deactivated_managers(cast: Cast) -> None:
    cast.coach.user.is_active = False
    cast.coach.user.save()
    response = client_for(cast.admin).get(PERSON_NEW)
    assert cast.coach not in response.context["form"].fields["manager"].queryset
    response = _rejected_add(cast, new_person_data(manager=cast.coach.code))
    assert errors_of(response, "manager")


def test_a_posted_password_is_ignored(cast: Cast) -> None:
    # A hand-made post cannot set a password either.
    client_for(cast.admin).post(PERSON_NEW, new_person_data(password=GOOD_PASSWORD))
    assert not Person.objects.get(user__username="sam").user.has_usable_password()
    assert not Client().login(username="sam", password=GOOD_PASSWORD)


# --- editing a person --------------------------------------------------------------


def test_edit_form_starts_from_the_person_as_they_are(cast: Cast) -> None:
    form = client_for(cast.admin).get(edit_url(cast.report)).context["form"]
    assert form["name"].value() == "Riley Report"
    assert str(form["manager"].value()) == str(cast.manager.code)
    assert form["is_active"].value() is True
    assert cast.report not in form.fields["manager"].queryset
    assert "closes the one-on-one with the old manager" in str(form["manager"].help_text)


def test_admin_edits_a_person(cast: Cast) -> None:
    response = client_for(cast.admin).post(
        edit_url(cast.report),
        edit_data(cast.report, name="Riley Rename", title="Senior Engineer", email="r@x.org"),
        follow=True,
    )
    assert response.redirect_chain == [(MANAGE, 302)]
    assert "Saved the changes to Riley Rename." in response.content.decode()
    cast.report.refresh_from_db()
    cast.report.user.refresh_from_db()
    assert (cast.report.name, cast.report.title, cast.report.user.email) == (
        "Riley Rename",
        "Senior Engineer",
        "r@x.org",
    )


def test_ticking_program_admin_asks_for_it_and_the_list_shows_it_once_confirmed(
    cast: Cast,
) -> None:
    # The whole story, with its records, is in test_roles.py.
    client = client_for(cast.admin)
    response = client.post(
        edit_url(cast.coach), edit_data(cast.coach, is_program_admin="on"), follow=True
    )
    assert "Cody Coach becomes program admin once confirmed." in html(response)
    cast.coach.refresh_from_db()
    assert not cast.coach.is_program_admin
    second = make_person(cast.org, "Sol Second", is_org_admin=True)
    grant = RoleGrant.objects.get(person=cast.coach)
    client_for(second).post(reverse("people:grant-confirm", args=[grant.code]))
    cast.coach.refresh_from_db()
    assert cast.coach.is_program_admin
    row = client.get(MANAGE, {"q": "Cody"}).content.decode()
    assert "Program admin" in row


def test_editing_other_details_keeps_program_admin(cast: Cast) -> None:
    client_for(cast.admin).post(
        edit_url(cast.program_admin), edit_data(cast.program_admin, title="Head of L&D")
    )
    cast.program_admin.refresh_from_db()
    assert (cast.program_admin.title, cast.program_admin.is_program_admin) == ("Head of L&D", True)


def test_program_admin_cannot_manage_people(cast: Cast) -> None:
    client = client_for(cast.program_admin)
    assert client.get(MANAGE).status_code == 404
    response = client.post(edit_url(cast.report), edit_data(cast.report, name="Hijacked"))
    assert response.status_code == 404
    cast.report.refresh_from_db()
    assert cast.report.name == "Riley Report"


def test_deactivating_a_person_stops_them_logging_in(cast: Cast) -> None:
    signed_in = client_for(cast.report)
    assert signed_in.get("/people/").status_code == 200
    client_for(cast.admin).post(edit_url(cast.report), edit_data(cast.report, is_active=None))
    cast.report.user.refresh_from_db()
    assert not cast.report.user.is_active
    assert not Client().login(username=cast.report.user.username, password=PASSWORD)
    assert signed_in.get("/people/").status_code == 302


def test_reactivating_a_person_lets_them_log_in_again(cast: Cast) -> None:
    client = client_for(cast.admin)
    client.post(edit_url(cast.report), edit_data(cast.report, is_active=None))
    cast.report.user.refresh_from_db()
    client.post(edit_url(cast.report), edit_data(cast.report, is_active="on"))
    assert Client().login(username=cast.report.user.username, password=PASSWORD)


def test_deactivated_manager_stays_a_choice_for_their_reports(cast: Cast) -> None:
    client = client_for(cast.admin)
    client.post(edit_url(cast.manager), edit_data(cast.manager, is_active=None))
    cast.report.refresh_from_db()
    response = client.post(edit_url(cast.report), edit_data(cast.report, title="Lead"))
    assert response.status_code == 302


def _rejected_edit(cast: Cast, person: Person, data: dict[str, Any]) -> Any:
    before = snapshot()
    response = client_for(cast.admin).post(edit_url(person), data)
    assert response.status_code == 422
    assert snapshot() == before
    return response


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "", "Enter the person's name."),
        ("email", "", "Enter an email address, for reminders."),
        ("name", "x" * 121, "Ensure this value has at most 120 characters (it has 121)."),
        ("title", "x" * 121, "Ensure this value has at most 120 characters (it has 121)."),
        ("email", "riley@", "Enter an email address like name@example.org."),
        ("team", "not-a-code", "Choose a team from your organisation."),
        ("manager", "not-a-code", "Choose a manager from the active people of your organisation."),
    ],
)
def test_edit_person_rejects_bad_input(cast: Cast, field: str, value: str, message: str) -> None:
    response = _rejected_edit(cast, cast.report, edit_data(cast.report, **{field: value}))
    assert errors_of(response, field) == [message]


def test_edit_person_with_nothing_filled_in_changes_nothing(cast: Cast) -> None:
    response = _rejected_edit(cast, cast.report, {})
    assert errors_of(response, "name") == ["Enter the person's name."]
    assert errors_of(response, "email") == ["Enter an email address, for reminders."]


def test_edit_person_rejects_a_team_of_another_organisation(cast: Cast) -> None:
    elsewhere = make_team(cast.outsider.organisation, "Elsewhere team")
    response = _rejected_edit(cast, cast.report, edit_data(cast.report, team=elsewhere.code))
    assert errors_of(response, "team") == ["Choose a team from your organisation."]


def test_edit_person_rejects_a_manager_of_another_organisation(cast: Cast) -> None:
    response = _rejected_edit(cast, cast.report, edit_data(cast.report, manager=cast.outsider.code))
    assert errors_of(response, "manager") == [
        "Choose a manager from the active people of your organisation."
    ]


def test_edit_person_rejects_a_loop_in_management(cast: Cast) -> None:
    response = _rejected_edit(
        cast, cast.director, edit_data(cast.director, manager=cast.report.code)
    )
    assert errors_of(response, "manager") == [
        "Riley Report reports to Dana Director: that would make a loop."
    ]
    assert "that would make a loop" in response.content.decode()


def test_nobody_can_be_their_own_manager(cast: Cast) -> None:
    response = _rejected_edit(cast, cast.report, edit_data(cast.report, manager=cast.report.code))
    assert errors_of(response, "manager")


def test_admin_cannot_remove_their_own_admin_rights(cast: Cast) -> None:
    response = _rejected_edit(cast, cast.admin, edit_data(cast.admin, is_org_admin=None))
    assert errors_of(response) == [
        "You cannot remove your own admin rights or deactivate yourself."
    ]


def test_admin_cannot_deactivate_themselves(cast: Cast) -> None:
    response = _rejected_edit(cast, cast.admin, edit_data(cast.admin, is_active=None))
    assert errors_of(response) == [
        "You cannot remove your own admin rights or deactivate yourself."
    ]


def test_edit_of_a_missing_person_is_404(cast: Cast) -> None:
    url = reverse("people:person-edit", args=["00000000-0000-0000-0000-000000000000"])
    assert client_for(cast.admin).get(url).status_code == 404


# --- teams -------------------------------------------------------------------------


def test_admin_adds_a_team(cast: Cast) -> None:
    response = client_for(cast.admin).post(TEAM_NEW, {"name": "  Data  "}, follow=True)
    assert response.redirect_chain == [(MANAGE + "#teams", 302)]
    assert "Added the team Data." in response.content.decode()
    assert Team.objects.filter(organisation=cast.org, name="Data").exists()


def test_adding_a_team_with_htmx_answers_with_the_teams_part(cast: Cast) -> None:
    response = client_for(cast.admin).post(
        TEAM_NEW, {"name": "Data"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="teams"' in page
    assert "Added the team Data." in page
    assert "<html" not in page


def _rejected_team(cast: Cast, name: str, *, htmx: bool = False) -> Any:
    before = snapshot()
    headers = {"HX-Request": "true"} if htmx else {}
    response = client_for(cast.admin).post(TEAM_NEW, {"name": name}, headers=headers)
    assert response.status_code == 422
    assert snapshot() == before
    return response


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("", "Give the team a name."),
        ("   ", "Give the team a name."),
        ("x" * 81, "Ensure this value has at most 80 characters (it has 81)."),
        ("platform", "There is already a team with that name."),
    ],
)
def test_add_team_rejects_bad_input(cast: Cast, name: str, message: str) -> None:
    response = _rejected_team(cast, name)
    assert errors_of(response, "name") == [message]
    assert message in response.content.decode().replace("&#x27;", "'")


def test_add_team_error_comes_back_in_the_teams_part_for_htmx(cast: Cast) -> None:
    response = _rejected_team(cast, "Platform", htmx=True)
    page = response.content.decode()
    assert "There is already a team with that name." in page
    assert "<html" not in page


def test_team_names_are_per_organisation(cast: Cast) -> None:
    response = client_for(cast.outsider).post(TEAM_NEW, {"name": "Platform"})
    assert response.status_code == 302
    assert Team.objects.filter(name="Platform").count() == 2
