"""No quiet escalation: a role that reads content (program admin, HR) is asked for by
one org admin and confirmed by another; every role change is recorded and listed for
the organisation's admins, and nowhere else."""

from __future__ import annotations

from typing import Any

import pytest
from django.apps import apps
from django.test import Client
from django.urls import reverse

from cairn.people.models import GrantStatus, Person, Role, RoleChange, RoleGrant, User
from cairn.people.tests.factories import edit_data, edit_url, new_person_data
from cairn.testing import Cast, client_for, count_queries, html, htmx, make_org, make_person
from cairn.testing.accessibility import problems

ROLES = reverse("people:roles")
PERSON_NEW = reverse("people:person-new")
PLANTED = "Quinn Planted"


def confirm_url(grant: RoleGrant) -> str:
    return reverse("people:grant-confirm", args=[grant.code])


def decline_url(grant: RoleGrant) -> str:
    return reverse("people:grant-decline", args=[grant.code])


def ask(admin: Person, person: Person, **roles: str) -> RoleGrant:
    """``admin`` ticks roles on ``person``'s edit page; the grant that waits."""
    response = client_for(admin).post(edit_url(person), edit_data(person, **roles))
    assert response.status_code == 302
    return RoleGrant.objects.pending().get(person=person)


def history(person: Person) -> list[tuple[str, str, str]]:
    """The person's role changes, oldest first: (role, action, by)."""
    return [
        (change.role, change.action, change.actor_name)
        for change in RoleChange.objects.filter(person=person).order_by("at", "id")
    ]


def snapshot() -> dict[str, Any]:
    """Everything a decision can change, to prove a refused one changed nothing."""
    return {
        "roles": sorted(
            Person.objects.values_list("pk", "is_org_admin", "is_program_admin", "is_hr")
        ),
        "grants": sorted(RoleGrant.objects.values_list("pk", "status", "decided_by_id")),
        "rows": {
            model._meta.label: model._default_manager.count()
            for model in apps.get_models()
            if model.__module__.startswith("cairn.")
        },
    }


@pytest.fixture
def second(cast: Cast) -> Person:
    """A second org admin of the cast's organisation (made by the command line)."""
    return make_person(cast.org, "Sol Second", title="People Operations", is_org_admin=True)


@pytest.fixture
def planted(cast: Cast, second: Person) -> RoleGrant:
    """A person whose name appears only on the roles page: a grant waits for them."""
    person = make_person(cast.org, PLANTED)
    return ask(second, person, is_hr="on")


def superuser_client(person: Person | None = None) -> Client:
    if person is None:
        user = User.objects.create_superuser("root", "root@example.org", "a-test-password-42")
    else:
        User.objects.filter(pk=person.user_id).update(is_superuser=True, is_staff=True)
        user = person.user
    client = Client()
    client.force_login(user)
    return client


# --- who sees the roles page and may decide ----------------------------------------


def test_the_organisations_admins_read_the_roles_page(
    cast: Cast, second: Person, planted: RoleGrant
) -> None:
    for admin in (cast.admin, second):
        response = client_for(admin).get(ROLES)
        assert response.status_code == 200
        page = html(response)
        assert PLANTED in page
        assert "asked for by Sol Second" in page


@pytest.mark.parametrize(
    "who", ["director", "manager", "report", "peer", "coach", "program_admin", "hr"]
)
def test_nobody_else_in_the_organisation_sees_or_decides(
    cast: Cast, planted: RoleGrant, who: str
) -> None:
    client = client_for(cast.everyone()[who])
    response = client.get(ROLES)
    assert response.status_code == 404
    assert PLANTED not in html(response)
    before = snapshot()
    for url in (confirm_url(planted), decline_url(planted)):
        response = client.post(url)
        assert response.status_code == 404, url
        assert PLANTED not in html(response)
    assert snapshot() == before


def test_an_admin_of_another_organisation_sees_and_decides_nothing(
    cast: Cast, planted: RoleGrant
) -> None:
    client = client_for(cast.outsider)
    response = client.get(ROLES)
    assert response.status_code == 200  # their own organisation's page
    assert PLANTED not in html(response)
    assert "Sol Second" not in html(response)
    before = snapshot()
    for url in (confirm_url(planted), decline_url(planted)):
        response = client.post(url)
        assert response.status_code == 404, url
        assert PLANTED not in html(response)
    assert snapshot() == before


def test_a_superuser_reads_and_decides_nothing_on_these_pages(
    cast: Cast, planted: RoleGrant
) -> None:
    # A superuser with no person gets the page that says so; one who is a person (not
    # an org admin) gets a 404 like anyone else.
    clients = ((superuser_client(), 403), (superuser_client(cast.peer), 404))
    before = snapshot()
    for client, status in clients:
        for method, url in (
            ("get", ROLES),
            ("post", confirm_url(planted)),
            ("post", decline_url(planted)),
        ):
            response = getattr(client, method)(url)
            assert response.status_code == status, url
            assert PLANTED not in html(response)
    assert snapshot() == before


def test_the_records_have_no_page_in_the_django_admin(cast: Cast, planted: RoleGrant) -> None:
    client = superuser_client()
    for url in (
        "/admin/people/rolechange/",
        "/admin/people/rolegrant/",
        f"/admin/people/rolegrant/{planted.pk}/change/",
    ):
        assert client.get(url).status_code == 404, url
    assert "rolechange" not in html(client.get("/admin/people/"))


# --- asking and confirming ---------------------------------------------------------


def test_an_admin_who_ticks_program_admin_on_themselves_only_asks_for_it(
    cast: Cast, second: Person
) -> None:
    response = client_for(cast.admin).post(
        edit_url(cast.admin), edit_data(cast.admin, is_program_admin="on"), follow=True
    )
    assert "Ada Admin becomes program admin once confirmed." in html(response)
    assert "Another org admin confirms it on the roles page." in html(response)
    cast.admin.refresh_from_db()
    assert not cast.admin.is_program_admin
    grant = RoleGrant.objects.get(person=cast.admin)
    assert (grant.role, grant.status, grant.requested_by) == (
        Role.PROGRAM_ADMIN,
        GrantStatus.PENDING,
        cast.admin,
    )
    assert history(cast.admin)[-1] == ("is_program_admin", "requested", "Ada Admin")
    # The edit page says what waits, and ticking again does not ask twice.
    assert "Waiting for a second org admin to confirm: program admin" in html(
        client_for(cast.admin).get(edit_url(cast.admin))
    )
    client_for(cast.admin).post(edit_url(cast.admin), edit_data(cast.admin, is_program_admin="on"))
    assert RoleGrant.objects.filter(person=cast.admin).count() == 1


def test_a_second_admin_confirms_and_the_role_acts_at_once(cast: Cast, second: Person) -> None:
    grant = ask(cast.admin, cast.admin, is_program_admin="on")
    page = html(client_for(second).get(ROLES))
    assert "Confirm: Ada Admin becomes program admin" in page
    response = client_for(second).post(confirm_url(grant), follow=True)
    assert response.redirect_chain == [(ROLES, 302)]
    assert "Ada Admin is now program admin." in html(response)
    cast.admin.refresh_from_db()
    assert cast.admin.is_program_admin
    grant.refresh_from_db()
    assert (grant.status, grant.decided_by) == (GrantStatus.CONFIRMED, second)
    assert history(cast.admin)[-2:] == [
        ("is_program_admin", "requested", "Ada Admin"),
        ("is_program_admin", "confirmed", "Sol Second"),
    ]
    listed = html(client_for(cast.admin).get(ROLES))
    assert "Asked for, waiting for a second org admin" in listed
    assert "Confirmed" in listed


def test_confirming_with_htmx_answers_with_the_waiting_part(cast: Cast, second: Person) -> None:
    grant = ask(cast.admin, cast.report, is_hr="on")
    response = htmx(client_for(second)).post(confirm_url(grant))
    assert response.status_code == 200
    assert "Riley Report is now HR." in html(response)
    assert "<html" not in html(response)
    cast.report.refresh_from_db()
    assert cast.report.is_hr


def test_the_edit_form_offers_hr_and_asks_for_it(cast: Cast, second: Person) -> None:
    page = html(client_for(cast.admin).get(edit_url(cast.report)))
    assert '<label for="id_is_hr">HR</label>' in page
    grant = ask(cast.admin, cast.report, is_hr="on")
    cast.report.refresh_from_db()
    assert not cast.report.is_hr
    client_for(second).post(confirm_url(grant))
    cast.report.refresh_from_db()
    assert cast.report.is_hr
    form = client_for(cast.admin).get(edit_url(cast.report)).context["form"]
    assert form["is_hr"].value() is True


def test_adding_a_person_as_program_admin_asks_for_it(cast: Cast, second: Person) -> None:
    response = client_for(cast.admin).post(
        PERSON_NEW, new_person_data(is_program_admin="on", is_org_admin="on"), follow=True
    )
    assert "Sam Newcomer becomes program admin once confirmed." in html(response)
    sam = Person.objects.get(user__username="sam")
    assert (sam.is_org_admin, sam.is_program_admin) == (True, False)
    assert history(sam) == [
        ("is_org_admin", "granted", "Ada Admin"),
        ("is_program_admin", "requested", "Ada Admin"),
    ]


def test_the_command_line_grants_directly_and_is_recorded(cast: Cast) -> None:
    person = make_person(cast.org, "Cleo Commandline", is_program_admin=True, is_hr=True)
    assert (person.is_program_admin, person.is_hr) == (True, True)
    assert history(person) == [
        ("is_program_admin", "granted", "the command line"),
        ("is_hr", "granted", "the command line"),
    ]
    assert not RoleGrant.objects.filter(person=person).exists()


def test_org_admin_is_given_at_once_and_recorded(cast: Cast) -> None:
    client_for(cast.admin).post(edit_url(cast.coach), edit_data(cast.coach, is_org_admin="on"))
    cast.coach.refresh_from_db()
    assert cast.coach.is_org_admin
    assert history(cast.coach)[-1] == ("is_org_admin", "granted", "Ada Admin")


def test_a_second_admin_declines_and_nothing_is_given(cast: Cast, second: Person) -> None:
    grant = ask(cast.admin, cast.peer, is_program_admin="on")
    response = client_for(second).post(decline_url(grant), follow=True)
    assert "Declined: Pat Peer does not become program admin." in html(response)
    cast.peer.refresh_from_db()
    assert not cast.peer.is_program_admin
    assert history(cast.peer)[-1] == ("is_program_admin", "declined", "Sol Second")


def test_the_admin_who_asked_may_take_it_back(cast: Cast, second: Person) -> None:
    grant = ask(cast.admin, cast.peer, is_program_admin="on")
    page = html(client_for(cast.admin).get(ROLES))
    assert "You asked for this: another org admin confirms it." in page
    assert confirm_url(grant) not in page
    assert "Take back: Pat Peer as program admin" in page
    client_for(cast.admin).post(decline_url(grant))
    grant.refresh_from_db()
    assert grant.status == GrantStatus.DECLINED


def test_revoking_acts_at_once_and_is_recorded(cast: Cast) -> None:
    client_for(cast.admin).post(
        edit_url(cast.program_admin), edit_data(cast.program_admin, is_program_admin=None)
    )
    cast.program_admin.refresh_from_db()
    assert not cast.program_admin.is_program_admin
    assert history(cast.program_admin)[-1] == ("is_program_admin", "revoked", "Ada Admin")
    client_for(cast.admin).post(edit_url(cast.hr), edit_data(cast.hr, is_hr=None))
    cast.hr.refresh_from_db()
    assert not cast.hr.is_hr
    assert history(cast.hr)[-1] == ("is_hr", "revoked", "Ada Admin")


# --- an organisation with a single admin -------------------------------------------


def test_a_single_admin_is_told_a_second_admin_is_needed(cast: Cast) -> None:
    response = client_for(cast.admin).post(
        edit_url(cast.coach), edit_data(cast.coach, is_program_admin="on"), follow=True
    )
    assert "You are the only org admin: a second org admin is needed to confirm it." in html(
        response
    )
    page = html(client_for(cast.admin).get(ROLES))
    assert "You are the only org admin of Acme" in page
    assert "Cody Coach" in page
    assert "Confirm: Cody Coach" not in page
    cast.coach.refresh_from_db()
    assert not cast.coach.is_program_admin


def test_a_deactivated_admin_does_not_count_as_a_second(cast: Cast, second: Person) -> None:
    User.objects.filter(pk=second.user_id).update(is_active=False)
    assert "You are the only org admin" in html(client_for(cast.admin).get(ROLES))


# --- bad input ---------------------------------------------------------------------


def refused(
    client: Client, url: str, message: str, *, headers: dict[str, str] | None = None
) -> None:
    before = snapshot()
    response = client.post(url, headers=headers or {})
    assert response.status_code == 422
    assert message in html(response).replace("&#x27;", "'")
    assert snapshot() == before


def test_nobody_confirms_their_own_ask(cast: Cast, second: Person) -> None:
    grant = ask(cast.admin, cast.admin, is_program_admin="on")
    refused(
        client_for(cast.admin),
        confirm_url(grant),
        "You asked for this role yourself: another org admin must confirm it. Nothing changed.",
    )
    refused(
        client_for(cast.admin),
        confirm_url(grant),
        "another org admin must confirm it",
        headers={"HX-Request": "true"},
    )
    cast.admin.refresh_from_db()
    assert not cast.admin.is_program_admin


def test_an_admin_cannot_confirm_through_an_admin_they_made(cast: Cast) -> None:
    # The sole admin adds a colleague as org admin, with a password the admin chose,
    # then asks for program admin for themselves: the colleague they made is no second
    # pair of eyes, before or after the ask.
    response = client_for(cast.admin).post(
        PERSON_NEW, new_person_data(username="puppet", name="Pat Puppet", is_org_admin="on")
    )
    assert response.status_code == 302
    puppet = Person.objects.get(user__username="puppet")
    assert puppet.is_org_admin
    grant = ask(cast.admin, cast.admin, is_program_admin="on")
    refused(client_for(puppet), confirm_url(grant), "You were made org admin by the person")
    # Nor for someone else the first admin asked for.
    for_peer = ask(cast.admin, cast.peer, is_hr="on")
    refused(client_for(puppet), confirm_url(for_peer), "cannot be the second admin")
    cast.admin.refresh_from_db()
    assert not cast.admin.is_program_admin


def test_the_person_a_role_is_for_cannot_confirm_it(cast: Cast, second: Person) -> None:
    grant = ask(second, cast.admin, is_program_admin="on")
    refused(client_for(cast.admin), confirm_url(grant), "This role is for you")
    cast.admin.refresh_from_db()
    assert not cast.admin.is_program_admin


def test_an_admin_made_by_someone_else_confirms(cast: Cast, second: Person) -> None:
    # The control: an admin another admin made may confirm the first admin's ask.
    response = client_for(second).post(
        PERSON_NEW, new_person_data(username="third", name="Tess Third", is_org_admin="on")
    )
    assert response.status_code == 302
    third = Person.objects.get(user__username="third")
    grant = ask(cast.admin, cast.admin, is_program_admin="on")
    assert client_for(third).post(confirm_url(grant)).status_code == 302
    cast.admin.refresh_from_db()
    assert cast.admin.is_program_admin


def test_a_decided_grant_cannot_be_decided_again(cast: Cast, second: Person) -> None:
    third = make_person(cast.org, "Tess Third", is_org_admin=True)
    grant = ask(cast.admin, cast.peer, is_program_admin="on")
    client_for(second).post(confirm_url(grant))
    message = "Pat Peer as program admin was already confirmed by Sol Second. Nothing changed."
    refused(client_for(third), confirm_url(grant), message)
    refused(client_for(third), decline_url(grant), message)

    declined = ask(cast.admin, cast.coach, is_hr="on")
    client_for(second).post(decline_url(declined))
    refused(
        client_for(third),
        confirm_url(declined),
        "Cody Coach as HR was already declined by Sol Second. Nothing changed.",
    )


def test_another_organisations_grant_is_404_even_to_its_own_kind(cast: Cast) -> None:
    elsewhere = make_org("Third Ltd")
    asker = make_person(elsewhere, "Ann Asker", is_org_admin=True)
    make_person(elsewhere, "Ben Backer", is_org_admin=True)
    grant = ask(asker, make_person(elsewhere, "Cal Candidate"), is_hr="on")
    before = snapshot()
    for url in (confirm_url(grant), decline_url(grant)):
        assert client_for(cast.admin).post(url).status_code == 404
    assert snapshot() == before


@pytest.mark.parametrize("code", ["00000000-0000-0000-0000-000000000000"])
def test_a_made_up_grant_is_404(cast: Cast, code: str) -> None:
    for name in ("people:grant-confirm", "people:grant-decline"):
        assert client_for(cast.admin).post(reverse(name, args=[code])).status_code == 404


def test_deciding_answers_only_to_post(cast: Cast, planted: RoleGrant) -> None:
    assert client_for(cast.admin).get(confirm_url(planted)).status_code == 405
    assert client_for(cast.admin).get(decline_url(planted)).status_code == 405


# --- the list ----------------------------------------------------------------------


def test_the_roles_page_is_paginated(cast: Cast) -> None:
    for n in range(26):
        make_person(cast.org, f"Zed {n:02}", is_program_admin=True, is_hr=True)
    # The cast's own three grants, and 52 more.
    first = client_for(cast.admin).get(ROLES)
    assert len(first.context["page"].object_list) == 50
    assert "Page 1 of 2" in html(first)
    second_page = client_for(cast.admin).get(ROLES, {"page": 2})
    assert len(second_page.context["page"].object_list) == 3 + 52 - 50


def _grow(cast: Cast, second: Person, people: int) -> None:
    """``people`` more people, each with a recorded change and a waiting grant."""
    for _ in range(people):
        person = make_person(cast.org, is_org_admin=False)
        ask(second, person, is_hr="on")


def test_roles_page_queries_do_not_grow_with_changes(cast: Cast, second: Person) -> None:
    client = client_for(cast.admin)
    _grow(cast, second, 1)
    with_one = count_queries(lambda: client.get(ROLES))
    _grow(cast, second, 49)
    with_fifty = count_queries(lambda: client.get(ROLES))
    assert with_one == with_fifty
    # session, user, person; other admins; waiting: count and page; changes: count
    # and page; the bell's unread notifications, and whether the admin may still see
    # the grants they are about (each waiting grant told them); messages and the
    # like stay out of it.
    assert with_fifty <= 10


def test_roles_pages_are_labelled_and_have_no_inline_scripts(
    cast: Cast, second: Person, planted: RoleGrant
) -> None:
    own = ask(cast.admin, cast.admin, is_program_admin="on")
    for response in (
        client_for(cast.admin).get(ROLES),
        client_for(cast.outsider).get(ROLES),  # empty
        client_for(cast.admin).post(confirm_url(own)),  # an error, 422
    ):
        page = html(response)
        assert problems(page) == []
        assert "style=" not in page
        assert "<script>" not in page


def test_the_manage_page_links_to_the_roles_page_and_lists_hr(cast: Cast) -> None:
    page = html(client_for(cast.admin).get(reverse("people:manage"), {"q": "Harper"}))
    assert ROLES in page
    assert "<span>HR</span>" in page


def test_logs_name_ids_not_people(cast: Cast, second: Person, caplog: Any) -> None:
    caplog.set_level("INFO", logger="cairn.people")
    grant = ask(cast.admin, cast.peer, is_program_admin="on")
    client_for(second).post(confirm_url(grant))
    assert caplog.messages
    for message in caplog.messages:
        for name in ("Pat Peer", "Ada Admin", "Sol Second"):
            assert name not in message
